import { join } from 'node:path';
import { fleetCli, redisScript, testRoot } from './global-setup.js';

export default function globalTeardown() {
  redisScript('down', join(testRoot(), 'redis'));
  fleetCli('down');
}
