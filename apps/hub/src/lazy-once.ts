// A piece of start-up work deferred to its first use (the hub's memory at rest, README
// "Benchmark"): concurrent first callers share one run, and a run that failed is
// forgotten, so the next caller tries again instead of inheriting the failure forever.

/** `work` run on the first call; later calls get the same promise unless it rejected. */
export function lazyOnce<T>(work: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= work().catch((err: unknown) => {
      running = undefined;
      throw err;
    });
    return running;
  };
}
