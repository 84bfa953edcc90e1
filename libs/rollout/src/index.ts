export * from './assignment.js';
export * from './plan.js';
export * from './readiness.js';
export * from './revision.js';
export * from './strategy.js';
export * from './waves.js';
