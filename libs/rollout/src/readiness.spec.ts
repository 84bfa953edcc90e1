import { describe, expect, it } from '@jest/globals';
import { memberObjectReady, type WorkloadView } from './readiness.js';

const workload = (replicas: number | undefined, status: Record<string, number> | undefined, generation = 2) =>
  ({
    metadata: { name: 'web-zone1', namespace: 'default', generation },
    spec: replicas === undefined ? {} : { replicas },
    ...(status ? { status } : {}),
  }) as WorkloadView;

describe('memberObjectReady', () => {
  it('is false while replicas of an older spec are left (a surge of new pods that are not ready)', () => {
    const surge = { observedGeneration: 2, replicas: 4, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };
    expect(memberObjectReady('Deployment', workload(2, surge))).toBe(false);
  });

  it('is false while ready replicas are not available yet (minReadySeconds of the workload)', () => {
    const status = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 1 };
    expect(memberObjectReady('Deployment', workload(2, status))).toBe(false);
  });

  it('is true when the current spec is observed and every wanted replica is updated and ready', () => {
    expect(
      memberObjectReady('Deployment', workload(3, { observedGeneration: 2, updatedReplicas: 3, readyReplicas: 3 })),
    ).toBe(true);
    expect(
      memberObjectReady('StatefulSet', workload(2, { observedGeneration: 3, updatedReplicas: 2, readyReplicas: 2 })),
    ).toBe(true);
  });

  it("counts against the member object's own replicas, not a template's", () => {
    // replicasManagedBy: member, scaled to 5 there: 3 ready replicas are not enough.
    expect(
      memberObjectReady('Deployment', workload(5, { observedGeneration: 2, updatedReplicas: 5, readyReplicas: 3 })),
    ).toBe(false);
  });

  it('is false while the controller has not observed the current spec', () => {
    expect(
      memberObjectReady('Deployment', workload(2, { observedGeneration: 1, updatedReplicas: 2, readyReplicas: 2 })),
    ).toBe(false);
    expect(memberObjectReady('Deployment', workload(2, undefined))).toBe(false);
  });

  it('is false during a rollout: ready replicas of the old spec do not count', () => {
    expect(
      memberObjectReady('Deployment', workload(2, { observedGeneration: 2, updatedReplicas: 1, readyReplicas: 2 })),
    ).toBe(false);
  });

  it('takes an absent spec.replicas as the API default of 1, and 0 replicas as ready at once', () => {
    expect(memberObjectReady('Deployment', workload(undefined, { observedGeneration: 2, readyReplicas: 1 }))).toBe(
      false,
    );
    expect(
      memberObjectReady(
        'Deployment',
        workload(undefined, { observedGeneration: 2, updatedReplicas: 1, readyReplicas: 1 }),
      ),
    ).toBe(true);
    expect(memberObjectReady('Deployment', workload(0, { observedGeneration: 2 }))).toBe(true);
  });

  it('is true for a Service that exists', () => {
    expect(memberObjectReady('Service', { metadata: {} })).toBe(true);
  });

  it("never reads a member's clock: conditions dated a year off change nothing", () => {
    const counts = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };
    for (const at of ['2025-01-01T00:00:00Z', '2028-01-01T00:00:00Z']) {
      const conditions = [{ type: 'Available', status: 'True', lastUpdateTime: at, lastTransitionTime: at }];
      const skewed = { ...workload(2, counts), status: { ...counts, conditions } } as WorkloadView;
      expect(memberObjectReady('Deployment', skewed)).toBe(true);
      const notReady = { ...counts, readyReplicas: 1, availableReplicas: 1 };
      expect(memberObjectReady('Deployment', { ...skewed, status: { ...notReady, conditions } })).toBe(false);
    }
  });
});
