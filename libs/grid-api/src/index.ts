export * from './keys.js';
export * from './types.js';
export * from './names.js';
export * from './validation/index.js';
export * from './status-rows.js';
