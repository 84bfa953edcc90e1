import { describe, expect, it } from '@jest/globals';
import type { NodeGroup, NodeUnit } from './types.js';
import { countNodesPerMember, nodeGroupView, nodeUnitView } from './site-view.js';

const at = new Date('2026-12-01T20:00:00Z');
const east: NodeUnit = {
  metadata: { name: 'east', labels: { 'superedge.io/fed': 'yes' }, generation: 3 },
  spec: { type: 'edge' },
  status: {
    readyrate: '2/3',
    readynodes: ['member-2/b', 'member-1/a'],
    notreadynodes: ['member-1/c'],
    members: ['member-1', 'member-2'],
    conflicts: [{ node: 'member-1/a', kind: 'label', key: 'shops', nodeUnits: ['east', 'west'], nodeGroup: 'shops' }],
    observedGeneration: 3,
    conditions: [
      {
        type: 'NodesManaged',
        status: 'False',
        reason: 'MemberNotOptedIn',
        message: 'member-2 …',
        lastTransitionTime: at,
      },
    ],
  },
};

describe('nodeUnitView', () => {
  it('shows members, nodes by member with their readiness, conflicts and conditions as the hub wrote them', () => {
    expect(nodeUnitView(east)).toEqual({
      name: 'east',
      fed: true,
      type: 'edge',
      members: ['member-1', 'member-2'],
      readyNodes: ['member-2/b', 'member-1/a'],
      notReadyNodes: ['member-1/c'],
      readyRate: '2/3',
      nodesPerMember: [
        { member: 'member-1', ready: 1, total: 2 },
        { member: 'member-2', ready: 1, total: 1 },
      ],
      conflicts: east.status?.conflicts,
      conditions: [{ type: 'NodesManaged', status: 'False', reason: 'MemberNotOptedIn', message: 'member-2 …' }],
      generation: 3,
      observedGeneration: 3,
    });
  });

  it('shows a NodeUnit without status or fed label as not fed with no nodes', () => {
    expect(nodeUnitView({ metadata: { name: 'demo', labels: { 'superedge.io/fed': 'no' } } })).toMatchObject({
      name: 'demo',
      fed: false,
      type: 'edge',
      members: [],
      readyNodes: [],
      notReadyNodes: [],
      readyRate: undefined,
      nodesPerMember: [],
      conflicts: [],
      conditions: [],
    });
  });

  it('counts a node name without a member under the name itself', () => {
    expect(countNodesPerMember({ metadata: { name: 'x' }, status: { notreadynodes: ['lone'] } })).toEqual([
      { member: 'lone', ready: 0, total: 1 },
    ]);
  });
});

describe('nodeGroupView', () => {
  it('shows its NodeUnits and, per grid that follows it, ready and not-ready NodeUnits', () => {
    const shops: NodeGroup = {
      metadata: { name: 'shops', labels: { 'superedge.io/fed': 'yes' } },
      status: {
        nodeunits: ['east'],
        unitnumber: 1,
        workloadstatus: [{ workloadname: 'DeploymentGrid/ns/app', readyunit: ['east'], notreadyunit: [] }],
      },
    };
    expect(nodeGroupView(shops)).toEqual({
      name: 'shops',
      fed: true,
      nodeUnits: ['east'],
      workloads: [{ workloadname: 'DeploymentGrid/ns/app', readyunit: ['east'], notreadyunit: [] }],
      conditions: [],
      generation: undefined,
      observedGeneration: undefined,
    });
  });
});
