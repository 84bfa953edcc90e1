// When grid status writes go out. Each key's write is debounced (a rollout reports
// several times a second), at most `maxInFlight` writes run at once (a fan-out of
// thousands of objects must not flood the control apiserver), a key is never written
// twice at the same time (an older body could land last), nor more often than once
// per `minIntervalMs` (a grid whose members all report during a fan-out gets a few
// writes, not one per report), and a failed write is
// retried with backoff: the write reads the current state when it runs, so a retry
// is just another schedule.

export interface WriteSchedulerOptions {
  debounceMs: number;
  /** Least time between the starts of two writes of one key. */
  minIntervalMs: number;
  maxInFlight: number;
  retry: { initialMs: number; maxMs: number };
  /** Writes what `key` should show now: true when done (or nothing to do), false to retry later. */
  write: (key: string) => Promise<boolean>;
}

export class WriteScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Due and waiting for a free slot (or for the key's running write to end). */
  private readonly due = new Set<string>();
  private readonly running = new Set<string>();
  private readonly failures = new Map<string, number>();
  /** When each recently written key's last write started. */
  private readonly lastStart = new Map<string, number>();
  private stopped = false;

  constructor(private readonly opts: WriteSchedulerOptions) {}

  /** Asks for a write of `key` after the debounce; a key already waiting keeps its turn. */
  schedule(key: string, delayMs = this.opts.debounceMs): void {
    if (this.stopped || this.timers.has(key)) return;
    const sinceLast = Date.now() - (this.lastStart.get(key) ?? -Infinity);
    if (sinceLast >= this.opts.minIntervalMs) this.lastStart.delete(key);
    else delayMs = Math.max(delayMs, this.opts.minIntervalMs - sinceLast);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.due.add(key);
        this.drain();
      }, delayMs),
    );
  }

  /** Drops what is remembered of a key that will not come back (its grid is gone). */
  forget(key: string): void {
    this.lastStart.delete(key);
    this.failures.delete(key);
  }

  get inFlight(): number {
    return this.running.size;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.due.clear();
  }

  private drain(): void {
    for (const key of this.due) {
      if (this.running.size >= this.opts.maxInFlight) return;
      if (this.running.has(key)) continue; // runs again once its current write ends
      this.due.delete(key);
      this.running.add(key);
      this.lastStart.set(key, Date.now());
      void this.run(key);
    }
  }

  private async run(key: string): Promise<void> {
    const done = await this.opts.write(key).catch(() => false);
    this.running.delete(key);
    if (done) this.failures.delete(key);
    else this.retryLater(key);
    this.drain();
  }

  private retryLater(key: string): void {
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    const { initialMs, maxMs } = this.opts.retry;
    this.schedule(key, Math.min(maxMs, initialMs * 2 ** (failures - 1)));
  }
}
