import { describe, expect, it } from '@jest/globals';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { aggregateStatus, statusEssence, syncedKey, type AggregateInput, type ClusterView } from './aggregate.js';

const now = new Date('2026-11-23T10:00:00Z');
const grid = (status?: DeploymentGrid['status']): DeploymentGrid => ({
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'web', namespace: 'default', generation: 3 },
  spec: { gridUniqKey: 'zone', template: {} as never },
  status,
});
const reachable = (name: string): ClusterView => ({ name, reachable: true });
const deployStatus = (replicas: number, ready: number) => ({ replicas, readyReplicas: ready, observedGeneration: 1 });

function input(over: Partial<AggregateInput>): AggregateInput {
  return {
    grid: grid(),
    expected: new Map([
      ['zone1', ['member-1']],
      ['zone2', ['member-2']],
    ]),
    observations: [
      { cluster: 'member-1', nodeUnit: 'zone1', status: deployStatus(2, 2), desiredReplicas: 2, current: true },
      { cluster: 'member-2', nodeUnit: 'zone2', status: deployStatus(3, 3), desiredReplicas: 3, current: true },
    ],
    clusters: new Map([
      ['member-1', reachable('member-1')],
      ['member-2', reachable('member-2')],
    ]),
    sync: {
      synced: new Set([syncedKey('member-1', 'zone1'), syncedKey('member-2', 'zone2')]),
      conflicts: [],
      errors: [],
    },
    now,
    ...over,
  };
}

const cond = (status: ReturnType<typeof aggregateStatus>, type: string) =>
  status.conditions?.find((c) => c.type === type);

describe('aggregateStatus', () => {
  it("puts each member workload's status under states[<nodeunit>] in SuperEdge's shape", () => {
    const status = aggregateStatus(input({}));
    expect(status.states?.['zone1']).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(status.states?.['zone2']).toMatchObject({ replicas: 3, readyReplicas: 3 });
    expect(Object.keys(status.states?.['zone1']?.clusters ?? {})).toEqual(['member-1']);
    expect(status).toMatchObject({ observedGeneration: 3, nodeUnits: 2, readyNodeUnits: 2, syncedNodeUnits: 2 });
    expect(cond(status, 'Ready')?.status).toBe('True');
    expect(cond(status, 'Synced')?.status).toBe('True');
    expect(cond(status, 'Ready')?.observedGeneration).toBe(3);
  });

  it('keeps both members of a NodeUnit that spans two, summing the counters', () => {
    const status = aggregateStatus(
      input({
        expected: new Map([['shared', ['member-1', 'member-2']]]),
        observations: [
          { cluster: 'member-1', nodeUnit: 'shared', status: deployStatus(2, 2), desiredReplicas: 2, current: true },
          { cluster: 'member-2', nodeUnit: 'shared', status: deployStatus(2, 1), desiredReplicas: 2, current: true },
        ],
        sync: { synced: new Set(), conflicts: [], errors: [] },
      }),
    );
    const shared = status.states?.['shared'];
    expect(shared).toMatchObject({ replicas: 4, readyReplicas: 3 });
    expect(shared?.clusters?.['member-1']?.status).toMatchObject({ readyReplicas: 2 });
    expect(shared?.clusters?.['member-2']?.status).toMatchObject({ readyReplicas: 1 });
    expect(status.readyNodeUnits).toBe(0);
    expect(cond(status, 'Ready')?.status).toBe('False');
  });

  it('marks an unreachable member stale with its last known state, and names it in a condition', () => {
    const previous = grid({
      states: {
        zone2: {
          replicas: 3,
          readyReplicas: 3,
          clusters: { 'member-2': { status: deployStatus(3, 3), lastSeen: '2026-11-23T09:59:00Z' } },
        },
      },
    });
    const status = aggregateStatus(
      input({
        grid: previous,
        observations: [
          { cluster: 'member-1', nodeUnit: 'zone1', status: deployStatus(2, 2), desiredReplicas: 2, current: true },
        ],
        clusters: new Map([
          ['member-1', reachable('member-1')],
          [
            'member-2',
            { name: 'member-2', reachable: false, lastSeen: '2026-11-23T09:59:00Z', detail: 'connection refused' },
          ],
        ]),
      }),
    );
    expect(status.states?.['zone2']).toMatchObject({ readyReplicas: 3, stale: true });
    expect(status.states?.['zone2']?.clusters?.['member-2']).toMatchObject({
      stale: true,
      lastSeen: '2026-11-23T09:59:00Z',
    });
    expect(cond(status, 'MembersReachable')).toMatchObject({ status: 'False', reason: 'MemberUnreachable' });
    expect(cond(status, 'MembersReachable')?.message).toContain('member-2');
    expect(status.readyNodeUnits).toBe(1);
  });

  it('reports invalid specs and conflicts as conditions', () => {
    const status = aggregateStatus(
      input({
        sync: {
          synced: new Set(),
          conflicts: ['member-1/web-zone1'],
          invalid: 'grid default/web: spec.gridUniqKey is required',
          errors: [],
        },
      }),
    );
    expect(cond(status, 'Valid')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(cond(status, 'NoConflicts')).toMatchObject({ status: 'False' });
    expect(cond(status, 'NoConflicts')?.message).toContain('member-1/web-zone1');
    expect(cond(status, 'Synced')?.status).toBe('False');
  });

  it('is not ready while a rollout is not observed yet', () => {
    const status = aggregateStatus(
      input({
        observations: [
          { cluster: 'member-1', nodeUnit: 'zone1', status: deployStatus(2, 2), desiredReplicas: 2, current: false },
          { cluster: 'member-2', nodeUnit: 'zone2', status: deployStatus(3, 3), desiredReplicas: 3, current: true },
        ],
      }),
    );
    expect(status.readyNodeUnits).toBe(1);
  });

  it('keeps lastTransitionTime while a condition does not change, and the essence ignores times', () => {
    const first = aggregateStatus(input({}));
    const later = aggregateStatus(input({ grid: grid(first), now: new Date('2026-11-23T11:00:00Z') }));
    expect(cond(later, 'Ready')?.lastTransitionTime).toEqual(now);
    expect(statusEssence(later)).toBe(statusEssence(first));
    const changed = aggregateStatus(input({ grid: grid(first), observations: [] }));
    expect(statusEssence(changed)).not.toBe(statusEssence(first));
  });
});

describe('statusEssence', () => {
  it('does not depend on key order (the apiserver returns keys sorted)', () => {
    expect(statusEssence({ nodeUnits: 1, readyNodeUnits: 1 })).toBe(statusEssence({ readyNodeUnits: 1, nodeUnits: 1 }));
  });
});
