export * from './cluster-queues.js';
export { QUEUE_PREFIX, syncQueueName, type SyncJobData } from './sync-job.js';
export * from './grid-queue.js';
