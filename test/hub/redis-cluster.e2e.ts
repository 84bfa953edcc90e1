// The hub on a 3-master Redis Cluster survives each node's restart (nothing persisted, so a
// restarted node comes back empty): its workers keep taking jobs, and a grid edited after
// each restart reaches both members and shows in the grid's status.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, example, hubSuite, onRedisCluster, type HubSuite } from './fixtures.js';

const NS = 'rcluster';
const dg = example('deploymentgrid-fed.yaml', NS) as DeploymentGrid;
const suite: HubSuite = hubSuite('hub-redis-cluster', NS, {
  flushRedis: true,
  tearDown: async (s) => {
    await s.grids.delete(dg).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(dg)).toBe(false), 60_000).catch(() => undefined);
  },
});

function restartNode(index: number): void {
  execFileSync(
    'bash',
    [resolve('scripts/redis-cluster.sh'), 'restart-node', join(testFleetRoot(), 'redis-cluster'), String(index)],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

async function converged(replicas: number): Promise<void> {
  await eventually(async () => {
    for (const [member, zone] of [
      [suite.fleet.member1, 'zone1'],
      [suite.fleet.member2, 'zone2'],
    ] as const) {
      const d = await apps(member).readNamespacedDeployment({ name: `deploymentgrid-demo-${zone}`, namespace: NS });
      expect(d.spec?.replicas).toBe(replicas);
    }
    const live = await suite.grids.get(dg);
    expect(live.status?.observedGeneration).toBe(live.metadata.generation);
    const states = (live.status?.states ?? {}) as Record<string, { replicas?: number; readyReplicas?: number }>;
    for (const zone of ['zone1', 'zone2']) expect(states[zone]).toMatchObject({ replicas, readyReplicas: replicas });
  }, 60_000);
}

describe('a hub on a Redis Cluster', () => {
  it('runs on the cluster (this file belongs to the e2e-redis-cluster project)', () => {
    expect(onRedisCluster()).toBe(true);
  });

  it('distributes a grid and writes its status', async () => {
    await suite.grids.create(dg);
    await suite.grids.update(dg, (live) => {
      const pool = (live as DeploymentGrid).spec.templatePool!;
      pool['test1']!.replicas = 1;
      pool['test2']!.replicas = 1;
    });
    await converged(1);
  });

  it.each([0, 1, 2])(
    'survives the restart of node %i: later edits still reach the members and the status',
    async (node) => {
      restartNode(node);
      const replicas = node + 2;
      await suite.grids.update(dg, (live) => {
        const pool = (live as DeploymentGrid).spec.templatePool!;
        pool['test1']!.replicas = replicas;
        pool['test2']!.replicas = replicas;
      });
      await converged(replicas);
      const ready = await fetch(`${suite.hub.url}/readyz`);
      expect(ready.status).toBe(200);
    },
  );
});
