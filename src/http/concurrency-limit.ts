/**
 * Runs at most `limit` tasks at a time; the others wait their turn in order. What waits is
 * bounded by its callers (the feed route: one task per distinct repository or series, shared by
 * every request for it), so the queue itself has no bound.
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot straight to the next in line, so none can slip in between.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
