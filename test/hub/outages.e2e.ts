// Outages: a dead member never holds up the others and converges when it returns;
// a hub killed mid-rollout, or one whose Redis was emptied, converges after restart.
import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, deploymentNames, example, redisUrl, hubSuite, type Fleet } from './fixtures.js';

const NS = 'outages';
const suite = hubSuite('hub-outages', NS, {
  tearDown: async (s) => {
    await s.fleet.member2.startApiserver().catch(() => undefined);
    await s.fleet.member2.restartControllers();
  },
});

const image = async (member: Fleet['member1'], name: string) =>
  (await apps(member).readNamespacedDeployment({ name, namespace: NS })).spec?.template.spec?.containers[0]?.image;

async function setImage(grid: DeploymentGrid, template: 'test1' | 'test2', value: string): Promise<void> {
  await suite.grids.update(grid, (live) => {
    (live as DeploymentGrid).spec.templatePool![template]!.template!.spec!.containers[0]!.image = value;
  });
}

describe('a member outage', () => {
  const grid = example('deploymentgrid-fed.yaml', NS, 'survivor') as DeploymentGrid;

  it('does not hold up the other member, and the dead one converges after it returns', async () => {
    await suite.grids.create(grid);
    await eventually(async () => {
      expect(await deploymentNames(suite.fleet.member1, NS)).toEqual(['survivor-zone1']);
      expect(await deploymentNames(suite.fleet.member2, NS)).toEqual(['survivor-zone2']);
    }, 20_000);
    await suite.fleet.member2.killApiserver();
    await setImage(grid, 'test1', 'superedge/echoserver:3.0');
    await setImage(grid, 'test2', 'superedge/echoserver:3.0');
    const started = Date.now();
    await eventually(
      async () => expect(await image(suite.fleet.member1, 'survivor-zone1')).toBe('superedge/echoserver:3.0'),
      10_000,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    await suite.fleet.member2.startApiserver();
    await eventually(
      async () => expect(await image(suite.fleet.member2, 'survivor-zone2')).toBe('superedge/echoserver:3.0'),
      60_000,
    );
  });
});

describe('a hub outage', () => {
  const grid = example('deploymentgrid-fed.yaml', NS, 'phoenix') as DeploymentGrid;

  it('converges after a SIGKILL in the middle of a rollout', async () => {
    await suite.grids.create(grid);
    await eventually(
      async () => expect(await deploymentNames(suite.fleet.member2, NS)).toContain('phoenix-zone2'),
      20_000,
    );
    await setImage(grid, 'test1', 'superedge/echoserver:4.0');
    await setImage(grid, 'test2', 'superedge/echoserver:4.0');
    await suite.hub.kill();
    await suite.hub.start();
    await eventually(async () => {
      expect(await image(suite.fleet.member1, 'phoenix-zone1')).toBe('superedge/echoserver:4.0');
      expect(await image(suite.fleet.member2, 'phoenix-zone2')).toBe('superedge/echoserver:4.0');
    }, 30_000);
  });

  it('converges after its Redis was emptied while it was down', async () => {
    await suite.hub.kill();
    await setImage(grid, 'test2', 'superedge/echoserver:5.0');
    const redis = new Redis(redisUrl());
    await redis.flushall();
    redis.disconnect();
    await suite.hub.start();
    await eventually(
      async () => expect(await image(suite.fleet.member2, 'phoenix-zone2')).toBe('superedge/echoserver:5.0'),
      30_000,
    );
  });

  it('cleans up', async () => {
    await suite.grids.delete(grid);
    await suite.grids.delete(example('deploymentgrid-fed.yaml', NS, 'survivor'));
    await eventually(async () => {
      expect(await deploymentNames(suite.fleet.member1, NS)).toEqual([]);
      expect(await deploymentNames(suite.fleet.member2, NS)).toEqual([]);
    }, 20_000);
  });
});
