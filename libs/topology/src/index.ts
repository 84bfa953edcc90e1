export * from './node-unit-index.js';
