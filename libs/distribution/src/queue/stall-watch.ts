// Tells when a BullMQ worker stopped taking jobs it could take. On a Redis Cluster a
// worker's blocking connection (a duplicate of its Cluster client) can wedge: the worker
// still looks alive and logs nothing, but never wakes for a new job, so a queue that
// worked a moment ago keeps its jobs waiting for good (a member's syncs, a grid's status
// writes). Pinging Redis cannot see this; only jobs left ready while the worker had room
// for them can. Pure: the caller looks at Redis and at the worker, and replaces a
// worker this calls stalled.

/** One look at a queue and at this replica's worker of it. */
export interface QueueLook {
  /** Jobs any worker could start now: waiting, prioritized, or delayed and due. */
  ready: number;
  /** Jobs this worker is running. */
  running: number;
  /** Jobs this worker may run at once. */
  concurrency: number;
  /** The queue is paused: its jobs wait on purpose. */
  paused: boolean;
}

/**
 * Ready jobs left this long by a worker with room for them: the worker is replaced. Well
 * above a healthy worker's longest sleep between fetches (BullMQ's drain delay, 5 s, plus
 * its 1 s watchdog) and a debounce; well below what a user would wait for a sync.
 */
export const STALL_MS = 20_000;

export class StallWatch {
  /** Since when jobs have been ready while this worker had room and took none. */
  private idleSince: number | undefined;

  /**
   * @param stallMs how long ready jobs may wait while the worker has room and starts
   *   none before it counts as stalled: longer than the worker's longest sleep between
   *   fetches (its drain delay) and than a debounce.
   */
  constructor(
    private readonly stallMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The worker started a job: it is taking work. */
  started(): void {
    this.idleSince = undefined;
  }

  /** True when the worker has left ready jobs alone for `stallMs` (once: the watch starts over). */
  look(look: QueueLook): boolean {
    const waitingForIt = !look.paused && look.ready > 0 && look.running < look.concurrency;
    if (!waitingForIt) {
      this.idleSince = undefined;
      return false;
    }
    const now = this.now();
    this.idleSince ??= now;
    if (now - this.idleSince < this.stallMs) return false;
    this.idleSince = undefined;
    return true;
  }
}
