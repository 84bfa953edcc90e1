// What a GridQueue still owes a run, kept in memory beside Redis. Queues live in Redis
// without persistence: a restarted redis-server, or a restarted Redis Cluster node that
// held a queue's slot, comes back empty, and every job waiting there (a debounced add,
// an "@later" timer) is gone; an add made while Redis was away never got there. Both
// would otherwise wait for the periodic resync. Adding a key again is always harmless
// (deduplication drops it while the key waits; a run reads the state when it runs).

/** One add (`add`) or timer (`later`) the queue owes a run for. */
export interface OwedRun {
  key: string;
  kind: 'add' | 'later';
  /** When it is to run (epoch ms). */
  due: number;
}

interface Entry {
  /** When it was asked for: a run that starts after this serves an add. */
  at: number;
  due: number;
  /** Redis took it. */
  sent: boolean;
}

export class OwedKeys {
  private readonly adds = new Map<string, Entry>();
  private readonly timers = new Map<string, Entry>();

  /**
   * @param keepMs how long after it is due a run Redis took is still remembered: a run
   *   of the key on another replica is not seen here, so entries also age out.
   */
  constructor(
    private readonly keepMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** An add of `key` to run in `delayMs`; the latest add or timer of a key replaces the earlier one. */
  add(key: string, delayMs: number): OwedRun {
    return this.note(this.adds, 'add', key, delayMs);
  }

  /** A timer of `key` to run in `delayMs` (the latest run's wish replaces the earlier one). */
  later(key: string, delayMs: number): OwedRun {
    return this.note(this.timers, 'later', key, delayMs);
  }

  /** Redis took `run` (unless a later add of the key replaced it meanwhile). */
  sent(run: OwedRun): void {
    const entry = this.map(run.kind).get(run.key);
    if (entry && entry.due === run.due) entry.sent = true;
  }

  /** A run of `key` started here: it serves every add made before it, and timers already due. */
  started(key: string): void {
    const at = this.now();
    const add = this.adds.get(key);
    if (add && add.at <= at) this.adds.delete(key);
    const timer = this.timers.get(key);
    if (timer && timer.due <= at) this.timers.delete(key);
  }

  /** The key will not come back. */
  forget(key: string): void {
    this.adds.delete(key);
    this.timers.delete(key);
  }

  /** What Redis has not taken yet: to send again once it answers. */
  unsent(): OwedRun[] {
    return this.runs((entry) => !entry.sent);
  }

  /** Everything still owed: to send again when Redis lost the queue. Marks it all unsent until then. */
  all(): OwedRun[] {
    this.prune();
    for (const entry of [...this.adds.values(), ...this.timers.values()]) entry.sent = false;
    return this.runs(() => true);
  }

  /** Forgets runs Redis took long enough ago; what it never took stays. */
  prune(): void {
    const old = this.now() - this.keepMs;
    for (const map of [this.adds, this.timers]) {
      for (const [key, entry] of map) if (entry.sent && entry.due < old) map.delete(key);
    }
  }

  get size(): number {
    return this.adds.size + this.timers.size;
  }

  private note(map: Map<string, Entry>, kind: OwedRun['kind'], key: string, delayMs: number): OwedRun {
    const at = this.now();
    const due = at + Math.max(0, delayMs);
    map.set(key, { at, due, sent: false });
    return { key, kind, due };
  }

  private map(kind: OwedRun['kind']): Map<string, Entry> {
    return kind === 'add' ? this.adds : this.timers;
  }

  private runs(keep: (entry: Entry) => boolean): OwedRun[] {
    const runs: OwedRun[] = [];
    for (const [kind, map] of [
      ['add', this.adds],
      ['later', this.timers],
    ] as const) {
      for (const [key, entry] of map) if (keep(entry)) runs.push({ key, kind, due: entry.due });
    }
    return runs;
  }
}
