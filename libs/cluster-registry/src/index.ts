export * from './cluster-registry.js';
export * from './member-cluster.js';
export * from './member-connection.js';
export * from './cache-shapes.js';
export * from './member-status.js';
export * from './managed-index.js';
export * from './copy-reflector.js';
