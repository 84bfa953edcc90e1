import { join } from 'node:path';
import { fleetCli, redisClusterScript, redisScript, testRoot } from './global-setup.js';

export default function globalTeardown() {
  // Both e2e projects name this file: once is enough.
  if (!process.env.GRIDFED_E2E_SET_UP) return;
  delete process.env.GRIDFED_E2E_SET_UP;
  redisScript('down', join(testRoot(), 'redis'));
  redisClusterScript('down', join(testRoot(), 'redis-cluster'));
  fleetCli('down');
}
