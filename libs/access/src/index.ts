export * from './access-reviewer.js';
export * from './bearer.js';
export * from './checks.js';
export * from './expiring-cache.js';
export * from './permissions.js';
export * from './route-rules.js';
export * from './visibility.js';
