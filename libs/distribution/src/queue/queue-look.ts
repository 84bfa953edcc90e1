// What a StallWatch needs to know of a queue in Redis: how many jobs could start now, and
// whether the queue is paused. A worker that stopped fetching also stops promoting
// delayed jobs, so a delayed job past its time counts as ready.
import type { Queue } from 'bullmq';
import type { RedisConnection } from './redis-connections.js';

/** BullMQ keeps a delayed job's due time (ms) times 0x1000 plus a counter as its score. */
const DELAYED_SCORE_FACTOR = 0x1000;

/** How late a delayed job may be before it counts as ready (the worker promotes it when it next fetches). */
const DUE_GRACE_MS = 1000;

export async function lookAtQueue(
  queue: Queue,
  redis: RedisConnection,
  now: number,
): Promise<{ ready: number; paused: boolean }> {
  const [counts, paused, first] = await Promise.all([
    queue.getJobCounts('wait', 'prioritized'),
    queue.isPaused(),
    redis.zrange(queue.toKey('delayed'), '0', '0', 'WITHSCORES'),
  ]);
  const waiting = (counts['wait'] ?? 0) + (counts['prioritized'] ?? 0);
  return { ready: waiting + (delayedIsDue(first, now) ? 1 : 0), paused };
}

/** `first` is ZRANGE ... WITHSCORES of the earliest delayed job: [id, score] or []. */
export function delayedIsDue(first: string[], now: number): boolean {
  const score = Number(first[1]);
  if (!Number.isFinite(score)) return false;
  return Math.floor(score / DELAYED_SCORE_FACTOR) + DUE_GRACE_MS <= now;
}
