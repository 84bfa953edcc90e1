export * from './aggregate.js';
export * from './grid-status.js';
