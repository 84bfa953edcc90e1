// Once per e2e run: compile the hub and CLI, start the shared fleet (control,
// member-1, member-2; the same command as `make clusters`), start a real Redis and a
// real 3-master Redis Cluster, and prepare the control cluster for the hub (CRDs, RBAC,
// the hub's own kubeconfig). Both e2e projects name this file; it runs once.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const tsx = resolve('node_modules/.bin/tsx');

export const testRoot = () => process.env.GRIDFED_TEST_CLUSTERS_DIR;

export const fleetCli = (command, ...args) =>
  execFileSync(tsx, [resolve('tools/local-cluster/src/cli.ts'), command, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, GRIDFED_CLUSTERS_DIR: testRoot() },
  });

export const redisScript = (...args) =>
  execFileSync('bash', [resolve('scripts/redis.sh'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });

export const redisClusterScript = (...args) =>
  execFileSync('bash', [resolve('scripts/redis-cluster.sh'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });

export default function globalSetup() {
  if (process.env.GRIDFED_E2E_SET_UP) return;
  process.env.GRIDFED_E2E_SET_UP = '1';
  process.env.GRIDFED_TEST_CLUSTERS_DIR ??= resolve('.gridfed/test-clusters');
  const started = Date.now();
  execFileSync(resolve('node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  fleetCli('up', '--fresh');
  // The fault table, the credentials and the API responses of this run only.
  for (const file of ['faults.jsonl', 'credentials.txt', 'api-responses.log'])
    rmSync(join(testRoot(), file), { force: true });
  const url = redisScript('up', join(testRoot(), 'redis')).trim().split('\n').pop();
  process.env.GRIDFED_TEST_REDIS_URL = url;
  const clusterUrl = redisClusterScript('up', join(testRoot(), 'redis-cluster')).trim().split('\n').pop();
  process.env.GRIDFED_TEST_REDIS_CLUSTER_URL = clusterUrl;
  const control = join(testRoot(), 'control', 'kubeconfig');
  execFileSync(tsx, [resolve('tools/local-hub/prepare-control.ts'), control, join(testRoot(), 'hub-kubeconfig')], {
    stdio: 'inherit',
  });
  process.stderr.write(
    `e2e setup (build, fleet, redis, control) took ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
