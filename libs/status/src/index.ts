export * from './aggregate.js';
export * from './status-aggregator.js';
