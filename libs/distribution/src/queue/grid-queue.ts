// A per-grid reconciler's queue shared by every hub replica (BullMQ): a key added on any
// replica runs once, on whichever replica's worker takes it; never twice at once (one
// active job per key, a key added while it runs gets exactly one more run after it);
// debounced; at most `minIntervalMs` between the starts of one key's runs across all
// replicas (a Redis key with a TTL); failures retried with jittered exponential backoff;
// "look again in N ms" as a delayed job. Jobs carry the grid's key and nothing else.
import { Queue, UnrecoverableError, type Job } from 'bullmq';
import type { KeyQueue, Requeue } from '#gridfed/workqueue';
import { settlesBefore } from './deadline.js';
import { messageOf } from './member-queue.js';
import { closeConnection, workerConnection, type RedisConnection, type WorkerConnection } from './redis-connections.js';
import { deduplicationId, isSyncJobData, queuePrefix, type SyncJobData } from './sync-job.js';
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

export class GridQueue implements KeyQueue {
  private readonly queue: Queue<SyncJobData>;
  private readonly worker: SyncWorker<SyncJobData>;
  private readonly connection: WorkerConnection;
  private readonly failures = new Map<string, number>();
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
    this.connection = workerConnection(opts.redisUrl, `gridfed-${opts.name}`);
    this.worker = new SyncWorker<SyncJobData>(opts.name, (job) => this.process(job), {
      connection: this.connection,
      prefix: queuePrefix(opts.name),
      concurrency: opts.concurrency,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      // A replica whose caches are not listed yet would take jobs and find no grid: it starts when they are.
      autorun: false,
    });
    const report = (what: string) => (err: unknown) => {
      if (!this.stopped) opts.log('warn', `${opts.name}: ${what}: ${messageOf(err)}`);
    };
    this.queue.on('error', report('queue'));
    this.worker.on('error', report('worker'));
    this.connection.on('error', report('worker connection'));
  }

  get name(): string {
    return this.opts.name;
  }

  /** Starts taking jobs (once the caches the reconciler reads are listed). */
  start(): void {
    if (!this.stopped)
      void this.worker
        .run()
        .catch((err: unknown) => this.opts.log('warn', `${this.opts.name}: worker: ${messageOf(err)}`));
  }

  add(key: string, delayMs = this.opts.debounceMs): void {
    this.enqueue(key, delayMs, deduplicationId(key)).catch((err: unknown) => {
      this.opts.log('warn', `${this.opts.name}: ${key} not queued (the resync adds it again): ${messageOf(err)}`);
    });
  }

  forget(key: string): void {
    this.failures.delete(key);
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
  private later(key: string, delayMs: number): Promise<unknown> {
    return this.enqueue(key, Math.max(0, Math.round(delayMs)), `${deduplicationId(key)}%40later`, true);
  }

  private async process(job: Job<SyncJobData, void>): Promise<void> {
    const data: unknown = job.data;
    if (!isSyncJobData(data)) throw new UnrecoverableError(`${this.opts.name} job ${job.id ?? '?'}: no grid key`);
    const key = data.grid;
    if (this.opts.minIntervalMs && !(await this.startsNow(key))) return;
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
