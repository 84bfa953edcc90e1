// What a sync job is: "sync this grid on this member cluster", a key and nothing else.
// The worker recomputes the desired objects when it runs, so a stale or repeated job
// is harmless and a lost Redis loses nothing the next resync does not rebuild.
import type { DefaultJobOptions } from 'bullmq';

/** First part of every gridfed queue key; `queuePrefix` adds the queue's hash tag. */
const QUEUE_NAMESPACE = 'gridfed';
/** The one job name in a sync queue. */
export const SYNC_JOB_NAME = 'sync';

export interface SyncJobData {
  /** Grid key, `Kind/namespace/name`. */
  grid: string;
}

export interface RetryPolicy {
  /** Runs of a job in all, the first included. */
  attempts: number;
  /** First retry delay; each later one doubles. */
  backoffMs: number;
  /** Fraction (0..1) of each delay drawn at random, so retries of many jobs spread out. */
  jitter: number;
}

/** Queue of one member cluster. BullMQ rejects ':' in queue names (it separates key parts). */
export function syncQueueName(cluster: string): string {
  if (cluster.length === 0) throw new Error('member cluster name is empty: no queue name for it');
  if (cluster.includes(':')) throw new Error(`member cluster "${cluster}": a queue name cannot contain ':'`);
  return `sync-${cluster}`;
}

/**
 * The BullMQ `prefix` of queue `queueName`, for every Queue, Worker and QueueEvents of it:
 * `gridfed:{<queue>}`, so its keys read `gridfed:{sync-member-1}:sync-member-1:wait`.
 * On a Redis Cluster the hash tag (`{...}`) puts every key of one queue in one slot, as
 * BullMQ's scripts need, while different queues hash to different slots and so spread
 * over the nodes. On one redis-server it only names the keys.
 */
export function queuePrefix(queueName: string): string {
  if (queueName.length === 0) throw new Error('queue name is empty: no key prefix for it');
  return `${QUEUE_NAMESPACE}:{${queueName}}`;
}

/**
 * Deduplication id of a grid key. '/' is fine in a Redis key, so keys stay readable
 * (bull-board shows them); ':' (the key separator) and '%' are escaped so that the
 * mapping stays one to one whatever a key holds.
 */
export function deduplicationId(gridKey: string): string {
  if (gridKey.length === 0) throw new Error('grid key is empty: nothing to sync');
  return gridKey.replaceAll('%', '%25').replaceAll(':', '%3A');
}

export function isSyncJobData(data: unknown): data is SyncJobData {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { grid?: unknown }).grid === 'string' &&
    (data as { grid: string }).grid.length > 0
  );
}

/** Options every sync job gets: bounded retries with jittered exponential backoff, bounded history. */
export function syncJobOptions(policy: RetryPolicy): DefaultJobOptions {
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new Error(`sync queues: attempts must be a whole number >= 1, got ${policy.attempts}`);
  }
  if (!(policy.backoffMs > 0)) throw new Error(`sync queues: backoffMs must be > 0, got ${policy.backoffMs}`);
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) {
    throw new Error(`sync queues: jitter must be within 0..1, got ${policy.jitter}`);
  }
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs, jitter: policy.jitter },
    // Enough history for the dashboard, never an ever-growing Redis. Deduplication
    // goes by deduplication id, so kept jobs never block a new one for the same grid.
    removeOnComplete: { count: 100, age: 3600 },
    removeOnFail: { count: 1000, age: 24 * 3600 },
  };
}
