export * from './aggregate.js';
export * from './grid-status.js';
export * from './site-config-status.js';
