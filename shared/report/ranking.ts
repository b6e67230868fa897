// Rankings (indicators.md): units ranked by year-to-date gap to target, descending; ties
// by YTD online rate, then new dossiers (more first), then code. Units equal on gap, rate
// and new dossiers share a rank (1, 2, 2, 4). The overdue ranking orders by YTD overdue
// rate ascending with the same tie rules.

export interface Rankable {
  unit: string;
  /** The ranking's main key; sorted descending (negate for "lower is better"). */
  key: number;
  ytdOnlineRate: number;
  newDossiers: number;
}

export interface Ranked<T extends Rankable> {
  rank: number;
  item: T;
}

function compare(a: Rankable, b: Rankable): number {
  return b.key - a.key || b.ytdOnlineRate - a.ytdOnlineRate || b.newDossiers - a.newDossiers || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);
}

function tied(a: Rankable, b: Rankable): boolean {
  return a.key === b.key && a.ytdOnlineRate === b.ytdOnlineRate && a.newDossiers === b.newDossiers;
}

export function rank<T extends Rankable>(items: readonly T[]): Array<Ranked<T>> {
  const sorted = [...items].sort(compare);
  const out: Array<Ranked<T>> = [];
  sorted.forEach((item, i) => {
    const rank = i > 0 && tied(sorted[i - 1], item) ? out[i - 1].rank : i + 1;
    out.push({ rank, item });
  });
  return out;
}
