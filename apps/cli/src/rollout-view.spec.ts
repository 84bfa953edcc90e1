import { describe, expect, it } from '@jest/globals';
import type { V1ControllerRevision } from '@kubernetes/client-node';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { formatHistory, formatRolloutStatus, progressLine, revisionNumbers, rolloutOutcome } from './rollout-view.js';

const revision = (n: number, hash: string, cause?: string): V1ControllerRevision => ({
  metadata: {
    name: `web-dg-${hash}`,
    labels: { 'gridfed.io/revision-hash': hash },
    ...(cause ? { annotations: { 'kubernetes.io/change-cause': cause } } : {}),
    creationTimestamp: new Date('2026-12-01T10:00:00Z'),
  },
  revision: n,
});
const revisions = [revision(1, 'aaa'), revision(2, 'bbb', 'image 2.5')];

const member = (revisionHash: string, ready: boolean, more: object = {}) => ({
  status: { readyReplicas: ready ? 2 : 0 },
  ready,
  synced: true,
  desiredReplicas: 2,
  revision: revisionHash,
  ...more,
});

const grid = (generation = 4, observedGeneration = 4): DeploymentGrid => ({
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'web', namespace: 'shop', generation },
  spec: { gridUniqKey: 'zone', template: {} as never, rolloutStrategy: { type: 'Progressive' } },
  status: {
    nodeUnits: 3,
    updatedNodeUnits: 1,
    states: {
      zone1: { clusters: { 'member-1': member('bbb', true) } },
      zone2: { clusters: { 'member-1': member('aaa', true) } },
      zone3: { clusters: { 'member-2': member('aaa', false, { stale: true }) } },
    },
    rollout: {
      observedGeneration,
      stableRevision: 'aaa',
      updateRevision: 'bbb',
      phase: 'Progressing',
      wave: 2,
      waves: 3,
      moved: { zone1: { revision: 'bbb', since: '' }, zone2: { revision: 'bbb', since: '' } },
      message: 'wave 2/3: moving NodeUnits to revision bbb',
    },
  },
});

describe('rollout views', () => {
  const numbers = revisionNumbers(revisions);

  it('sum up progress in one line, revisions by number', () => {
    expect(progressLine(grid(), numbers)).toBe(
      'Progressing wave 2/3: 1/3 NodeUnits on #2 (bbb) - wave 2/3: moving NodeUnits to revision bbb',
    );
  });

  it('show each NodeUnit: updated, moving, pending', () => {
    const text = formatRolloutStatus(grid(), numbers);
    expect(text).toContain('stable revision: #1 (aaa)   update revision: #2 (bbb)');
    expect(text).toMatch(/zone1\s.*member-1\s.*#2 \(bbb\)\s.*2\/2\s.*updated/);
    expect(text).toMatch(/zone2\s.*member-1\s.*#1 \(aaa\)\s.*2\/2\s.*moving to bbb/);
    expect(text).toMatch(/zone3\s.*member-2\s.*#1 \(aaa\)\s.*0\/2\s.*pending \(member unreachable\)/);
  });

  it('end only when the status describes the current generation', () => {
    const done = grid();
    done.status!.rollout!.phase = 'Complete';
    expect(rolloutOutcome(done)).toBe('complete');
    const stale = grid(5, 4);
    stale.status!.rollout!.phase = 'Complete';
    expect(rolloutOutcome(stale)).toBeUndefined();
    const failed = grid();
    failed.status!.rollout!.phase = 'RolledBack';
    expect(rolloutOutcome(failed)).toBe('failed');
    expect(rolloutOutcome(grid())).toBeUndefined();
  });

  it('list the history with what is in use', () => {
    const text = formatHistory(revisions, grid().status?.rollout);
    expect(text).toMatch(/1\s.*aaa\s.*2026-12-01T10:00:00.000Z\s.*stable/);
    expect(text).toMatch(/2\s.*bbb\s.*update\s.*image 2.5/);
  });
});
