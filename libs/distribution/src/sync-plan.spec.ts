import { describe, expect, it } from '@jest/globals';
import type { KubernetesObject } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FIELD_MANAGER, gridRefOf, type DeploymentGrid, type ReplicasManagedBy } from '#gridfed/grid-api';
import type { CachedWorkload } from '#gridfed/cluster-registry';
import { objectKey } from '#gridfed/kube';
import { NodeUnitIndex } from '#gridfed/topology';
import { desiredState, type DesiredObject } from './desired-state.js';
import { isUpToDate, planSync, type SyncPlanInput } from './sync-plan.js';
import type { SyncedObject } from './sync-record.js';

const example = (): DeploymentGrid =>
  parse(readFileSync('deploy/examples/deploymentgrid-fed.yaml', 'utf8')) as DeploymentGrid;

function withReplicasBy(by: ReplicasManagedBy | undefined): DeploymentGrid {
  const grid = example();
  grid.metadata.uid = 'uid-1';
  grid.spec.replicasManagedBy = by;
  return grid;
}

/** Both members host zone1 (a NodeUnit spanning two members); member-2 hosts zone2 too. */
function topology(): NodeUnitIndex {
  const t = new NodeUnitIndex();
  t.setNode('member-1', 'a', { zone: 'zone1' });
  t.setNode('member-2', 'b', { zone: 'zone1' });
  t.setNode('member-2', 'c', { zone: 'zone2' });
  return t;
}

function desired(grid: DeploymentGrid, cluster = 'member-1'): DesiredObject[] {
  const state = desiredState(grid, cluster, topology());
  if (state.kind !== 'objects') throw new Error(state.message);
  return state.objects;
}

/** A member object as the managed cache holds it after gridfed applied `d`. */
function live(
  d: DesiredObject,
  over: { generation?: number; replicas?: number; annotations?: Record<string, string> } = {},
) {
  const { object } = d.rendered;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      ...object.metadata,
      labels: { ...object.metadata.labels },
      generation: over.generation ?? 1,
      annotations: { ...object.metadata.annotations, ...over.annotations },
    },
    spec: { replicas: over.replicas ?? (object.spec as { replicas?: number }).replicas },
  } as CachedWorkload;
}

const applied = (d: DesiredObject, generation = 1): SyncedObject => ({
  name: objectKey(d.rendered.object),
  nodeUnits: d.nodeUnits,
  hash: d.rendered.hash,
  generation,
  outcome: 'applied',
});

function input(grid: DeploymentGrid, over: Partial<SyncPlanInput> = {}, cluster = 'member-1'): SyncPlanInput {
  return {
    ref: gridRefOf(grid),
    kind: 'Deployment',
    desired: desired(grid, cluster),
    replicasManagedBy: grid.spec.replicasManagedBy ?? 'grid',
    managed: () => undefined,
    managedList: [],
    unmanaged: () => undefined,
    applied: () => undefined,
    ...over,
  };
}

const actions = (plan: ReturnType<typeof planSync>) => plan.objects.map((o) => o.action);

describe('planSync', () => {
  it('creates a workload neither cache knows, unforced, with the full object', () => {
    const grid = withReplicasBy(undefined);
    const [d] = desired(grid);
    expect(actions(planSync(input(grid)))).toEqual([{ type: 'create', body: d!.rendered.object }]);
  });

  it('creates with the template replicas as the seed when the member owns replicas', () => {
    const grid = withReplicasBy('member');
    const [d] = desired(grid);
    expect(actions(planSync(input(grid)))).toEqual([{ type: 'create', body: d!.rendered.object, seedReplicas: 2 }]);
  });

  it('does nothing for a workload that is what gridfed applied and still wants', () => {
    const grid = withReplicasBy(undefined);
    const [d] = desired(grid);
    const plan = planSync(input(grid, { managed: () => live(d!, { generation: 4 }), applied: () => applied(d!, 4) }));
    expect(actions(plan)).toEqual([{ type: 'unchanged', generation: 4 }]);
  });

  it('re-applies, forced, a workload whose spec someone changed (a new generation) or that gridfed never recorded', () => {
    const grid = withReplicasBy(undefined);
    const [d] = desired(grid);
    const body = d!.rendered.object;
    const drifted = planSync(
      input(grid, { managed: () => live(d!, { generation: 5 }), applied: () => applied(d!, 4) }),
    );
    expect(actions(drifted)).toEqual([{ type: 'apply', body }]);
    const afterRestart = planSync(input(grid, { managed: () => live(d!, { generation: 4 }) }));
    expect(actions(afterRestart)).toEqual([{ type: 'apply', body }]);
  });

  it('applies a new template: the desired hash moved', () => {
    const before = withReplicasBy(undefined);
    const [old] = desired(before);
    const after = withReplicasBy(undefined);
    after.spec.templatePool!['test1']!.template!.spec!.containers[0]!.image = 'superedge/echoserver:9';
    const [d] = desired(after);
    const plan = planSync(input(after, { managed: () => live(old!), applied: () => applied(old!) }));
    expect(actions(plan)).toEqual([{ type: 'apply', body: d!.rendered.object }]);
  });

  it('leaves an object of another grid, or of someone else, untouched', () => {
    const grid = withReplicasBy(undefined);
    const [d] = desired(grid);
    const theirs = live(d!);
    theirs.metadata!.annotations!['gridfed.io/grid-name'] = 'other-grid';
    expect(actions(planSync(input(grid, { managed: () => theirs })))).toEqual([
      { type: 'conflict', owner: 'another grid' },
    ]);
    const foreign: KubernetesObject = { metadata: { name: d!.rendered.object.metadata.name, namespace: 'default' } };
    expect(actions(planSync(input(grid, { unmanaged: () => foreign })))).toEqual([
      { type: 'conflict', owner: 'someone else' },
    ]);
  });

  it("reads an unlabelled object gridfed's own apply made, to plan again with what it holds", () => {
    const grid = withReplicasBy(undefined);
    const stripped: KubernetesObject = {
      metadata: { name: 'deploymentgrid-demo-zone1', managedFields: [{ manager: FIELD_MANAGER, operation: 'Apply' }] },
    };
    expect(actions(planSync(input(grid, { unmanaged: () => stripped })))).toEqual([{ type: 'read' }]);
  });

  it("deletes gridfed's objects of this grid that it no longer wants, and nothing else", () => {
    const grid = withReplicasBy(undefined);
    const [d] = desired(grid);
    const gone = live(desired(grid, 'member-2')[1]!); // zone2's workload, which member-1 no longer hosts
    const otherGrid = live(d!);
    otherGrid.metadata!.name = 'other-zone1';
    otherGrid.metadata!.annotations!['gridfed.io/grid-name'] = 'other';
    const plan = planSync(input(grid, { managedList: [gone, otherGrid, live(d!)] }));
    expect(plan.deletes).toEqual([gone]);
  });

  it('deletes everything of a grid that wants nothing in the member', () => {
    const grid = withReplicasBy(undefined);
    const [d] = desired(grid);
    const plan = planSync({ ...input(grid, { managedList: [live(d!)] }), desired: [] });
    expect(plan.objects).toEqual([]);
    expect(plan.deletes).toEqual([live(d!)]);
  });

  it('plans a NodeUnit that spans two members in each member, from its own topology', () => {
    const grid = withReplicasBy(undefined);
    const one = planSync(input(grid, {}, 'member-1'));
    const two = planSync(input(grid, {}, 'member-2'));
    const names = (plan: ReturnType<typeof planSync>) =>
      plan.objects.map((o) => o.desired.rendered.object.metadata.name);
    expect(names(one)).toEqual(['deploymentgrid-demo-zone1']);
    expect(names(two)).toEqual(['deploymentgrid-demo-zone1', 'deploymentgrid-demo-zone2']);
    expect(one.objects[0]!.desired.rendered.object.metadata.labels['gridfed.io/member-cluster']).toBe('member-1');
    expect(two.objects[0]!.desired.rendered.object.metadata.labels['gridfed.io/member-cluster']).toBe('member-2');
  });
});

describe('planSync: who owns replicas', () => {
  it('grid -> member: hands replicas over at what the member runs now, then applies without them', () => {
    const before = withReplicasBy(undefined);
    const [old] = desired(before);
    const grid = withReplicasBy('member');
    const plan = planSync(input(grid, { managed: () => live(old!, { replicas: 2 }), applied: () => applied(old!) }));
    const [action] = actions(plan);
    expect(action).toMatchObject({ type: 'handOverReplicas', seedReplicas: 2 });
    expect((action as { body: { spec: object } }).body.spec).not.toHaveProperty('replicas');
  });

  it('member, after the hand-over: drift is re-applied without replicas, a member scale is left alone', () => {
    const grid = withReplicasBy('member');
    const [d] = desired(grid);
    const scaled = live(d!, { replicas: 5, generation: 6 });
    const [action] = actions(planSync(input(grid, { managed: () => scaled, applied: () => applied(d!, 3) })));
    expect(action).toMatchObject({ type: 'apply' });
    expect((action as { body: { spec: object } }).body.spec).not.toHaveProperty('replicas');
  });

  it('member -> grid: the hash moves with the owner, so the template replicas are applied again, forced', () => {
    const before = withReplicasBy('member');
    const [old] = desired(before);
    const grid = withReplicasBy(undefined);
    const [d] = desired(grid);
    expect(d!.rendered.hash).not.toBe(old!.rendered.hash);
    const scaled = live(old!, { replicas: 5 });
    const [action] = actions(planSync(input(grid, { managed: () => scaled, applied: () => applied(old!) })));
    expect(action).toEqual({ type: 'apply', body: d!.rendered.object });
    expect((action as { body: { spec: { replicas?: number } } }).body.spec.replicas).toBe(2);
  });
});

describe('isUpToDate', () => {
  const grid = withReplicasBy(undefined);
  const [d] = desired(grid);
  const hash = d!.rendered.hash;

  it('needs a record of an apply (not a conflict or failure) with the same hash, on the object and in the record', () => {
    expect(isUpToDate('Deployment', live(d!), applied(d!), hash)).toBe(true);
    expect(isUpToDate('Deployment', live(d!), undefined, hash)).toBe(false);
    expect(isUpToDate('Deployment', live(d!), { ...applied(d!), outcome: 'conflict' }, hash)).toBe(false);
    expect(isUpToDate('Deployment', live(d!), { ...applied(d!), outcome: 'failed' }, hash)).toBe(false);
    expect(isUpToDate('Deployment', live(d!), applied(d!), 'another')).toBe(false);
    expect(
      isUpToDate('Deployment', live(d!, { annotations: { 'gridfed.io/desired-hash': 'x' } }), applied(d!), hash),
    ).toBe(false);
  });

  it("needs gridfed's label, and for workloads the generation gridfed's apply left", () => {
    const unlabelled = live(d!);
    delete unlabelled.metadata!.labels!['app.kubernetes.io/managed-by'];
    expect(isUpToDate('Deployment', unlabelled, applied(d!), hash)).toBe(false);
    expect(isUpToDate('Deployment', live(d!, { generation: 2 }), applied(d!, 1), hash)).toBe(false);
    expect(isUpToDate('Service', live(d!, { generation: 2 }), applied(d!, 1), hash)).toBe(true);
  });
});
