import { describe, expect, it } from '@jest/globals';
import type { DeploymentGrid } from '#gridfed/grid-api';
import {
  aggregateStatus,
  statusEssence,
  type AggregateInput,
  type ClusterView,
  type Observation,
} from './aggregate.js';

const now = new Date('2026-11-23T10:00:00Z');
const grid = (status?: DeploymentGrid['status']): DeploymentGrid => ({
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'web', namespace: 'default', generation: 3 },
  spec: { gridUniqKey: 'zone', template: {} as never },
  status,
});
const reachable = (name: string): ClusterView => ({ name, reachable: true, known: true, lastSeen: now.toISOString() });
const deployStatus = (replicas: number, ready: number) => ({ replicas, readyReplicas: ready, observedGeneration: 1 });
const obs = (cluster: string, nodeUnit: string, replicas: number, ready: number, more: Partial<Observation> = {}) => ({
  cluster,
  nodeUnit,
  status: deployStatus(replicas, ready),
  desiredReplicas: replicas,
  ready: ready >= replicas,
  synced: true,
  template: 'default',
  ...more,
});

function input(over: Partial<AggregateInput>): AggregateInput {
  return {
    grid: grid(),
    observations: [obs('member-1', 'zone1', 2, 2), obs('member-2', 'zone2', 3, 3)],
    clusters: new Map([
      ['member-1', reachable('member-1')],
      ['member-2', reachable('member-2')],
    ]),
    errors: [],
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
    expect(status.states?.['zone1']?.clusters?.['member-1']).toEqual({
      status: deployStatus(2, 2),
      lastSeen: now.toISOString(),
      ready: true,
      synced: true,
      template: 'default',
      desiredReplicas: 2,
    });
    expect(status).toMatchObject({ observedGeneration: 3, nodeUnits: 2, readyNodeUnits: 2, syncedNodeUnits: 2 });
    expect(cond(status, 'Ready')?.status).toBe('True');
    expect(cond(status, 'Synced')?.status).toBe('True');
    expect(cond(status, 'Ready')?.observedGeneration).toBe(3);
  });

  it('shows exactly the fields the member reports: a field the member dropped is gone', () => {
    const before = aggregateStatus(
      input({
        observations: [obs('member-1', 'zone1', 2, 2, { status: { ...deployStatus(2, 2), unavailableReplicas: 2 } })],
      }),
    );
    expect(before.states?.['zone1']).toHaveProperty('unavailableReplicas', 2);
    const after = aggregateStatus(input({ grid: grid(before), observations: [obs('member-1', 'zone1', 2, 2)] }));
    expect(after.states?.['zone1']).not.toHaveProperty('unavailableReplicas');
    expect(after.states?.['zone1']?.clusters?.['member-1']?.status).toEqual(deployStatus(2, 2));
  });

  it('drops a NodeUnit no member reports any more', () => {
    const before = aggregateStatus(input({}));
    const after = aggregateStatus(input({ grid: grid(before), observations: [obs('member-1', 'zone1', 2, 2)] }));
    expect(Object.keys(after.states ?? {})).toEqual(['zone1']);
    expect(after.nodeUnits).toBe(1);
  });

  it('keeps both members of a NodeUnit that spans two, summing the counters; ready only when both are', () => {
    const status = aggregateStatus(
      input({ observations: [obs('member-1', 'shared', 2, 2), obs('member-2', 'shared', 2, 1)] }),
    );
    const shared = status.states?.['shared'];
    expect(shared).toMatchObject({ replicas: 4, readyReplicas: 3 });
    expect(shared?.clusters?.['member-1']?.status).toMatchObject({ readyReplicas: 2 });
    expect(shared?.clusters?.['member-2']?.status).toMatchObject({ readyReplicas: 1 });
    expect(status.readyNodeUnits).toBe(0);
    expect(status.syncedNodeUnits).toBe(1);
    expect(cond(status, 'Ready')?.status).toBe('False');
  });

  it('marks an unreachable member stale with its last known state, and names it in a condition', () => {
    const previous = grid({
      states: {
        zone2: {
          replicas: 3,
          readyReplicas: 3,
          clusters: {
            'member-2': { status: deployStatus(3, 3), lastSeen: '2026-11-23T09:59:00Z', ready: true, synced: true },
          },
        },
      },
    });
    const status = aggregateStatus(
      input({
        grid: previous,
        observations: [obs('member-1', 'zone1', 2, 2), obs('member-2', 'zone2', 3, 3)],
        clusters: new Map([
          ['member-1', reachable('member-1')],
          [
            'member-2',
            {
              name: 'member-2',
              reachable: false,
              lastSeen: '2026-11-23T09:59:30Z',
              detail: 'connection refused',
              known: true,
            },
          ],
        ]),
      }),
    );
    expect(status.states?.['zone2']).toMatchObject({ readyReplicas: 3, stale: true });
    expect(status.states?.['zone2']?.clusters?.['member-2']).toMatchObject({
      stale: true,
      ready: false,
      lastSeen: '2026-11-23T09:59:00Z',
    });
    expect(cond(status, 'MembersReachable')).toMatchObject({ status: 'False', reason: 'MemberUnreachable' });
    expect(cond(status, 'MembersReachable')?.message).toContain('member-2');
    expect(status.readyNodeUnits).toBe(1);
  });

  it("keeps a member's last known part, stale, while the hub has not synced the grid there since it started", () => {
    const previous = aggregateStatus(input({}));
    const status = aggregateStatus(
      input({
        grid: grid(previous),
        observations: [obs('member-1', 'zone1', 2, 2)],
        clusters: new Map([
          ['member-1', reachable('member-1')],
          ['member-2', { name: 'member-2', reachable: false, known: false }],
        ]),
      }),
    );
    expect(status.states?.['zone2']).toMatchObject({ replicas: 3, stale: true });
    expect(status.states?.['zone2']?.clusters?.['member-2']).toMatchObject({ stale: true, ready: false });
    expect(status.nodeUnits).toBe(2);
    expect(cond(status, 'MembersReachable')?.message).toContain('member-2');
  });

  it('forgets the part of a member that is no longer registered', () => {
    const previous = aggregateStatus(input({}));
    const status = aggregateStatus(
      input({
        grid: grid(previous),
        observations: [obs('member-1', 'zone1', 2, 2)],
        clusters: new Map([['member-1', reachable('member-1')]]),
      }),
    );
    expect(Object.keys(status.states ?? {})).toEqual(['zone1']);
  });

  it('reports an invalid spec, conflicts and sync errors as conditions, and a conflict on its member', () => {
    const status = aggregateStatus(
      input({
        observations: [
          { cluster: 'member-1', nodeUnit: 'zone1', ready: false, synced: false, conflict: 'default/web-zone1' },
          obs('member-2', 'zone2', 3, 3),
        ],
        invalid: 'grid default/web: spec.templates.zone1 names "canary", which is not in templatePool',
        errors: ['member-2: apply Deployment default/web-zone2: forbidden (HTTP 403)'],
      }),
    );
    expect(cond(status, 'Valid')).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    expect(cond(status, 'NoConflicts')).toMatchObject({ status: 'False' });
    expect(cond(status, 'NoConflicts')?.message).toContain('member-1/default/web-zone1');
    expect(cond(status, 'Synced')?.status).toBe('False');
    expect(cond(status, 'Synced')?.message).toContain('forbidden');
    expect(status.states?.['zone1']?.clusters?.['member-1']).toEqual({
      lastSeen: now.toISOString(),
      ready: false,
      synced: false,
      error: "default/web-zone1 exists and is not gridfed's; left untouched",
    });
    expect(status.states?.['zone1']).not.toHaveProperty('replicas');
  });

  it('says whether the rollout is done in a RolledOut condition, and why not with its phase and message', () => {
    const failed = aggregateStatus(
      input({
        rollout: {
          phase: 'RolledBack',
          updateRevision: 'bad',
          message: 'revision bad failed: NodeUnit zone1 not healthy within 600s',
        },
      }),
    );
    expect(cond(failed, 'RolledOut')).toMatchObject({
      status: 'False',
      reason: 'RolledBack',
      message: 'revision bad failed: NodeUnit zone1 not healthy within 600s',
    });
    expect(cond(aggregateStatus(input({ rollout: { phase: 'Complete' } })), 'RolledOut')?.status).toBe('True');
    expect(cond(aggregateStatus(input({})), 'RolledOut')).toBeUndefined();
  });

  it('says a gridUniqKey that labels no node in any member gives no NodeUnit, naming the grid and field', () => {
    const ready = cond(aggregateStatus(input({ observations: [] })), 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'NoNodeUnits' });
    expect(ready?.message).toBe(
      'grid default/web: no node in any member cluster has the label spec.gridUniqKey "zone", ' +
        'so there is no NodeUnit and nothing is distributed',
    );
    const invalid = cond(aggregateStatus(input({ observations: [], invalid: 'bad' })), 'Ready');
    expect(invalid?.reason).toBe('NotReady');
  });

  it('counts a NodeUnit ready or synced only as its members say', () => {
    const status = aggregateStatus(
      input({
        observations: [
          obs('member-1', 'zone1', 2, 2, { ready: false }),
          obs('member-2', 'zone2', 3, 3, { synced: false }),
        ],
      }),
    );
    expect(status).toMatchObject({ readyNodeUnits: 1, syncedNodeUnits: 1 });
  });

  it('keeps lastTransitionTime while a condition does not change, and the essence ignores times', () => {
    const first = aggregateStatus(input({}));
    const later = aggregateStatus(
      input({
        grid: grid(first),
        now: new Date('2026-11-23T11:00:00Z'),
        clusters: new Map([
          ['member-1', { ...reachable('member-1'), lastSeen: '2026-11-23T11:00:00Z' }],
          ['member-2', reachable('member-2')],
        ]),
      }),
    );
    expect(cond(later, 'Ready')?.lastTransitionTime).toEqual(now);
    expect(statusEssence(later)).toBe(statusEssence(first));
    const changed = aggregateStatus(input({ grid: grid(first), observations: [] }));
    expect(statusEssence(changed)).not.toBe(statusEssence(first));
  });

  it("is the same whatever a member's clock says: its times are shown as reported, never compared", () => {
    // A member whose clock is a year behind or ahead of the hub's (fault 7 of issue 13).
    const dated = (at: string) => ({
      ...deployStatus(2, 2),
      conditions: [{ type: 'Available', status: 'True', lastUpdateTime: at, lastTransitionTime: at }],
    });
    const aggregateAt = (at: string) =>
      aggregateStatus(
        input({
          observations: [obs('member-1', 'zone1', 2, 2, { status: dated(at) }), obs('member-2', 'zone2', 3, 3)],
        }),
      );
    const inStep = aggregateAt(now.toISOString());
    for (const skewed of ['2025-11-23T10:00:00Z', '2027-11-23T10:00:00Z']) {
      const status = aggregateAt(skewed);
      expect(status.states?.['zone1']?.clusters?.['member-1']).toMatchObject({ status: dated(skewed), ready: true });
      expect({ ...status, states: undefined }).toEqual({ ...inStep, states: undefined });
      expect(status.conditions?.every((c) => c.lastTransitionTime === now)).toBe(true);
    }
  });
});

describe('statusEssence', () => {
  it('does not depend on key order (the apiserver returns keys sorted)', () => {
    expect(statusEssence({ nodeUnits: 1, readyNodeUnits: 1 })).toBe(statusEssence({ readyNodeUnits: 1, nodeUnits: 1 }));
  });
});
