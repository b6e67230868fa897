// Work on many items, a few at a time (SES sends, DynamoDB batches), that fails cleanly: after
// a failure no new item starts, and the caller hears of it only once every started item has
// finished. Otherwise requests still on their way land after the caller has moved on (or
// in a frozen Lambda's next invocation).
export async function eachLimited<T>(items: readonly T[], limit: number, run: (item: T, stopped: () => boolean) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failed = false;
  const stopped = () => failed;
  const workers = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, async () => {
    try {
      while (next < items.length && !failed) await run(items[next++], stopped);
    } catch (e) {
      failed = true;
      throw e;
    }
  }));
  const failure = workers.find((w) => w.status === 'rejected');
  if (failure) throw failure.reason;
}
