// One BullMQ queue and worker per member cluster, created and removed while the hub
// runs (members come and go, so no static @Processor). Separate queues and workers
// keep clusters apart: a slow or unreachable member only ever delays its own jobs.
import type { DefaultJobOptions, Queue } from 'bullmq';
import { settlesBefore } from './deadline.js';
import {
  createMemberQueue,
  inPauseOrder,
  lookAfterMember,
  messageOf,
  stopMemberWorker,
  watchMemberQueue,
  type MemberQueue,
  type SyncProcessor,
} from './member-queue.js';
import { closeConnection, producerConnection, type RedisConnection } from './redis-connections.js';
import { deduplicationId, SYNC_JOB_NAME, syncJobOptions, type SyncJobData } from './sync-job.js';
import { ThrottledLog } from './throttled-log.js';

export type { SyncJobInfo, SyncProcessor } from './member-queue.js';

export interface QueueLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface ClusterQueuesOptions {
  redisUrl: string;
  /** Jobs one member cluster runs at once (addCluster may say otherwise per cluster). */
  concurrency: number;
  /** Runs of a job in all, the first included. */
  attempts: number;
  /** First retry delay; each later one doubles. */
  backoffMs: number;
  /** Fraction (0..1) of each retry delay drawn at random. Default 0.5. */
  jitter?: number;
  /** How long removeCluster lets the cluster's running jobs finish. Default 10 s. */
  removeDeadlineMs?: number;
  /** How long a call waits for Redis before the first connection is up. Default 5 s. */
  connectTimeoutMs?: number;
  logger?: QueueLogger;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  paused: boolean;
}

const DEFAULT_JITTER = 0.5;
const DEFAULT_REMOVE_DEADLINE_MS = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** How often each member's worker is looked at: does it still take the jobs that are ready? */
const STALL_LOOK_MS = 5000;

export class ClusterQueues {
  private readonly members = new Map<string, MemberQueue>();
  private readonly producer: RedisConnection;
  private readonly jobOptions: DefaultJobOptions;
  private readonly log: { warn: (m: string) => void; error: (m: string) => void };
  private readonly firstConnection: Promise<void>;
  private producerWasReady = false;
  private closing: Promise<void> | undefined;
  private readonly stallTimer: NodeJS.Timeout;
  private looking = false;

  constructor(private readonly opts: ClusterQueuesOptions) {
    this.jobOptions = syncJobOptions({
      attempts: opts.attempts,
      backoffMs: opts.backoffMs,
      jitter: opts.jitter ?? DEFAULT_JITTER,
    });
    const logger = opts.logger ?? consoleLogger;
    const warnings = new ThrottledLog((m) => logger.warn(m));
    const errors = new ThrottledLog((m) => logger.error(m));
    this.log = { warn: (m) => warnings.log(m), error: (m) => errors.log(m) };
    this.producer = producerConnection(opts.redisUrl);
    this.producer.on('error', (err: unknown) => this.log.error(`sync queues: Redis: ${messageOf(err)}`));
    this.producer.on('ready', () => this.onProducerReady());
    // One promise for every early caller: no listener per call, however many wait.
    this.firstConnection = new Promise((resolve) => this.producer.once('ready', () => resolve()));
    this.stallTimer = setInterval(() => void this.lookAtWorkers(), STALL_LOOK_MS).unref();
  }

  /**
   * Level-triggered care of every member's queue and worker (member-queue.ts): Redis's
   * pause flag is put back to what gridfed wants when they differ, and a worker that
   * stopped taking the jobs that are ready is replaced.
   */
  private async lookAtWorkers(): Promise<void> {
    if (this.looking || this.closing || this.producer.status !== 'ready') return;
    this.looking = true;
    try {
      for (const member of this.members.values()) {
        // Redis away or the member just removed: the next look tries again.
        await lookAfterMember(member, this.log).catch(() => undefined);
      }
    } finally {
      this.looking = false;
    }
  }

  /** Starts the cluster's queue and worker. A cluster already added is left as it is. */
  async addCluster(cluster: string, processor: SyncProcessor, opts: { concurrency?: number } = {}): Promise<void> {
    if (this.closing) throw new Error(`sync queues are closed: cannot add member cluster ${cluster}`);
    if (this.members.has(cluster)) return;
    const member = createMemberQueue({
      cluster,
      processor,
      redisUrl: this.opts.redisUrl,
      producer: this.producer,
      jobOptions: this.jobOptions,
      concurrency: opts.concurrency ?? this.opts.concurrency,
    });
    watchMemberQueue(member, this.log);
    this.members.set(cluster, member);
  }

  /**
   * Stops the cluster's worker (running jobs get until the remove deadline) and
   * forgets the queue. Its jobs stay in Redis for a later addCluster, unless
   * `drain` deletes the queue's every job and key.
   */
  async removeCluster(cluster: string, opts: { drain?: boolean } = {}): Promise<void> {
    const member = this.members.get(cluster);
    if (!member) return;
    this.members.delete(cluster);
    const deadline = Date.now() + (this.opts.removeDeadlineMs ?? DEFAULT_REMOVE_DEADLINE_MS);
    if (!(await stopMemberWorker(member, deadline))) {
      this.log.warn(`member ${cluster}: removed while jobs still ran; they were abandoned`);
    }
    if (opts.drain) {
      await member.queue.obliterate({ force: true }).catch((err: unknown) => {
        this.log.warn(`member ${cluster}: could not delete queue ${member.queue.name}: ${messageOf(err)}`);
      });
    }
    await settlesBefore(member.queue.close(), deadline);
  }

  /** Asks for one sync of `gridKey` on `cluster`; bursts for one key coalesce. */
  async enqueue(cluster: string, gridKey: string): Promise<void> {
    const member = this.member(cluster);
    const data: SyncJobData = { grid: gridKey };
    // keepLastIfActive: while a job for this key runs, further adds collapse into one
    // re-run after it; while one waits, they are dropped (it will read the new state).
    const deduplication = { id: deduplicationId(gridKey), keepLastIfActive: true };
    await this.redisReady();
    // A flushed Redis forgot a pause: say it again before the job lands, in the member's
    // pause order (a pause sent after a resume would leave the queue paused for good).
    if (member.paused) await inPauseOrder(member, () => (member.paused ? member.queue.pause() : undefined));
    await member.queue.add(SYNC_JOB_NAME, data, { deduplication });
  }

  /**
   * For an unreachable member: its jobs wait in Redis instead of burning retries.
   * The wish is kept here too, applied again whenever Redis comes back, and checked
   * against Redis at every look (lookAtWorkers).
   */
  async pause(cluster: string): Promise<void> {
    const member = this.member(cluster);
    member.paused = true;
    await this.redisReady();
    await inPauseOrder(member, () => member.queue.pause());
  }

  async resume(cluster: string): Promise<void> {
    const member = this.member(cluster);
    member.paused = false;
    await this.redisReady();
    await inPauseOrder(member, () => member.queue.resume());
  }

  async depth(cluster: string): Promise<QueueDepth> {
    const { queue } = this.member(cluster);
    await this.redisReady();
    const [counts, paused] = await Promise.all([
      queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
      queue.isPaused(),
    ]);
    const count = (state: string): number => counts[state] ?? 0;
    return {
      waiting: count('waiting') + count('prioritized'),
      active: count('active'),
      delayed: count('delayed'),
      failed: count('failed'),
      paused,
    };
  }

  clusters(): string[] {
    return [...this.members.keys()];
  }

  /** The member queues, for bull-board. */
  queues(): Queue[] {
    return [...this.members.values()].map((m) => m.queue);
  }

  /** Resolves when Redis answers. */
  async ping(): Promise<void> {
    await this.redisReady();
    await this.producer.ping();
  }

  /**
   * Stops every worker, letting running jobs finish until `deadlineMs` from now;
   * jobs still running then are abandoned (their signal aborted, their connections
   * dropped) and run again by the next hub once their lock expires.
   */
  close(deadlineMs: number): Promise<void> {
    this.closing ??= this.shutdown(Date.now() + deadlineMs);
    return this.closing;
  }

  private async shutdown(deadline: number): Promise<void> {
    clearInterval(this.stallTimer);
    const members = [...this.members.values()];
    this.members.clear();
    const stopped = await Promise.all(members.map((m) => stopMemberWorker(m, deadline)));
    members.forEach((m, i) => {
      if (!stopped[i]) this.log.warn(`member ${m.cluster}: jobs still running at the shutdown deadline were abandoned`);
    });
    await Promise.all(members.map((m) => settlesBefore(m.queue.close(), deadline)));
    await closeConnection(this.producer, deadline);
  }

  private member(cluster: string): MemberQueue {
    const member = this.members.get(cluster);
    if (member) return member;
    if (this.closing) throw new Error(`sync queues are closed: member cluster ${cluster} takes no work`);
    throw new Error(`member cluster ${cluster} has no sync queue (not added, or removed)`);
  }

  /**
   * At start-up calls wait (briefly) for the first connection; after that they fail
   * at once while Redis is away, so callers never pile up behind an outage.
   */
  private async redisReady(): Promise<void> {
    if (this.producer.status === 'ready') return;
    if (this.producerWasReady) throw new Error(`Redis is unreachable (connection ${this.producer.status})`);
    const timeoutMs = this.opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (!(await settlesBefore(this.firstConnection, Date.now() + timeoutMs))) {
      throw new Error(`Redis did not answer within ${timeoutMs} ms (connection ${this.producer.status})`);
    }
  }

  /** A restarted or replaced Redis knows no pauses: apply gridfed's again. */
  private onProducerReady(): void {
    const again = this.producerWasReady;
    this.producerWasReady = true;
    if (!again) return;
    for (const member of this.members.values()) {
      if (!member.paused) continue;
      member.queue.pause().catch((err: unknown) => {
        this.log.warn(`member ${member.cluster}: could not pause its queue again: ${messageOf(err)}`);
      });
    }
  }
}

const consoleLogger: QueueLogger = {
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};
