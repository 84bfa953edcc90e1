// A keyed work queue for level-triggered reconcilers, in the manner of client-go's
// workqueue: callers only add keys; the queue runs `reconcile(key)`, which reads the
// current state when it runs, so adding a key twice is harmless and a burst of adds
// becomes one run. Guarantees:
// - a key is never reconciled twice at the same time (an older view could land last);
//   a key added while it runs is run once more after it;
// - at most `maxInFlight` reconciles run at once (the apiserver is shared with users);
// - each key's run is debounced, and started at most once per `minIntervalMs`;
// - a reconcile that throws is retried with exponential backoff (capped), and one that
//   asks to be requeued runs again after the time it names.

/** What a reconcile asks for beyond "done": another look after some time. */
export interface Requeue {
  requeueAfterMs: number;
}

/**
 * A keyed queue a reconciler runs on: this in-process WorkQueue, or one shared by every
 * hub replica (distribution's GridQueue, on BullMQ). `add` never throws.
 */
export interface KeyQueue {
  readonly name: string;
  add(key: string, delayMs?: number): void;
  /** Drops what is remembered of a key that will not come back. */
  forget(key: string): void;
  /** Keys waiting or running. */
  pending(): Promise<number>;
  /** Keys whose last run (here) failed: how many times in a row. */
  failing(): Map<string, number>;
  stop(): void | Promise<void>;
}

/** Makes the queue a reconciler runs on. */
export type KeyQueueFactory = (name: string, reconcile: (key: string) => Promise<void | Requeue>) => KeyQueue;

export interface WorkQueueOptions {
  /** For errors and metrics: `grid-status`. */
  name: string;
  /** Wait this long after an add before running (coalesces bursts). */
  debounceMs: number;
  /** Least time between the starts of two runs of one key. */
  minIntervalMs?: number;
  maxInFlight: number;
  retry: { initialMs: number; maxMs: number };
  /** Converges `key` to what it should be now; throws to be retried with backoff. */
  reconcile: (key: string) => Promise<void | Requeue>;
  /** Told about each failed run, with the number of failures in a row. */
  onError?: (key: string, error: unknown, failures: number) => void;
  /** Told about each run that ended, with its duration. */
  onDone?: (key: string, ok: boolean, durationMs: number) => void;
}

interface Timer {
  handle: NodeJS.Timeout;
  at: number;
}

export class WorkQueue implements KeyQueue {
  private readonly timers = new Map<string, Timer>();
  /** Due and waiting for a free slot (or for the key's running reconcile to end). */
  private readonly due = new Set<string>();
  private readonly running = new Set<string>();
  private readonly failures = new Map<string, number>();
  /** When each recently run key's last run started. */
  private readonly lastStart = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly opts: WorkQueueOptions) {}

  get name(): string {
    return this.opts.name;
  }

  /**
   * Asks for a run of `key` after `delayMs` (the debounce by default). A key already
   * waiting keeps its turn, unless this asks for an earlier one.
   */
  add(key: string, delayMs = this.opts.debounceMs): void {
    if (this.stopped || this.due.has(key)) return;
    const sinceLast = Date.now() - (this.lastStart.get(key) ?? -Infinity);
    const minInterval = this.opts.minIntervalMs ?? 0;
    if (sinceLast >= minInterval) this.lastStart.delete(key);
    else delayMs = Math.max(delayMs, minInterval - sinceLast);
    const at = Date.now() + delayMs;
    const pending = this.timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.handle);
    const handle = setTimeout(() => {
      this.timers.delete(key);
      this.due.add(key);
      this.drain();
    }, delayMs);
    this.timers.set(key, { handle, at });
  }

  /** Drops what is remembered of a key that will not come back (its object is gone). */
  forget(key: string): void {
    this.lastStart.delete(key);
    this.failures.delete(key);
  }

  get inFlight(): number {
    return this.running.size;
  }

  /** Keys waiting (debouncing, backing off or due) and running. */
  get depth(): number {
    return new Set([...this.timers.keys(), ...this.due, ...this.running]).size;
  }

  async pending(): Promise<number> {
    return this.depth;
  }

  /** Keys whose last run failed: how many times in a row. */
  failing(): Map<string, number> {
    return new Map(this.failures);
  }

  /** Resolves once nothing is due or running (timers may still be pending). */
  idle(): Promise<void> {
    if (this.due.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t.handle);
    this.timers.clear();
    this.due.clear();
  }

  private drain(): void {
    for (const key of this.due) {
      if (this.running.size >= this.opts.maxInFlight) return;
      if (this.running.has(key)) continue; // runs again once its current run ends
      this.due.delete(key);
      this.running.add(key);
      this.lastStart.set(key, Date.now());
      void this.run(key);
    }
    if (this.due.size === 0 && this.running.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async run(key: string): Promise<void> {
    const started = performance.now();
    let result: void | Requeue = undefined;
    let ok = true;
    try {
      result = await this.opts.reconcile(key);
    } catch (err) {
      ok = false;
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.opts.onError?.(key, err, failures);
    }
    this.running.delete(key);
    this.opts.onDone?.(key, ok, performance.now() - started);
    if (ok) this.failures.delete(key);
    if (!ok) this.add(key, this.backoffMs(key));
    else if (result) this.add(key, result.requeueAfterMs);
    this.drain();
  }

  private backoffMs(key: string): number {
    const { initialMs, maxMs } = this.opts.retry;
    return Math.min(maxMs, initialMs * 2 ** ((this.failures.get(key) ?? 1) - 1));
  }
}
