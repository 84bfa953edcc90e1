// One member cluster's queue and worker: how they are made, how their errors reach
// the log, and how the worker is stopped within a deadline.
import { Queue, UnrecoverableError, type DefaultJobOptions, type Job } from 'bullmq';
import { settlesBefore } from './deadline.js';
import { closeConnection, workerConnection, type RedisConnection, type WorkerConnection } from './redis-connections.js';
import { lookAtQueue } from './queue-look.js';
import { STALL_MS, StallWatch } from './stall-watch.js';
import { isSyncJobData, queuePrefix, syncQueueName, type SyncJobData } from './sync-job.js';
import { SyncWorker } from './sync-worker.js';

export interface SyncJobInfo {
  id?: string;
  /** Runs of this job that already failed: 0 on the first run. */
  attemptsMade: number;
  /** Aborted when the hub gives up on the job at a shutdown deadline. */
  signal?: AbortSignal;
}

/** Converges one grid on one member cluster; a rejection makes the job retry. */
export type SyncProcessor = (cluster: string, gridKey: string, job: SyncJobInfo) => Promise<void>;

export interface MemberQueue {
  cluster: string;
  queue: Queue<SyncJobData>;
  worker: SyncWorker<SyncJobData>;
  connection: WorkerConnection;
  /** What gridfed wants. Re-asserted on Redis, which forgets it when flushed or restarted. */
  paused: boolean;
  /** Being removed or closed: its errors are expected and not worth a line. */
  retired: boolean;
  /** Processor calls under way, known even while Redis (BullMQ's own record) is away. */
  running: Set<Promise<void>>;
  /** Tells when the worker stopped taking the jobs that are ready (replaceStalledWorker). */
  stall: StallWatch;
  /** The last pause or resume sent to Redis: the next one is sent after it (inPauseOrder). */
  pauseOrder: Promise<unknown>;
  settings: MemberQueueSettings;
}

export interface MemberQueueSettings {
  cluster: string;
  processor: SyncProcessor;
  redisUrl: string;
  producer: RedisConnection;
  jobOptions: DefaultJobOptions;
  concurrency: number;
}

export function createMemberQueue(s: MemberQueueSettings): MemberQueue {
  const name = syncQueueName(s.cluster);
  const queue = new Queue<SyncJobData>(name, {
    connection: s.producer,
    prefix: queuePrefix(name),
    defaultJobOptions: s.jobOptions,
    streams: { events: { maxLen: 1000 } },
  });
  const running = new Set<Promise<void>>();
  const stall = new StallWatch(STALL_MS);
  const { worker, connection } = newMemberWorker(s, running, stall);
  return {
    cluster: s.cluster,
    queue,
    worker,
    connection,
    paused: false,
    retired: false,
    running,
    stall,
    pauseOrder: Promise.resolve(),
    settings: s,
  };
}

/** The member's worker, started, on a connection of its own. */
function newMemberWorker(
  s: MemberQueueSettings,
  running: Set<Promise<void>>,
  stall: StallWatch,
): { worker: SyncWorker<SyncJobData>; connection: WorkerConnection } {
  const name = syncQueueName(s.cluster);
  const connection = workerConnection(s.redisUrl, `gridfed-worker-${s.cluster}`);
  const processJob = (job: Job<SyncJobData, void>, _token?: string, signal?: AbortSignal): Promise<void> => {
    stall.started();
    const run = runJob(s.cluster, s.processor, job, signal);
    running.add(run);
    return run.finally(() => running.delete(run));
  };
  const worker = new SyncWorker<SyncJobData>(name, processJob, {
    connection,
    prefix: queuePrefix(name),
    concurrency: s.concurrency,
    // A hub killed mid-job leaves that job active (and its deduplication id taken) until
    // its lock expires: short locks let a restarted hub take the work back within seconds.
    // Syncs are idempotent, so a job retaken after a long event-loop stall is harmless.
    lockDuration: 10_000,
    stalledInterval: 5_000,
  });
  return { worker, connection };
}

/**
 * Runs `send` (a pause or resume of the member's queue) after the one sent before it has
 * settled. BullMQ's pause() and resume() each await their connection before the script
 * goes out, so two calls in a row may reach Redis in the other order: a resume overtaken
 * by an earlier pause leaves the queue paused while gridfed believes it running.
 */
export function inPauseOrder(member: MemberQueue, send: () => Promise<void> | undefined): Promise<void> {
  const sent = member.pauseOrder.catch(() => undefined).then(send);
  member.pauseOrder = sent;
  return sent;
}

/**
 * One look at a member's queue: Redis's pause flag is put back to gridfed's wish when they
 * differ (a flushed Redis forgot a pause; anything else paused it), then the worker is
 * checked for a stall (replaceStalledWorker).
 */
export async function lookAfterMember(member: MemberQueue, log: QueueLog): Promise<void> {
  const { ready, paused } = await lookAtQueue(member.queue, member.settings.producer, Date.now());
  if (member.retired) return;
  if (paused !== member.paused) {
    const wanted = member.paused;
    log.warn(
      `member ${member.cluster}: queue ${member.queue.name} was ${paused ? 'paused' : 'running'} in Redis ` +
        `while gridfed wants it ${wanted ? 'paused' : 'running'}: ${wanted ? 'paused' : 'resumed'} again`,
    );
    await inPauseOrder(member, () => (member.paused ? member.queue.pause() : member.queue.resume()));
    return;
  }
  await replaceStalledWorker(member, { ready, paused }, log);
}

type QueueLog = { error: (message: string) => void; warn: (message: string) => void };

/**
 * A worker that left ready jobs alone while it had room for them is wedged (on a Redis
 * Cluster its blocking connection can be; it looks alive and says nothing): a new one,
 * on a new connection, takes its place. True when it was replaced.
 */
export async function replaceStalledWorker(
  member: MemberQueue,
  { ready, paused }: { ready: number; paused: boolean },
  log: QueueLog,
): Promise<boolean> {
  const look = { ready, paused, running: member.running.size, concurrency: member.settings.concurrency };
  if (!member.stall.look(look) || member.retired) return false;
  log.warn(
    `member ${member.cluster}: the worker of ${member.queue.name} left ${ready} ready job(s) untaken for ` +
      `${STALL_MS / 1000} s while it had room: replaced by a new worker on a new Redis connection`,
  );
  const stalled = { worker: member.worker, connection: member.connection };
  Object.assign(member, newMemberWorker(member.settings, member.running, member.stall));
  watchMemberWorker(member, log);
  await stalled.worker.abandon(stalled.connection, `gridfed: worker of ${member.queue.name} stalled`);
  return true;
}

/** Every error the queue, worker or connection reports goes to `error`, never unhandled. */
export function watchMemberQueue(
  member: MemberQueue,
  log: { error: (message: string) => void; warn: (message: string) => void },
): void {
  const { cluster, queue } = member;
  queue.on('error', (err: unknown) => {
    if (!member.retired) log.error(`member ${cluster}: queue ${queue.name}: ${messageOf(err)}`);
  });
  watchMemberWorker(member, log);
}

/** The worker's and its connection's errors, and its final failures, go to the log. */
function watchMemberWorker(
  member: MemberQueue,
  log: { error: (message: string) => void; warn: (message: string) => void },
): void {
  const { cluster, queue, worker, connection } = member;
  const report = (what: string) => (err: unknown) => {
    // A replaced worker's last words (its connections dropped) are expected.
    if (!member.retired && member.worker === worker) log.error(`member ${cluster}: ${what}: ${messageOf(err)}`);
  };
  worker.on('error', report(`worker of ${queue.name}`));
  connection.on('error', report(`worker connection of ${queue.name}`));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    const key = isSyncJobData(job.data) ? job.data.grid : `job ${job.id ?? '?'}`;
    log.warn(`member ${cluster}: sync of ${key} gave up after ${job.attemptsMade} attempts: ${messageOf(err)}`);
  });
}

/**
 * Lets running jobs finish until `deadline`. Past it the worker is abandoned: its jobs'
 * signals are aborted and its connections dropped, so shutdown never hangs on a job;
 * such a job stays active in Redis until its lock expires and then runs again.
 * True when the worker stopped in time.
 */
export async function stopMemberWorker(member: MemberQueue, deadline: number): Promise<boolean> {
  member.retired = true;
  const { worker, connection } = member;
  if (connection.status !== 'ready') {
    // Redis is away and BullMQ's close() would wait for it: let running syncs end
    // (their outcome cannot be recorded, so they run again anyway), then let go.
    const finished = await settlesBefore(Promise.allSettled([...member.running]), deadline);
    await worker.abandon(connection, 'gridfed: shutdown while Redis is unreachable');
    return finished;
  }
  if (await settlesBefore(worker.close(), deadline)) {
    await closeConnection(connection, deadline);
    return true;
  }
  await worker.abandon(connection, 'gridfed: shutdown deadline reached');
  return false;
}

async function runJob(
  cluster: string,
  processor: SyncProcessor,
  job: Job<SyncJobData, void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const data: unknown = job.data;
  if (!isSyncJobData(data)) {
    // Not gridfed's job (an old format, or added by hand): retrying cannot help.
    throw new UnrecoverableError(`queue ${job.queueName} job ${job.id ?? '?'}: data is not {grid: "<Kind/ns/name>"}`);
  }
  await processor(cluster, data.grid, { id: job.id, attemptsMade: job.attemptsMade, signal });
}

/** The message of an error, also of one made in another realm (jest's VM contexts). */
export function messageOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return String(err);
}
