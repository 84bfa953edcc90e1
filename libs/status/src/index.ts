export * from './aggregate.js';
export * from './grid-status.js';
export * from './readiness.js';
export * from './rows.js';
