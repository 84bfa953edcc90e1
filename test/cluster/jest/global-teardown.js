import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fleetCli, redisClusterScript, redisScript, testRoot } from './global-setup.js';

const tsx = resolve('node_modules/.bin/tsx');

export default function globalTeardown() {
  // Both e2e projects name this file: once is enough.
  if (!process.env.GRIDFED_E2E_SET_UP) return;
  delete process.env.GRIDFED_E2E_SET_UP;
  try {
    execFileSync(tsx, [resolve('test/cluster/fleet-report.ts'), testRoot()], { stdio: 'inherit' });
  } catch {
    // A report only: the teardown goes on whatever it found.
  }
  let leak;
  try {
    // While the fleet still runs: no credential the run made may appear in what the hub said.
    execFileSync(tsx, [resolve('test/security/credential-scan.ts'), testRoot()], { stdio: 'inherit' });
  } catch (err) {
    leak = err;
  }
  redisScript('down', join(testRoot(), 'redis'));
  redisClusterScript('down', join(testRoot(), 'redis-cluster'));
  fleetCli('down');
  if (leak)
    throw new Error('credential scan failed: a credential appears in a log, an Event or a response (see above)');
}
