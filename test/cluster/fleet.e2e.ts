// The shared fleet that global-setup started, as a user of `make clusters` sees it:
// kubectl with the written kubeconfig lists each member's NodeUnit nodes.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { ensureKubeBinaries } from '../../tools/local-cluster/src/binaries.js';
import { FLEET } from '../../tools/local-cluster/src/fleet.js';
import { fleetCluster } from './jest/test-fleet.js';

const kubectl = ensureKubeBinaries().kubectl;

describe('the local fleet', () => {
  it.each(FLEET.map((spec) => [spec.name, spec] as const))(
    '%s answers kubectl with its labelled nodes',
    async (name, spec) => {
      const cluster = await fleetCluster(name);
      const out = execFileSync(
        kubectl,
        ['--kubeconfig', cluster.kubeconfigPath, 'get', 'nodes', '-L', 'zone', '--no-headers'],
        {
          encoding: 'utf8',
        },
      );
      const rows = out
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/));
      const expected = spec.nodes.map((n) => [n.name, 'Ready', n.labels?.['zone'] ?? '']);
      expect(rows.map(([node, status, , , , zone]) => [node, status, zone ?? ''])).toEqual(expected);
    },
  );

  it('runs each cluster under RBAC: an unknown token is refused', async () => {
    const cluster = await fleetCluster('member-1');
    const run = (): string =>
      execFileSync(kubectl, ['--kubeconfig', cluster.kubeconfigPath, '--token', 'not-a-token', 'get', 'nodes'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(run).toThrow(/Unauthorized|must be logged in/);
  });
});
