export * from './cluster-queues.js';
export { queuePrefix, syncQueueName, type SyncJobData } from './sync-job.js';
export { parseRedisUrl, redisUrlProblem, type RedisTarget } from './redis-url.js';
export * from './grid-queue.js';
export { LossWatch } from './loss-watch.js';
