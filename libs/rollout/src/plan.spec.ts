import { describe, expect, it } from '@jest/globals';
import type { RolloutStatus, RolloutStrategy } from '#gridfed/grid-api';
import { planRollout, type NodeUnitView, type RolloutDecision } from './plan.js';
import { strategyOf } from './strategy.js';
import { waveTargets } from './waves.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const names = (n: number) => Array.from({ length: n }, (_, i) => `nu${i + 1}`);
const progressive = (over: RolloutStrategy = {}): RolloutStrategy => ({
  type: 'Progressive',
  maxUnavailableNodeUnits: 1,
  progressDeadlineSeconds: 60,
  ...over,
});

/** Every NodeUnit on `revision`, ready since T0. */
const settledOn = (revision: string, n = 4): NodeUnitView[] =>
  names(n).map((name) => ({ name, pending: false, revision, readySince: at(0) }));

const complete = (revision: string): RolloutStatus => ({
  stableRevision: revision,
  updateRevision: revision,
  phase: 'Complete',
});

/**
 * A fleet that follows the rollout: each NodeUnit runs what the last decision assigned,
 * becoming ready `readyAfter` seconds after it moved (never, for a broken revision).
 */
class Fleet {
  readonly views = new Map<string, NodeUnitView>();
  status: RolloutStatus | undefined;
  /** Per step, the NodeUnits on `watch` that were not healthy (the invariant's subject). */
  readonly unhealthyOnUpdate: number[] = [];
  readonly events: string[] = [];

  constructor(
    nodeUnits: string[],
    stable: string,
    private readonly readyAfter: (revision: string) => number | undefined,
  ) {
    for (const name of nodeUnits) this.views.set(name, { name, pending: false, revision: stable, readySince: at(0) });
    this.status = complete(stable);
  }

  step(strategy: RolloutStrategy, update: string, now: number, retry?: string): RolloutDecision {
    const decision = planRollout({
      strategy,
      updateRevision: update,
      previous: this.status,
      nodeUnits: [...this.views.values()],
      retry,
      now: at(now),
    });
    this.status = decision.status;
    this.events.push(...decision.events.map((e) => e.reason));
    for (const view of this.views.values()) {
      if (view.pending) continue;
      const revision = decision.status.moved?.[view.name]?.revision ?? decision.status.stableRevision;
      if (revision !== view.revision) {
        const after = revision ? this.readyAfter(revision) : undefined;
        view.revision = revision;
        view.readySince = after === undefined ? undefined : at(now + after);
      }
    }
    this.unhealthyOnUpdate.push(
      [...this.views.values()].filter((v) => v.revision === update && (!v.readySince || v.readySince > at(now))).length,
    );
    return decision;
  }

  /** Steps once a second until `until` or the phase is one of `end`. */
  run(strategy: RolloutStrategy, update: string, from: number, until: number, end = ['Complete', 'RolledBack']) {
    for (let t = from; t <= until; t++) {
      this.step(strategy, update, t);
      if (end.includes(this.status?.phase ?? '')) return t;
    }
    return until;
  }
}

describe('planRollout: the first revision and type All', () => {
  it('takes the first revision it sees as stable and completes once every NodeUnit is healthy there', () => {
    const first = planRollout({
      strategy: progressive(),
      updateRevision: 'r1',
      previous: undefined,
      nodeUnits: settledOn('r0'),
      now: at(1),
    });
    expect(first.status).toMatchObject({ stableRevision: 'r1', updateRevision: 'r1', phase: 'Progressing' });
    const done = planRollout({
      strategy: progressive(),
      updateRevision: 'r1',
      previous: first.status,
      nodeUnits: settledOn('r1'),
      now: at(2),
    });
    expect(done.status).toMatchObject({ phase: 'Complete', message: 'every NodeUnit runs revision r1' });
    expect(done.events.map((e) => e.reason)).toEqual(['RolloutComplete']);
  });

  it('keeps what the NodeUnits run as stable when a grid becomes Progressive with new templates', () => {
    const d = planRollout({
      strategy: progressive(),
      updateRevision: 'r2',
      previous: undefined,
      observedStable: 'r1',
      nodeUnits: settledOn('r1'),
      now: at(1),
    });
    expect(d.status).toMatchObject({ stableRevision: 'r1', updateRevision: 'r2', phase: 'Progressing', wave: 1 });
    expect(d.events.map((e) => e.reason)).toEqual(['RolloutStarted']);
    // The next decision moves the first wave.
    const next = planRollout({
      strategy: progressive(),
      updateRevision: 'r2',
      previous: d.status,
      nodeUnits: settledOn('r1'),
      now: at(2),
    });
    expect(Object.keys(next.status.moved ?? {})).toEqual(['nu1']);
  });

  it('with type All moves every NodeUnit at once: the new revision is stable at once', () => {
    const d = planRollout({
      strategy: { type: 'All' },
      updateRevision: 'r2',
      previous: complete('r1'),
      nodeUnits: settledOn('r1'),
      now: at(1),
    });
    expect(d.status).toMatchObject({ stableRevision: 'r2', updateRevision: 'r2', phase: 'Progressing' });
    expect(d.status.moved).toBeUndefined();
  });

  it('waits for minReadySeconds before calling a NodeUnit healthy, and says when to look again', () => {
    const d = planRollout({
      strategy: { minReadySeconds: 30 },
      updateRevision: 'r1',
      previous: { stableRevision: 'r1', updateRevision: 'r1', phase: 'Progressing' },
      nodeUnits: settledOn('r1').map((u) => ({ ...u, readySince: at(10) })),
      now: at(20),
    });
    expect(d.status.phase).toBe('Progressing');
    expect(d.requeueAfterMs).toBe(20_000);
  });
});

describe('planRollout: Progressive', () => {
  it('starts wave 1 with the canary NodeUnit only, keeping every other NodeUnit on the stable revision', () => {
    const d = planRollout({
      strategy: progressive({ waves: [{ nodeUnits: ['nu3'] }, { percent: 100 }] }),
      updateRevision: 'r2',
      previous: complete('r1'),
      nodeUnits: settledOn('r1'),
      now: at(1),
    });
    expect(d.status).toMatchObject({
      stableRevision: 'r1',
      updateRevision: 'r2',
      phase: 'Progressing',
      wave: 1,
      waves: 2,
      moved: { nu3: { revision: 'r2', since: at(1).toISOString() } },
    });
    expect(d.events.map((e) => e.reason)).toEqual(['RolloutStarted']);
    expect(d.requeueAfterMs).toBe(60_000);
  });

  it('rolls out wave by wave, never more than maxUnavailable NodeUnits updating and unhealthy, to Complete', () => {
    const strategy = progressive({
      waves: [{ nodeUnits: ['nu5'] }, { percent: 50 }, { percent: 100 }],
      maxUnavailableNodeUnits: 2,
    });
    const fleet = new Fleet(names(8), 'r1', () => 3);
    const targets = waveTargets(strategyOf(strategy), names(8));
    let previousWave = 1;
    for (let t = 1; t === 1 || (t < 100 && fleet.status?.phase !== 'Complete'); t++) {
      fleet.step(strategy, 'r2', t);
      const wave = fleet.status?.wave ?? previousWave;
      // Entering a wave only when every NodeUnit of the previous ones is healthy on r2.
      if (wave > previousWave) {
        for (const name of targets[wave - 2] ?? []) {
          const v = fleet.views.get(name)!;
          expect(v.revision).toBe('r2');
          expect(v.readySince!.getTime()).toBeLessThanOrEqual(at(t).getTime());
        }
      }
      // NodeUnits outside the waves so far stay on r1.
      const allowed = new Set(targets[wave - 1]);
      for (const v of fleet.views.values())
        if (!allowed.has(v.name) && fleet.status?.phase !== 'Complete') expect(v.revision).toBe('r1');
      previousWave = wave;
    }
    expect(fleet.status).toMatchObject({ phase: 'Complete', stableRevision: 'r2' });
    expect([...fleet.views.values()].every((v) => v.revision === 'r2')).toBe(true);
    expect(Math.max(...fleet.unhealthyOnUpdate)).toBe(2);
    expect(fleet.events.filter((e) => e === 'WaveStarted')).toHaveLength(2);
  });

  it('stops a broken revision in its first wave and rolls it back; the other NodeUnits never see it', () => {
    const strategy = progressive({ waves: [{ nodeUnits: ['nu1'] }, { percent: 100 }], progressDeadlineSeconds: 10 });
    const fleet = new Fleet(names(4), 'r1', (rev) => (rev === 'bad' ? undefined : 1));
    const seen = new Set<string>();
    for (let t = 1; t <= 30; t++) {
      fleet.step(strategy, 'bad', t);
      for (const v of fleet.views.values()) if (v.revision === 'bad') seen.add(v.name);
    }
    expect([...seen]).toEqual(['nu1']);
    expect(fleet.status).toMatchObject({ phase: 'RolledBack', stableRevision: 'r1', failedRevision: 'bad' });
    expect(fleet.status?.message).toContain('NodeUnit nu1 not healthy within 10s');
    expect(fleet.views.get('nu1')?.revision).toBe('r1');
    expect(fleet.events.filter((e) => e === 'RolloutRolledBack')).toHaveLength(1);
  });

  /** Two NodeUnits on r1, a deadline of 10 s, r2 released at 0 s: the first decision moves nu1. */
  const deadlineOf10 = progressive({ progressDeadlineSeconds: 10 });
  const moveNu1 = () =>
    planRollout({
      strategy: deadlineOf10,
      updateRevision: 'r2',
      previous: complete('r1'),
      nodeUnits: settledOn('r1', 2),
      now: at(0),
    });
  const next = (previous: RolloutDecision, nodeUnits: NodeUnitView[], seconds: number) =>
    planRollout({
      strategy: deadlineOf10,
      updateRevision: 'r2',
      previous: previous.status,
      nodeUnits,
      now: at(seconds),
    });
  /** nu1 on r2 (with `over`), never ready; nu2 still on r1. */
  const nu1OnR2 = (over: Partial<NodeUnitView>): NodeUnitView[] => [
    { name: 'nu1', pending: false, revision: 'r2', ...over },
    { name: 'nu2', pending: false, revision: 'r1', readySince: at(0) },
  ];

  it("starts a NodeUnit's deadline when its objects carry the new revision, not when the hub decided to move it", () => {
    let d = moveNu1();
    expect(d.status.moved?.['nu1']?.revision).toBe('r2');
    // The hub is slow to apply (a restart): 30 s later nu1 still runs r1. No failure.
    d = next(d, settledOn('r1', 2), 30);
    expect(d.status.phase).toBe('Progressing');
    // Applied at 31 s, never ready: the deadline runs out at 41 s.
    const applied = nu1OnR2({ revisionSince: at(31) });
    d = next(d, applied, 40);
    expect(d.status.phase).toBe('Progressing');
    expect(d.requeueAfterMs).toBe(1000);
    d = next(d, applied, 41);
    expect(d.status.phase).toBe('RolledBack');
  });

  it("does not run a NodeUnit's deadline while its member's controllers have not acted on it, and starts it when they have", () => {
    // Applied at 1 s to a member whose controllers are still reconnecting after an outage.
    let d = next(moveNu1(), nu1OnR2({ revisionSince: at(1), behind: true }), 60);
    expect(d.status.phase).toBe('Progressing');
    expect(d.status.message).toContain("1 waiting for their member's controllers to act (nu1)");
    // They act at 61 s; the pods never become ready: the deadline runs out at 71 s, not before.
    const actedOn = nu1OnR2({ revisionSince: at(1), caughtUpSince: at(61) });
    d = next(d, actedOn, 70);
    expect(d.status.phase).toBe('Progressing');
    expect(d.status.message).not.toContain('waiting for their member');
    expect(d.requeueAfterMs).toBe(1000);
    d = next(d, actedOn, 71);
    expect(d.status.phase).toBe('RolledBack');
  });

  it('does not try a rolled-back revision again until a retry, then starts over from wave 1', () => {
    const strategy = progressive({ progressDeadlineSeconds: 5 });
    let fixed = false;
    const fleet = new Fleet(names(3), 'r1', (rev) => (rev === 'r2' && !fixed ? undefined : 1));
    fleet.run(strategy, 'r2', 1, 20);
    expect(fleet.status?.phase).toBe('RolledBack');
    fleet.run(strategy, 'r2', 21, 30, []);
    expect(fleet.status?.phase).toBe('RolledBack');
    fixed = true;
    fleet.step(strategy, 'r2', 31, 'try-1');
    expect(fleet.status).toMatchObject({ phase: 'Progressing', wave: 1, observedRetry: 'try-1' });
    expect(fleet.status).not.toHaveProperty('failedRevision');
    fleet.run(strategy, 'r2', 32, 60);
    expect(fleet.status).toMatchObject({ phase: 'Complete', stableRevision: 'r2' });
  });

  it('with onFailure Pause stops where it is, keeping the moved NodeUnits', () => {
    const strategy = progressive({ onFailure: 'Pause', progressDeadlineSeconds: 5 });
    const fleet = new Fleet(names(3), 'r1', () => undefined);
    fleet.run(strategy, 'r2', 1, 20, ['Failed']);
    expect(fleet.status).toMatchObject({ phase: 'Failed', failedRevision: 'r2', moved: { nu1: { revision: 'r2' } } });
  });

  it('moves nothing while paused, and continues when resumed', () => {
    const strategy = progressive();
    const fleet = new Fleet(names(3), 'r1', () => 1);
    fleet.step(strategy, 'r2', 1);
    expect(Object.keys(fleet.status?.moved ?? {})).toEqual(['nu1']);
    for (let t = 2; t < 10; t++) fleet.step({ ...strategy, paused: true }, 'r2', t);
    expect(fleet.status?.phase).toBe('Paused');
    expect(Object.keys(fleet.status?.moved ?? {})).toEqual(['nu1']);
    fleet.run(strategy, 'r2', 10, 40);
    expect(fleet.status?.phase).toBe('Complete');
  });

  it('neither waits for nor moves a NodeUnit whose member is unreachable; it moves, within budget, once back', () => {
    const strategy = progressive({ waves: [{ nodeUnits: ['nu2'] }, { percent: 100 }], maxUnavailableNodeUnits: 1 });
    const fleet = new Fleet(names(4), 'r1', () => 1);
    fleet.views.get('nu2')!.pending = true;
    fleet.run(strategy, 'r2', 1, 30, []);
    // The canary wave's only NodeUnit is away: the others went on, and the rollout waits for it.
    expect(fleet.status).toMatchObject({ phase: 'Progressing', stableRevision: 'r1', wave: 2 });
    expect(fleet.status?.message).toContain('1 pending until their member is back (nu2)');
    for (const name of ['nu1', 'nu3', 'nu4']) expect(fleet.views.get(name)?.revision).toBe('r2');
    expect(fleet.views.get('nu2')?.revision).toBe('r1');
    expect(fleet.status?.moved?.['nu2']).toBeUndefined();
    fleet.views.get('nu2')!.pending = false;
    fleet.run(strategy, 'r2', 31, 60);
    expect(fleet.status).toMatchObject({ phase: 'Complete', stableRevision: 'r2' });
    expect(fleet.views.get('nu2')?.revision).toBe('r2');
  });

  it('gives a moved NodeUnit whose member was away a fresh deadline when it is back', () => {
    const strategy = progressive({ progressDeadlineSeconds: 10 });
    const fleet = new Fleet(names(2), 'r1', () => 3);
    fleet.step(strategy, 'r2', 1);
    expect(fleet.status?.moved?.['nu1']).toMatchObject({ revision: 'r2' });
    const nu1 = fleet.views.get('nu1')!;
    Object.assign(nu1, { pending: true, revision: 'r1', readySince: at(0) });
    fleet.views.get('nu2')!.pending = true; // unmoved and away: the rollout cannot complete meanwhile
    fleet.run(strategy, 'r2', 2, 30, []);
    expect(fleet.status?.moved?.['nu1']).toMatchObject({ away: true, since: at(1).toISOString() });
    nu1.pending = false;
    fleet.step(strategy, 'r2', 31);
    expect(fleet.status?.phase).toBe('Progressing');
    expect(fleet.status?.moved?.['nu1']).toEqual({ revision: 'r2', since: at(31).toISOString() });
  });

  it('never moves more than the budget when NodeUnits come back together', () => {
    const strategy = progressive({ maxUnavailableNodeUnits: 1 });
    const fleet = new Fleet(names(4), 'r1', () => 2);
    for (const name of ['nu2', 'nu3', 'nu4']) fleet.views.get(name)!.pending = true;
    fleet.run(strategy, 'r2', 1, 10, []);
    for (const name of ['nu2', 'nu3', 'nu4']) fleet.views.get(name)!.pending = false;
    fleet.run(strategy, 'r2', 11, 60);
    expect(fleet.status?.phase).toBe('Complete');
    expect(Math.max(...fleet.unhealthyOnUpdate)).toBe(1);
  });

  it('gives a NodeUnit that appears mid-rollout the stable revision until its wave', () => {
    const strategy = progressive({ waves: [{ nodeUnits: ['nu1'] }, { percent: 100 }] });
    const fleet = new Fleet(names(3), 'r1', () => 2);
    fleet.step(strategy, 'r2', 1);
    fleet.views.set('nu9', { name: 'nu9', pending: false, revision: 'r1', readySince: at(0) });
    fleet.step(strategy, 'r2', 2);
    expect(fleet.status?.moved?.['nu9']).toBeUndefined();
    fleet.run(strategy, 'r2', 3, 40);
    expect(fleet.status?.phase).toBe('Complete');
    expect(fleet.views.get('nu9')?.revision).toBe('r2');
  });

  it('on another edit mid-rollout keeps the stable revision and moves everyone on to the newest', () => {
    const strategy = progressive({ maxUnavailableNodeUnits: 2 });
    const fleet = new Fleet(names(4), 'r1', () => 1);
    fleet.step(strategy, 'r2', 1);
    fleet.step(strategy, 'r3', 2);
    expect(fleet.status).toMatchObject({ stableRevision: 'r1', updateRevision: 'r3', wave: 1 });
    fleet.run(strategy, 'r3', 3, 40);
    expect(fleet.status).toMatchObject({ phase: 'Complete', stableRevision: 'r3' });
    expect([...fleet.views.values()].every((v) => v.revision === 'r3')).toBe(true);
  });

  it('an edit back to the stable revision puts every moved NodeUnit back at once', () => {
    const fleet = new Fleet(names(4), 'r1', () => 1);
    fleet.step(progressive(), 'r2', 1);
    const d = fleet.step(progressive(), 'r1', 2);
    expect(d.status.moved).toBeUndefined();
    expect(d.status).toMatchObject({ stableRevision: 'r1', updateRevision: 'r1' });
  });

  it('decides the same again from the same inputs (a restarted hub continues where the status says)', () => {
    const input = {
      strategy: progressive({ maxUnavailableNodeUnits: 2 }),
      updateRevision: 'r2',
      previous: {
        stableRevision: 'r1',
        updateRevision: 'r2',
        phase: 'Progressing' as const,
        wave: 2,
        waves: 2,
        moved: {
          nu1: { revision: 'r2', since: at(0).toISOString() },
          nu2: { revision: 'r2', since: at(0).toISOString() },
        },
      },
      nodeUnits: settledOn('r1').map((u) => (u.name === 'nu1' || u.name === 'nu2' ? { ...u, revision: 'r2' } : u)),
      now: at(5),
    };
    const once = planRollout(input);
    expect(planRollout(input)).toEqual(once);
    expect(Object.keys(once.status.moved ?? {}).sort()).toEqual(['nu1', 'nu2', 'nu3', 'nu4']);
  });
});
