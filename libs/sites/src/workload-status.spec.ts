import { describe, expect, it } from '@jest/globals';
import type { AnyGrid, MemberState } from '#gridfed/grid-api';
import { nodeGroupWorkloadStatus } from './workload-status.js';
import { FED, group, member, node, plan, unit } from './spec-support.js';
import { planNodeMembership } from './plan.js';

const state = (ready: boolean, stale = false): MemberState<object> => ({
  ready,
  synced: true,
  ...(stale ? { stale } : {}),
});

function grid(
  kind: 'DeploymentGrid' | 'ServiceGrid',
  name: string,
  key: string,
  labels: Record<string, string> = FED,
): AnyGrid {
  return {
    apiVersion: 'superedge.io/v1',
    kind,
    metadata: { name, namespace: 'shop', labels },
    spec: { gridUniqKey: key, template: {} },
    status: {
      states: {
        a: { clusters: { m1: state(true) } },
        b: { clusters: { m1: state(false), m2: state(true) } },
        c: { clusters: { m1: state(true, true) } },
        elsewhere: { clusters: { m1: state(true) } },
      },
    },
  } as AnyGrid;
}

describe('nodeGroupWorkloadStatus', () => {
  it("lists, per fed grid whose gridUniqKey is the NodeGroup, the NodeGroup's ready and not-ready NodeUnits", () => {
    const grids = [
      grid('ServiceGrid', 'web-svc', 'zone-group'),
      grid('DeploymentGrid', 'web', 'zone-group'),
      grid('DeploymentGrid', 'other-key', 'zone'),
      grid('DeploymentGrid', 'not-fed', 'zone-group', {}),
    ];
    // a: ready; b: one member not ready; c: its member unreachable (stale); d: no member object yet.
    expect(nodeGroupWorkloadStatus('zone-group', ['a', 'b', 'c', 'd'], grids)).toEqual([
      { workloadname: 'DeploymentGrid/shop/web', readyunit: ['a'], notreadyunit: ['b', 'c', 'd'] },
      { workloadname: 'ServiceGrid/shop/web-svc', readyunit: ['a'], notreadyunit: ['b', 'c', 'd'] },
    ]);
  });

  it('fills the NodeGroup status planNodeMembership returns', () => {
    const result = planNodeMembership({
      nodeUnits: [unit('a', { nodes: ['n1'] })],
      nodeGroups: [group('zone-group', { nodeunits: ['a'] })],
      members: [member('m1', [node('n1')])],
      grids: [grid('DeploymentGrid', 'web', 'zone-group')],
      now: new Date(),
    });
    expect(result.nodeGroupStatus.get('zone-group')?.workloadstatus).toEqual([
      { workloadname: 'DeploymentGrid/shop/web', readyunit: ['a'], notreadyunit: [] },
    ]);
    expect(plan([], [group('zone-group', {})], []).nodeGroupStatus.get('zone-group')?.workloadstatus).toEqual([]);
  });
});
