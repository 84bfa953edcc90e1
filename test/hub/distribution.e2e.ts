// The hub end to end on real clusters and a real Redis: the seed's multi-cluster
// example, strong consistency, supplementary distribution, garbage collection,
// conflicts, and outages of a member, of the hub and of Redis.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { V1Deployment } from '@kubernetes/client-node';
import { GRID_FINALIZER, MANAGED_BY_LABEL, type AnyGrid, type DeploymentGrid } from '#gridfed/grid-api';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, core, deploymentNames, example, hubSuite, type Fleet } from './fixtures.js';

const NS = 'demo';
const suite = hubSuite('hub-distribution', NS, { flushRedis: true });

async function deployment(member: Fleet['member1'], name: string, namespace = NS): Promise<V1Deployment | undefined> {
  try {
    return await apps(member).readNamespacedDeployment({ name, namespace });
  } catch {
    return undefined;
  }
}

async function gridEvents(name: string, namespace = NS): Promise<string[]> {
  const events = await core(suite.fleet.control).listNamespacedEvent({ namespace });
  return events.items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
}

describe("the seed's multi-cluster example", () => {
  const dg = example('deploymentgrid-fed.yaml', NS) as DeploymentGrid;
  const sg = example('servicegrid-fed.yaml', NS);

  it('puts zone1 (test1, 2 replicas) only in member-1 and zone2 (test2, 3 replicas) only in member-2, ready', async () => {
    await suite.grids.create(dg);
    await suite.grids.create(sg);
    const zone1 = await eventually(async () => {
      const d = await deployment(suite.fleet.member1, 'deploymentgrid-demo-zone1');
      expect(d?.status?.readyReplicas).toBe(2);
      return d!;
    });
    expect(zone1.spec?.template.spec?.nodeSelector).toEqual({ zone: 'zone1' });
    expect(zone1.spec?.template.spec?.containers[0]?.image).toBe('superedge/echoserver:2.2');
    const zone2 = await eventually(async () => {
      const d = await deployment(suite.fleet.member2, 'deploymentgrid-demo-zone2');
      expect(d?.status?.readyReplicas).toBe(3);
      return d!;
    });
    expect(zone2.spec?.template.spec?.nodeSelector).toEqual({ zone: 'zone2' });
    expect(await deploymentNames(suite.fleet.member1, NS)).toEqual(['deploymentgrid-demo-zone1']);
    expect(await deploymentNames(suite.fleet.member2, NS)).toEqual(['deploymentgrid-demo-zone2']);
  });

  it('puts the ServiceGrid Service in both members, with the topology annotation', async () => {
    for (const member of [suite.fleet.member1, suite.fleet.member2]) {
      const svc = await eventually(() =>
        core(member).readNamespacedService({ name: 'servicegrid-demo-svc', namespace: NS }),
      );
      expect(svc.metadata?.annotations?.['topologyKeys']).toBe('["zone"]');
      expect(svc.spec?.selector).toEqual({ appGrid: 'echo' });
    }
  });

  it("marks the member objects as gridfed's and the grid with its finalizer", async () => {
    const d = await deployment(suite.fleet.member1, 'deploymentgrid-demo-zone1');
    expect(d?.metadata?.labels?.[MANAGED_BY_LABEL]).toBe('gridfed');
    expect(d?.metadata?.labels?.['gridfed.io/member-cluster']).toBe('member-1');
    const live = await suite.grids.get(dg);
    expect(live.metadata.finalizers).toContain(GRID_FINALIZER);
  });

  it('reverts an edit of a managed workload in a member', async () => {
    await apps(suite.fleet.member1).patchNamespacedDeployment({
      name: 'deploymentgrid-demo-zone1',
      namespace: NS,
      body: [{ op: 'replace', path: '/spec/replicas', value: 5 }],
    });
    await eventually(async () => {
      const d = await deployment(suite.fleet.member1, 'deploymentgrid-demo-zone1');
      expect(d?.spec?.replicas).toBe(2);
    }, 15_000);
  });

  it('reverts a removed label of a managed workload', async () => {
    await apps(suite.fleet.member1).patchNamespacedDeployment({
      name: 'deploymentgrid-demo-zone1',
      namespace: NS,
      body: [{ op: 'remove', path: '/metadata/labels/app.kubernetes.io~1managed-by' }],
    });
    await eventually(async () => {
      const d = await deployment(suite.fleet.member1, 'deploymentgrid-demo-zone1');
      expect(d?.metadata?.labels?.[MANAGED_BY_LABEL]).toBe('gridfed');
    }, 15_000);
  });

  it('recreates a deleted managed workload', async () => {
    const before = await deployment(suite.fleet.member1, 'deploymentgrid-demo-zone1');
    await apps(suite.fleet.member1).deleteNamespacedDeployment({ name: 'deploymentgrid-demo-zone1', namespace: NS });
    await eventually(async () => {
      const d = await deployment(suite.fleet.member1, 'deploymentgrid-demo-zone1');
      expect(d?.metadata?.uid).toBeDefined();
      expect(d?.metadata?.uid).not.toBe(before?.metadata?.uid);
    }, 15_000);
  });

  it('follows a template change to the NodeUnits that use it', async () => {
    await suite.grids.update(dg, (live) => {
      (live as DeploymentGrid).spec.templatePool!['test2']!.template!.spec!.containers[0]!.image =
        'superedge/echoserver:2.5';
    });
    await eventually(async () => {
      const d = await deployment(suite.fleet.member2, 'deploymentgrid-demo-zone2');
      expect(d?.spec?.template.spec?.containers[0]?.image).toBe('superedge/echoserver:2.5');
    }, 15_000);
    expect(
      (await deployment(suite.fleet.member1, 'deploymentgrid-demo-zone1'))?.spec?.template.spec?.containers[0]?.image,
    ).toBe('superedge/echoserver:2.2');
  });
});

describe('supplementary distribution', () => {
  afterAll(async () => {
    for (const node of ['member-2-node-1', 'member-2-node-2'])
      await suite.fleet.member2.setNodeLabels(node, { zone: 'zone2' });
  });

  it('creates -zone3 in member-2 when a node gains zone3 and drops -zone2 when its last node leaves', async () => {
    await suite.fleet.member2.setNodeLabels('member-2-node-1', { zone: 'zone3' });
    await eventually(async () => {
      expect(await deploymentNames(suite.fleet.member2, NS)).toEqual([
        'deploymentgrid-demo-zone2',
        'deploymentgrid-demo-zone3',
      ]);
    }, 15_000);
    // zone3 has no template entry: the default, test1.
    expect((await deployment(suite.fleet.member2, 'deploymentgrid-demo-zone3'))?.spec?.replicas).toBe(2);
    await suite.fleet.member2.setNodeLabels('member-2-node-2', { zone: 'zone3' });
    await eventually(async () => {
      expect(await deploymentNames(suite.fleet.member2, NS)).toEqual(['deploymentgrid-demo-zone3']);
    }, 15_000);
    expect(await deploymentNames(suite.fleet.member1, NS)).toEqual(['deploymentgrid-demo-zone1']);
  });
});

describe("what is not gridfed's to touch", () => {
  it('distributes nothing for a grid without the fed label, or with another value', async () => {
    const plain = example('deploymentgrid.yaml', NS, 'not-fed');
    const no = example('deploymentgrid-fed.yaml', NS, 'fed-no');
    no.metadata.labels = { 'superedge.io/fed': 'no' };
    await suite.grids.create(plain);
    await suite.grids.create(no);
    // A fed grid created after them converges; by then the others had every chance.
    const marker = example('deploymentgrid.yaml', NS, 'marker');
    marker.metadata.labels = { 'superedge.io/fed': 'yes' };
    await suite.grids.create(marker);
    await eventually(
      async () => expect(await deploymentNames(suite.fleet.member1, NS)).toContain('marker-zone1'),
      15_000,
    );
    for (const member of [suite.fleet.member1, suite.fleet.member2]) {
      const names = await deploymentNames(member, NS);
      expect(names.filter((n) => n.startsWith('not-fed') || n.startsWith('fed-no'))).toEqual([]);
    }
    expect((await suite.grids.get(plain)).metadata.finalizers ?? []).not.toContain(GRID_FINALIZER);
    await suite.grids.delete(plain);
    await suite.grids.delete(no);
    await suite.grids.delete(marker);
  });

  it('leaves an unowned object of the same name untouched and reports the conflict', async () => {
    const body: V1Deployment = {
      metadata: { name: 'owned-elsewhere-zone1', namespace: NS, labels: { team: 'theirs' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'theirs' } },
        template: { metadata: { labels: { app: 'theirs' } }, spec: { containers: [{ name: 'c', image: 'theirs:1' }] } },
      },
    };
    await apps(suite.fleet.member1).createNamespacedDeployment({ namespace: NS, body });
    const grid = example('deploymentgrid-fed.yaml', NS, 'owned-elsewhere');
    await suite.grids.create(grid);
    await eventually(async () => {
      expect(
        (await gridEvents('owned-elsewhere')).some(
          (e) => e.startsWith('Conflict') && e.includes('owned-elsewhere-zone1'),
        ),
      ).toBe(true);
    }, 15_000);
    // member-2's NodeUnit is unaffected by member-1's conflict.
    await eventually(
      async () => expect(await deployment(suite.fleet.member2, 'owned-elsewhere-zone2')).toBeDefined(),
      15_000,
    );
    const theirs = await deployment(suite.fleet.member1, 'owned-elsewhere-zone1');
    expect(theirs?.spec?.template.spec?.containers[0]?.image).toBe('theirs:1');
    expect(theirs?.metadata?.labels).toEqual({ team: 'theirs' });
    await suite.grids.delete(grid);
    await eventually(async () => expect(await suite.grids.exists(grid)).toBe(false), 15_000);
    expect(await deployment(suite.fleet.member1, 'owned-elsewhere-zone1')).toBeDefined();
    await apps(suite.fleet.member1).deleteNamespacedDeployment({ name: 'owned-elsewhere-zone1', namespace: NS });
  });

  it('reports an invalid grid and applies nothing for it, while other grids go on', async () => {
    const bad = example('deploymentgrid-fed.yaml', NS, 'broken') as DeploymentGrid;
    bad.spec.templates = { zone1: 'canary' };
    await suite.grids.create(bad);
    await eventually(async () => {
      expect((await gridEvents('broken')).some((e) => e.startsWith('InvalidSpec') && e.includes('canary'))).toBe(true);
    }, 15_000);
    expect((await deploymentNames(suite.fleet.member1, NS)).filter((n) => n.startsWith('broken'))).toEqual([]);
    await suite.grids.delete(bad);
  });
});

describe('garbage collection', () => {
  it('removes exactly what un-labelling a grid no longer wants, and drops its finalizer', async () => {
    const grid = example('deploymentgrid-fed.yaml', NS, 'unlabelled');
    await suite.grids.create(grid);
    await eventually(
      async () => expect(await deployment(suite.fleet.member1, 'unlabelled-zone1')).toBeDefined(),
      15_000,
    );
    await suite.grids.update(grid, (live) => {
      live.metadata.labels = {};
    });
    await eventually(async () => {
      expect(await deployment(suite.fleet.member1, 'unlabelled-zone1')).toBeUndefined();
      expect((await suite.grids.get(grid)).metadata.finalizers ?? []).not.toContain(GRID_FINALIZER);
    }, 15_000);
    await suite.grids.delete(grid);
  });

  it('deletes everything a grid made before the grid itself goes', async () => {
    const dg = example('deploymentgrid-fed.yaml', NS) as AnyGrid;
    const sg = example('servicegrid-fed.yaml', NS);
    await suite.grids.delete(dg);
    await suite.grids.delete(sg);
    await eventually(async () => {
      expect(await suite.grids.exists(dg)).toBe(false);
      expect(await suite.grids.exists(sg)).toBe(false);
    }, 20_000);
    for (const member of [suite.fleet.member1, suite.fleet.member2]) {
      expect((await deploymentNames(member, NS)).filter((n) => n.startsWith('deploymentgrid-demo'))).toEqual([]);
      const services = await core(member).listNamespacedService({ namespace: NS });
      expect(services.items.map((s) => s.metadata?.name)).not.toContain('servicegrid-demo-svc');
    }
  });
});
