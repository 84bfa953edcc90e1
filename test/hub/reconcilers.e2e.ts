// The reconcilers on real clusters: status that equals what the members report (no
// field a member dropped), replicas handed between grid and member both ways, a
// finalizer write that fails and is retried without any edit of the grid,
// autoDeleteUnusedTemplate, and MemberCluster status that loses a NodeUnit that left.
import { describe, expect, it } from '@jest/globals';
import {
  CustomObjectsApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
  type V1ClusterRole,
  type V1Deployment,
} from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { GRID_FINALIZER, type DeploymentGrid } from '#gridfed/grid-api';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, core, example, hubSuite, type Fleet } from './fixtures.js';

const NS = 'reconcile';
const suite = hubSuite('hub-reconcilers', NS, {
  // Grids left in the control cluster would be distributed by the next file's hub.
  tearDown: async (s) => {
    for (const name of ['exact', 'handover', 'pruned', 'late-finalizer']) {
      const grid = example('deploymentgrid-fed.yaml', NS, name);
      await s.grids.delete(grid).catch(() => undefined);
      await eventually(async () => expect(await s.grids.exists(grid)).toBe(false), 30_000);
    }
  },
});
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

type Member = Fleet['member1'];

async function deployment(member: Member, name: string): Promise<V1Deployment> {
  return apps(member).readNamespacedDeployment({ name, namespace: NS });
}

/** JSON as the API says it, with every timestamp in one notation (the typed client parses them into Dates). */
function normalized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) ? new Date(v).toISOString() : v,
  );
}

type State = Record<string, unknown> & { clusters?: Record<string, { status?: unknown }> };

async function state(grid: DeploymentGrid, nodeUnit: string): Promise<State | undefined> {
  return (await suite.grids.get(grid)).status?.states?.[nodeUnit] as State | undefined;
}

/** states.<nodeUnit> holds exactly the member workload's status, at the top and under its member. */
async function expectExactState(grid: DeploymentGrid, nodeUnit: string, member: Member, workload: string) {
  const live = normalized((await deployment(member, workload)).status);
  const s = await state(grid, nodeUnit);
  expect(normalized(s?.clusters?.[member.name]?.status)).toEqual(live);
  const top = Object.fromEntries(Object.entries(s ?? {}).filter(([key]) => key !== 'clusters'));
  expect(normalized(top)).toEqual(live);
}

describe('grid status', () => {
  const grid = example('deploymentgrid-fed.yaml', NS, 'exact') as DeploymentGrid;

  it("shows exactly the member's status fields after a rollout", async () => {
    await suite.grids.create(grid);
    await eventually(async () =>
      expect((await deployment(suite.fleet.member1, 'exact-zone1')).status?.readyReplicas).toBe(2),
    );
    await suite.grids.update(grid, (live) => {
      (live as DeploymentGrid).spec.templatePool!['test1']!.template!.spec!.containers[0]!.image =
        'superedge/echoserver:2.9';
    });
    await eventually(async () => {
      const d = await deployment(suite.fleet.member1, 'exact-zone1');
      expect(d.spec?.template.spec?.containers[0]?.image).toBe('superedge/echoserver:2.9');
      expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
      expect(d.status?.updatedReplicas).toBe(2);
      expect(d.status?.readyReplicas).toBe(2);
      expect(d.status?.replicas).toBe(2);
      await expectExactState(grid, 'zone1', suite.fleet.member1, 'exact-zone1');
    }, 60_000);
  });

  it('drops a field once the member status loses it', async () => {
    const member = suite.fleet.member1;
    // Nothing else may rewrite the Deployment's status meanwhile: its controller pauses.
    await member.stopControllerManager();
    try {
      await apps(member).patchNamespacedDeploymentStatus(
        { name: 'exact-zone1', namespace: NS, body: { status: { unavailableReplicas: 2 } } },
        mergePatch,
      );
      await eventually(async () => {
        expect((await state(grid, 'zone1'))?.['unavailableReplicas']).toBe(2);
        await expectExactState(grid, 'zone1', member, 'exact-zone1');
      }, 20_000);
      await apps(member).patchNamespacedDeploymentStatus(
        { name: 'exact-zone1', namespace: NS, body: [{ op: 'remove', path: '/status/unavailableReplicas' }] },
        jsonPatch,
      );
      await eventually(async () => {
        const s = await state(grid, 'zone1');
        expect(s).not.toHaveProperty('unavailableReplicas');
        expect(s?.clusters?.['member-1']?.status).not.toHaveProperty('unavailableReplicas');
        await expectExactState(grid, 'zone1', member, 'exact-zone1');
      }, 20_000);
    } finally {
      member.startControllerManager();
    }
  });
});

describe('replicasManagedBy', () => {
  const grid = example('deploymentgrid-fed.yaml', NS, 'handover') as DeploymentGrid;
  const replicas = async () => (await deployment(suite.fleet.member1, 'handover-zone1')).spec?.replicas;
  const scale = (to: number) =>
    apps(suite.fleet.member1).patchNamespacedDeploymentScale(
      { name: 'handover-zone1', namespace: NS, body: { spec: { replicas: to } } },
      mergePatch,
    );
  const zone1Row = async () => {
    const res = await fetch(`${suite.hub.url}/api/grids?kind=DeploymentGrid&namespace=${NS}`);
    const grids = (await res.json()) as {
      name: string;
      nodeUnits: { nodeUnit: string; ready: boolean; desiredReplicas?: number; readyReplicas?: number }[];
    }[];
    return grids.find((g) => g.name === 'handover')?.nodeUnits.find((r) => r.nodeUnit === 'zone1');
  };

  it('member: leaves a scale in the member alone, and calls the NodeUnit ready by its own replicas everywhere', async () => {
    grid.spec.replicasManagedBy = 'member';
    await suite.grids.create(grid);
    await eventually(async () => expect(await replicas()).toBe(2));
    await scale(5);
    await sleep(3000);
    expect(await replicas()).toBe(5);
    await eventually(async () => {
      const live = await suite.grids.get(grid);
      expect((live.status?.states?.['zone1'] as State | undefined)?.['readyReplicas']).toBe(5);
      expect(live.status?.readyNodeUnits).toBe(2);
      expect(live.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(await zone1Row()).toMatchObject({ ready: true, readyReplicas: 5, desiredReplicas: 5 });
    }, 30_000);
  });

  it('member -> grid: the template replicas come back within seconds, without any other edit', async () => {
    await suite.grids.update(grid, (live) => {
      delete (live as DeploymentGrid).spec.replicasManagedBy;
    });
    const started = Date.now();
    await eventually(async () => expect(await replicas()).toBe(2), 15_000);
    expect(Date.now() - started).toBeLessThan(15_000);
    await eventually(async () => expect(await zone1Row()).toMatchObject({ ready: true, desiredReplicas: 2 }), 30_000);
  });

  it('grid -> member: replicas stay what the member runs (never the API default), and a later scale stays', async () => {
    await suite.grids.update(grid, (live) => {
      (live as DeploymentGrid).spec.replicasManagedBy = 'member';
    });
    await eventually(async () => {
      const d = await deployment(suite.fleet.member1, 'handover-zone1');
      expect(d.metadata?.annotations?.['gridfed.io/replicas-managed-by']).toBe('member');
    }, 15_000);
    expect(await replicas()).toBe(2);
    await scale(4);
    await sleep(3000);
    expect(await replicas()).toBe(4);
  });
});

describe('the grid lifecycle', () => {
  it('retries a finalizer write the hub may not make yet, until it may, with no edit of the grid', async () => {
    const rbac = suite.fleet.control.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    const original = await rbac.readClusterRole({ name: 'gridfed:hub' });
    const readOnlyGrids: V1ClusterRole = {
      ...original,
      rules: (original.rules ?? []).map((rule) =>
        rule.resources?.includes('deploymentgrids') ? { ...rule, verbs: ['get', 'list', 'watch'] } : rule,
      ),
    };
    const grid = example('deploymentgrid-fed.yaml', NS, 'late-finalizer');
    await rbac.replaceClusterRole({ name: 'gridfed:hub', body: readOnlyGrids });
    try {
      await suite.grids.create(grid);
      // The hub distributes it (no grid write needed) but cannot add its finalizer, and keeps trying.
      await eventually(async () =>
        expect((await deployment(suite.fleet.member1, 'late-finalizer-zone1')).metadata?.uid).toBeDefined(),
      );
      await eventually(async () => {
        const metrics = await (await fetch(`${suite.hub.url}/metrics`)).text();
        expect(metrics).toMatch(/gridfed_reconcile_failing_keys\{reconciler="grid-lifecycle"\} [1-9]/);
      }, 20_000);
      expect((await suite.grids.get(grid)).metadata.finalizers ?? []).not.toContain(GRID_FINALIZER);
    } finally {
      const current = await rbac.readClusterRole({ name: 'gridfed:hub' });
      await rbac.replaceClusterRole({ name: 'gridfed:hub', body: { ...original, metadata: current.metadata } });
    }
    await eventually(
      async () => expect((await suite.grids.get(grid)).metadata.finalizers).toContain(GRID_FINALIZER),
      30_000,
    );
    await suite.grids.delete(grid);
    await eventually(async () => expect(await suite.grids.exists(grid)).toBe(false), 30_000);
  });

  it('autoDeleteUnusedTemplate drops exactly the pool entries nothing names, with an Event', async () => {
    const grid = example('deploymentgrid-fed.yaml', NS, 'pruned') as DeploymentGrid;
    grid.spec.autoDeleteUnusedTemplate = true;
    grid.spec.templatePool!['old'] = structuredClone(grid.spec.templatePool!['test1']!);
    await suite.grids.create(grid);
    const pool = async () =>
      Object.keys(((await suite.grids.get(grid)) as DeploymentGrid).spec.templatePool ?? {}).sort();
    await eventually(async () => expect(await pool()).toEqual(['test1', 'test2']), 30_000);
    // The Event follows the write that pruned the pool (it is recorded after it succeeds).
    await eventually(async () => {
      const events = await core(suite.fleet.control).listNamespacedEvent({ namespace: NS });
      expect(
        events.items.some(
          (e) => e.involvedObject.name === 'pruned' && e.reason === 'TemplatesDeleted' && e.message?.includes('old'),
        ),
      ).toBe(true);
    }, 10_000);
    await eventually(async () => {
      const zone2 = await deployment(suite.fleet.member2, 'pruned-zone2');
      expect(zone2.metadata?.annotations?.['gridfed.io/template']).toBe('test2');
    });
    // zone2 moves to test1: test2 is unused now and goes too; zone2 runs test1.
    await suite.grids.update(grid, (live) => {
      (live as DeploymentGrid).spec.templates = { zone1: 'test1', zone2: 'test1' };
    });
    await eventually(async () => {
      expect(await pool()).toEqual(['test1']);
      const zone2 = await deployment(suite.fleet.member2, 'pruned-zone2');
      expect(zone2.metadata?.annotations?.['gridfed.io/template']).toBe('test1');
      expect(zone2.spec?.replicas).toBe(2);
    }, 30_000);
  });
});

describe('MemberCluster status', () => {
  const nodeUnits = async (member: string) => {
    const custom = suite.fleet.control.kubeConfig().makeApiClient(CustomObjectsApi);
    const mc = (await custom.getClusterCustomObject({
      group: 'gridfed.io',
      version: 'v1alpha1',
      plural: 'memberclusters',
      name: member,
    })) as { status?: { nodeUnits?: Record<string, string[]>; nodeUnitCount?: number } };
    return mc.status;
  };

  it('lists exactly the NodeUnits a member hosts: one that left is gone', async () => {
    const member2 = suite.fleet.member2;
    await eventually(async () => expect((await nodeUnits('member-2'))?.nodeUnits?.['zone']).toEqual(['zone2']));
    await member2.setNodeLabels('member-2-node-1', { zone: 'zone3' });
    try {
      await eventually(async () =>
        expect((await nodeUnits('member-2'))?.nodeUnits?.['zone']).toEqual(['zone2', 'zone3']),
      );
    } finally {
      await member2.setNodeLabels('member-2-node-1', { zone: 'zone2' });
    }
    await eventually(async () => {
      const status = await nodeUnits('member-2');
      expect(status?.nodeUnits?.['zone']).toEqual(['zone2']);
      expect(status?.nodeUnitCount).toBe(1);
    });
  });
});
