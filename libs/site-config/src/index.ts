export * from './types.js';
export * from './validation/index.js';
