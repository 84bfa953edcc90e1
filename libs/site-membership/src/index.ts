export * from './node-membership.js';
export * from './site-cache.js';
export * from './site-membership.js';
export * from './site-status.js';
export * from './stale-facts.js';
