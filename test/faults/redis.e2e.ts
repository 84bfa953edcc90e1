// Faults of the hub's Redis (issue 13, faults 1 and 8), each timed and recorded in the
// fault table: Redis down for a while with grid edits made meanwhile (it comes back
// empty: nothing is persisted), and Redis full (maxmemory with noeviction).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, example, hubMetric, hubSuite, redisUrl } from '../hub/fixtures.js';
import { faultSeconds, timedFault } from './fault-record.js';

const NS = 'faults-redis';
const grid = example('deploymentgrid-fed.yaml', NS, 'weather') as DeploymentGrid;
const suite = hubSuite('hub-faults-redis', NS, {
  setUp: async (s) => {
    await s.grids.create(grid);
  },
  tearDown: async (s) => {
    await redisUp();
    await s.grids.delete(grid).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(grid)).toBe(false), 60_000).catch(() => undefined);
  },
});

const redisDir = (): string => join(testFleetRoot(), 'redis');

function redisDown(): void {
  execFileSync('bash', [resolve('scripts/redis.sh'), 'down', redisDir()], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Starts it again on its port (clients reconnect to the same URL), empty. */
function redisUp(): Promise<void> {
  const port = readFileSync(join(redisDir(), 'redis.port'), 'utf8').trim();
  execFileSync('bash', [resolve('scripts/redis.sh'), 'up', redisDir(), port], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return Promise.resolve();
}

async function edit(image: string, replicas: number): Promise<void> {
  await suite.grids.update(grid, (live) => {
    for (const name of ['test1', 'test2']) {
      const template = (live as DeploymentGrid).spec.templatePool![name]!;
      template.replicas = replicas;
      template.template!.spec!.containers[0]!.image = image;
    }
  });
}

/** Both members run `image` with `replicas`, and the grid's status shows the generation ready. */
async function converged(image: string, replicas: number, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    for (const [member, zone] of [
      [suite.fleet.member1, 'zone1'],
      [suite.fleet.member2, 'zone2'],
    ] as const) {
      const d = await apps(member).readNamespacedDeployment({ name: `weather-${zone}`, namespace: NS });
      expect([d.spec?.template.spec?.containers[0]?.image, d.spec?.replicas]).toEqual([image, replicas]);
    }
    const live = await suite.grids.get(grid);
    expect(live.status?.observedGeneration).toBe(live.metadata.generation);
    const states = (live.status?.states ?? {}) as Record<string, { readyReplicas?: number }>;
    for (const zone of ['zone1', 'zone2']) expect(states[zone]?.readyReplicas).toBe(replicas);
  }, timeoutMs);
}

const applied = (): Promise<number> => hubMetric(suite.hub.url, 'gridfed_objects_applied_total');

describe('Redis faults', () => {
  it('starts from a converged grid', async () => {
    await edit('superedge/echoserver:1.0', 1);
    await converged('superedge/echoserver:1.0', 1, 60_000);
  });

  it('Redis down, grid edited twice meanwhile: the hub keeps running and converges to the last edit once Redis is back', async () => {
    const downSeconds = faultSeconds('REDIS_DOWN', 10);
    await timedFault(
      `Redis down ${downSeconds} s`,
      'two edits while down; converged to the last; workers resumed; hub ready',
      async () => {
        redisDown();
        await edit('superedge/echoserver:2.0', 2);
        await new Promise((r) => setTimeout(r, (downSeconds * 1000) / 2));
        await edit('superedge/echoserver:3.0', 2);
        await new Promise((r) => setTimeout(r, (downSeconds * 1000) / 2));
        expect(suite.hub.pid).toBeDefined(); // still running: no crash loop
        await redisUp();
        await converged('superedge/echoserver:3.0', 2, 90_000);
        const ready = await fetch(`${suite.hub.url}/readyz`);
        expect(ready.status).toBe(200);
      },
      applied,
    );
  });

  it('Redis full (noeviction): enqueues fail loudly, and the edit made meanwhile lands once there is room', async () => {
    const fullSeconds = faultSeconds('REDIS_FULL', 8);
    const redis = new Redis(redisUrl());
    const logFile = join(testFleetRoot(), 'hub-faults-redis.log');
    const logBefore = readFileSync(logFile, 'utf8').length;
    try {
      await timedFault(
        `Redis full ${fullSeconds} s`,
        'an edit while full: errors logged; converged after',
        async () => {
          // Below what it holds: with noeviction every write is refused, reads still answer.
          const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? '0');
          await redis.config('SET', 'maxmemory', String(Math.floor(used / 2)));
          await edit('superedge/echoserver:4.0', 1);
          await new Promise((r) => setTimeout(r, fullSeconds * 1000));
          // Nothing was queued, so nothing moved; and loudly: the hub says what it could not queue.
          const d = await apps(suite.fleet.member1).readNamespacedDeployment({ name: 'weather-zone1', namespace: NS });
          expect(d.spec?.template.spec?.containers[0]?.image).toBe('superedge/echoserver:3.0');
          expect(readFileSync(logFile, 'utf8').slice(logBefore)).toMatch(/OOM command not allowed/);
          await redis.config('SET', 'maxmemory', '0');
          await converged('superedge/echoserver:4.0', 1, 90_000);
        },
        applied,
      );
    } finally {
      await redis.config('SET', 'maxmemory', '0').catch(() => undefined);
      redis.disconnect();
    }
  });
});
