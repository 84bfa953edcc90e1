export * from './lease-names.js';
export * from './liveness.js';
export * from './rendezvous.js';
export * from './shard-coordinator.js';
export * from './shard-plan.js';
