// A per-grid reconciler's queue shared by every hub replica (BullMQ): a key added on any
// replica runs once, on whichever replica's worker takes it; never twice at once (one
// active job per key, a key added while it runs gets exactly one more run after it);
// debounced; at most `minIntervalMs` between the starts of one key's runs across all
// replicas (a Redis key with a TTL); failures retried with jittered exponential backoff;
// "look again in N ms" as a delayed job. Jobs carry the grid's key and nothing else.
// What Redis loses (it keeps nothing on disk) is added again without waiting for the
// resync: adds made while it was away, and the waiting adds and timers of a Redis (or
// Cluster node) that came back empty (owed-keys.ts).
import { Queue, UnrecoverableError, type Job } from 'bullmq';
import type { KeyQueue, Requeue } from '#gridfed/workqueue';
import { settlesBefore } from './deadline.js';
import { LossWatch } from './loss-watch.js';
import { messageOf } from './member-queue.js';
import { OwedKeys, type OwedRun } from './owed-keys.js';
import { lookAtQueue } from './queue-look.js';
import { closeConnection, workerConnection, type RedisConnection, type WorkerConnection } from './redis-connections.js';
import { deduplicationId, isSyncJobData, queuePrefix, type SyncJobData } from './sync-job.js';
import { STALL_MS, StallWatch } from './stall-watch.js';
import { SyncWorker } from './sync-worker.js';

export interface GridQueueOptions {
  /** `grid-lifecycle`, `grid-status`. */
  name: string;
  redisUrl: string;
  /** The producer connection (adds, throttle keys, counts). */
  producer: RedisConnection;
  /** Keys this replica runs at once. */
  concurrency: number;
  debounceMs: number;
  /** Least time between the starts of two runs of one key, across every replica. */
  minIntervalMs?: number;
  attempts: number;
  backoffMs: number;
  reconcile: (key: string) => Promise<void | Requeue>;
  log: (level: 'info' | 'warn', message: string) => void;
}

const JOB = 'reconcile';
/** How often a started queue sends what Redis did not take, and looks whether Redis lost the queue. */
const CHECK_MS = 1000;
/** How long a run Redis took is remembered after it is due, in case Redis loses it (runs elsewhere are not seen). */
const KEEP_OWED_MS = 60_000;
/** How often a started queue looks whether its worker still takes the jobs that are ready. */
const STALL_LOOK_MS = 5000;

export class GridQueue implements KeyQueue {
  private readonly queue: Queue<SyncJobData>;
  private worker: SyncWorker<SyncJobData>;
  private connection: WorkerConnection;
  /** Jobs this replica's worker is running. */
  private running = 0;
  /** Tells when the worker stopped taking jobs it could take (a wedged Cluster connection). */
  private readonly stall = new StallWatch(STALL_MS);
  private stallTimer: NodeJS.Timeout | undefined;
  private looking = false;
  private readonly failures = new Map<string, number>();
  private readonly owed = new OwedKeys(KEEP_OWED_MS);
  /** Keys whose add failed and was logged: one line per outage, not one per retry. */
  private readonly unsentLogged = new Set<string>();
  /** Tells when Redis lost the queue's keys. */
  private readonly lossWatch: LossWatch;
  private checkTimer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly opts: GridQueueOptions) {
    this.queue = new Queue<SyncJobData>(opts.name, {
      connection: opts.producer,
      prefix: queuePrefix(opts.name),
      defaultJobOptions: {
        attempts: opts.attempts,
        backoff: { type: 'exponential', delay: opts.backoffMs, jitter: 0.5 },
        removeOnComplete: { count: 100, age: 3600 },
        removeOnFail: { count: 1000, age: 24 * 3600 },
      },
      streams: { events: { maxLen: 1000 } },
    });
    this.queue.on('error', this.report('queue'));
    ({ worker: this.worker, connection: this.connection } = this.newWorker());
    // Beside the queue's own keys (`<prefix>:<name>:...`), so in its slot on a Redis Cluster.
    this.lossWatch = new LossWatch(opts.producer, `${queuePrefix(opts.name)}:${opts.name}:epoch`);
  }

  get name(): string {
    return this.opts.name;
  }

  private report(what: string): (err: unknown) => void {
    return (err) => {
      if (!this.stopped) this.opts.log('warn', `${this.opts.name}: ${what}: ${messageOf(err)}`);
    };
  }

  /** A worker on a connection of its own, not started. */
  private newWorker(): { worker: SyncWorker<SyncJobData>; connection: WorkerConnection } {
    const { opts } = this;
    const connection = workerConnection(opts.redisUrl, `gridfed-${opts.name}`);
    const worker = new SyncWorker<SyncJobData>(opts.name, (job) => this.process(job), {
      connection,
      prefix: queuePrefix(opts.name),
      concurrency: opts.concurrency,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      // A replica whose caches are not listed yet would take jobs and find no grid: it starts when they are.
      autorun: false,
    });
    // A replaced worker's last words (its connections dropped) are expected.
    const current = (report: (err: unknown) => void) => (err: unknown) => {
      if (this.worker === worker) report(err);
    };
    worker.on('error', current(this.report('worker')));
    worker.on('error', (err: unknown) => {
      // BullMQ's words for a job whose keys vanished while it ran (Redis lost the queue).
      if (/Missing (key|lock) for job/.test(messageOf(err))) this.resendFailing();
    });
    connection.on('error', current(this.report('worker connection')));
    return { worker, connection };
  }

  private runWorker(): void {
    void this.worker.run().catch(this.report('worker'));
  }

  /** Starts taking jobs (once the caches the reconciler reads are listed). */
  start(): void {
    if (this.stopped) return;
    this.runWorker();
    this.checkTimer ??= setInterval(() => void this.check(), CHECK_MS).unref();
    this.stallTimer ??= setInterval(() => void this.lookForStall(), STALL_LOOK_MS).unref();
    void this.check();
  }

  add(key: string, delayMs = this.opts.debounceMs): void {
    void this.send(this.owed.add(key, delayMs));
  }

  forget(key: string): void {
    this.failures.delete(key);
    this.owed.forget(key);
    this.unsentLogged.delete(key);
  }

  async pending(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  failing(): Map<string, number> {
    return new Map(this.failures);
  }

  async stop(deadlineMs = 5000): Promise<void> {
    this.stopped = true;
    clearInterval(this.checkTimer);
    clearInterval(this.stallTimer);
    const deadline = Date.now() + deadlineMs;
    if (this.connection.status === 'ready' && (await settlesBefore(this.worker.close(), deadline))) {
      await closeConnection(this.connection, deadline);
    } else {
      await this.worker.abandon(this.connection, `gridfed: ${this.opts.name} stopped`);
    }
    await settlesBefore(this.queue.close(), deadline);
  }

  private enqueue(key: string, delayMs: number, id: string, reschedule = false): Promise<unknown> {
    if (this.stopped) return Promise.resolve();
    const data: SyncJobData = { grid: key };
    // keepLastIfActive: while the key runs, adds collapse into one run after it; while
    // it waits, they are dropped (the run reads the state then), except that a timer
    // moves to what the latest run asked for (`reschedule`).
    return this.queue.add(JOB, data, { delay: delayMs, deduplication: { id, keepLastIfActive: true, reschedule } });
  }

  /** "Look again later", beside the ordinary adds: a timer's key is its own; the latest run's wish counts. */
  private async later(key: string, delayMs: number): Promise<void> {
    const run = this.owed.later(key, Math.max(0, Math.round(delayMs)));
    // Throws, so that the job fails and BullMQ retries it; meanwhile `check` sends it again too.
    await this.enqueueOwed(run);
    this.owed.sent(run);
  }

  /** Sends an owed add or timer to Redis; when Redis is away, `check` sends it again once it answers. */
  private async send(run: OwedRun): Promise<void> {
    try {
      await this.enqueueOwed(run);
      this.owed.sent(run);
      this.unsentLogged.delete(run.key);
    } catch (err) {
      if (this.stopped || this.unsentLogged.has(run.key)) return;
      this.unsentLogged.add(run.key);
      this.opts.log(
        'warn',
        `${this.opts.name}: ${run.key} not queued yet (sent again once Redis answers): ${messageOf(err)}`,
      );
    }
  }

  private enqueueOwed(run: OwedRun): Promise<unknown> {
    const delayMs = Math.max(0, run.due - Date.now());
    if (run.kind === 'add') return this.enqueue(run.key, delayMs, deduplicationId(run.key));
    return this.enqueue(run.key, delayMs, `${deduplicationId(run.key)}%40later`, true);
  }

  /**
   * Every second while started: when Redis lost the queue (restarted or flushed, or the
   * Cluster node holding its slot restarted empty), adds again everything still owed and
   * every failing key (its retry went with the queue); then sends what Redis did not take.
   */
  private check(): Promise<void> {
    if (this.stopped || this.checking || this.opts.producer.status !== 'ready') return Promise.resolve();
    const check = this.runCheck();
    this.checking = check;
    // Commands on the producer fail fast, but a check that hung must not stop the next ones.
    void settlesBefore(check, Date.now() + 10 * CHECK_MS).then(() => {
      if (this.checking === check) this.checking = undefined;
    });
    return check;
  }

  private async runCheck(): Promise<void> {
    try {
      if (await this.lossWatch.lost()) this.resendAll();
      for (const run of this.owed.unsent()) await this.send(run);
      this.owed.prune();
    } catch {
      // Redis is away: the next check looks again.
    }
  }

  private resendAll(): void {
    const runs = this.owed.all();
    const owed = new Set(runs.map((r) => r.key));
    for (const key of this.failures.keys()) if (!owed.has(key)) runs.push(this.owed.add(key, this.opts.backoffMs));
    this.opts.log(
      'warn',
      `${this.opts.name}: Redis lost the queue (restarted empty or flushed): adding ${runs.length} owed key(s) again`,
    );
    for (const run of runs) void this.send(run);
  }

  /** A job's keys vanished under the worker: the retry of a failed run went with them. */
  private resendFailing(): void {
    for (const key of this.failures.keys()) void this.send(this.owed.add(key, this.opts.backoffMs));
    void this.check();
  }

  private async process(job: Job<SyncJobData, void>): Promise<void> {
    const data: unknown = job.data;
    if (!isSyncJobData(data)) throw new UnrecoverableError(`${this.opts.name} job ${job.id ?? '?'}: no grid key`);
    this.stall.started();
    this.running += 1;
    try {
      await this.run(data.grid);
    } finally {
      this.running -= 1;
    }
  }

  private async run(key: string): Promise<void> {
    if (this.opts.minIntervalMs && !(await this.startsNow(key))) return;
    this.owed.started(key);
    let result: void | Requeue;
    try {
      result = await this.opts.reconcile(key);
      this.failures.delete(key);
    } catch (err) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      this.opts.log('warn', `${this.opts.name} of ${key} (attempt ${failures}, will retry): ${messageOf(err)}`);
      throw err;
    }
    if (result) await this.later(key, result.requeueAfterMs);
  }

  /**
   * Every STALL_LOOK_MS while started: a worker that left ready jobs alone for STALL_MS
   * while it had room for them is wedged (it looks alive and says nothing); a new one,
   * on a new connection, takes its place.
   */
  private async lookForStall(): Promise<void> {
    if (this.stopped || this.looking || this.opts.producer.status !== 'ready') return;
    this.looking = true;
    try {
      const { ready, paused } = await lookAtQueue(this.queue, this.opts.producer, Date.now());
      const look = { ready, paused, running: this.running, concurrency: this.opts.concurrency };
      if (this.stall.look(look) && !this.stopped) await this.replaceWorker(ready);
    } catch {
      // Redis is away: the next look tries again.
    } finally {
      this.looking = false;
    }
  }

  private async replaceWorker(ready: number): Promise<void> {
    this.opts.log(
      'warn',
      `${this.opts.name}: its worker left ${ready} ready job(s) untaken for ${STALL_MS / 1000} s while it had room: ` +
        'replaced by a new worker on a new Redis connection',
    );
    const stalled = { worker: this.worker, connection: this.connection };
    ({ worker: this.worker, connection: this.connection } = this.newWorker());
    this.runWorker();
    await stalled.worker.abandon(stalled.connection, `gridfed: ${this.opts.name} worker stalled`);
  }

  /** At most one start per key per minIntervalMs across replicas; otherwise runs once the interval is over. */
  private async startsNow(key: string): Promise<boolean> {
    // Beside the queue's own keys (`<prefix>:<name>:...`), so in its slot on a Redis Cluster.
    const throttle = `${queuePrefix(this.opts.name)}:${this.opts.name}:throttle:${deduplicationId(key)}`;
    const interval = this.opts.minIntervalMs ?? 0;
    if ((await this.opts.producer.set(throttle, '1', 'PX', interval, 'NX')) === 'OK') return true;
    const ttl = await this.opts.producer.pttl(throttle);
    await this.later(key, ttl > 0 ? ttl : interval);
    return false;
  }
}
