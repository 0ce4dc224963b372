// Bounded parallelism: the engine's writes go through it so that a fleet-sized plan does not turn
// into tens of thousands of pending requests (each holding its encoded body) at once.

/** Runs `work` on every item, at most `limit` at a time, taking items in order. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
