export * from './clients.js';
export * from './errors.js';
export * from './kubeconfig.js';
export * from './member-kubeconfig.js';
export * from './reflector.js';
export * from './apply.js';
export * from './metadata.js';
export * from './shared-connections.js';
