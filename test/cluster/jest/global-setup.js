// Starts the shared fleet (control, member-1, member-2) once for every e2e file, in a
// process of its own (the same command as `make clusters`), fresh for each run.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const fleetCli = (command, ...args) =>
  execFileSync(resolve('node_modules/.bin/tsx'), [resolve('test/cluster/src/cli.ts'), command, ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, GRIDFED_CLUSTERS_DIR: process.env.GRIDFED_TEST_CLUSTERS_DIR },
  });

export default function globalSetup() {
  process.env.GRIDFED_TEST_CLUSTERS_DIR ??= resolve('.gridfed/test-clusters');
  fleetCli('up', '--fresh');
}
