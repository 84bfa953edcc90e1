export * from './keys.js';
export * from './types.js';
export * from './node-ref.js';
export * from './validation.js';
export * from './site-view.js';
