// Progress lines, stamped with the time since the run started.
const started = performance.now();

export function progress(message: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[bench ${seconds} s] ${message}\n`);
}

/** Calls `report` every `everyMs` until the returned function is called. */
export function every(everyMs: number, report: () => void): () => void {
  const timer = setInterval(report, everyMs);
  return () => clearInterval(timer);
}

/** Seconds since the run started. */
export function elapsedSeconds(): number {
  return (performance.now() - started) / 1000;
}

/**
 * Numbers a run's phases: each one announced as "phase n/total: name" and its duration
 * given when it ends, so a long run says where it is.
 */
export function phases(total: number): <T>(name: string, run: () => Promise<T>) => Promise<T> {
  let n = 0;
  return async (name, run) => {
    const label = `phase ${++n}/${total}: ${name}`;
    progress(label);
    const start = performance.now();
    const result = await run();
    progress(`${label}: done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return result;
  };
}
