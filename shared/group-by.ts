// Items grouped by a key, in one pass: each group keeps its items' order, groups their first
// appearance's. Pushed, not spread: a national report groups 12,000 units' targets and uploads.
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
