import { describe, expect, it } from '@jest/globals';
import { ownerOf } from './rendezvous.js';
import { nextLookDelayMs, planShard, type ShardView } from './shard-plan.js';

const members = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'];
const replicas = ['hub-a', 'hub-b', 'hub-c'];
const mine = (self: string, live = replicas) => members.filter((m) => ownerOf(m, live) === self);

function view(overrides: Partial<ShardView>): ShardView {
  return { self: 'hub-a', selfLive: true, live: replicas, members, holders: new Map(), fresh: new Set(), ...overrides };
}

describe('planShard', () => {
  it('takes its free members and holds nothing yet', () => {
    const plan = planShard(view({}));
    expect(plan.owned).toEqual([]);
    expect(plan.actions).toEqual(mine('hub-a').map((member) => ({ type: 'acquire', member })));
  });

  it('keeps the members it holds and is given', () => {
    const held = new Map(mine('hub-a').map((m) => [m, 'hub-a']));
    expect(planShard(view({ holders: held }))).toEqual({ owned: mine('hub-a'), actions: [] });
  });

  it('waits for a live holder to let go of a member it is given', () => {
    const [member] = mine('hub-a');
    const plan = planShard(view({ holders: new Map([[member!, 'hub-b']]) }));
    expect(plan.actions).not.toContainEqual({ type: 'acquire', member });
  });

  it("takes a dead holder's members", () => {
    const live = ['hub-a', 'hub-c'];
    const orphans = members.filter((m) => ownerOf(m, replicas) === 'hub-b' && ownerOf(m, live) === 'hub-a');
    expect(orphans.length).toBeGreaterThan(0);
    const holders = new Map(orphans.map((m) => [m, 'hub-b']));
    const plan = planShard(view({ live, holders }));
    for (const member of orphans) expect(plan.actions).toContainEqual({ type: 'acquire', member });
  });

  it('leaves a member just taken by a replica it has not seen yet (one that just started)', () => {
    const [member] = mine('hub-a');
    const plan = planShard(view({ holders: new Map([[member!, 'hub-new']]), fresh: new Set([member!]) }));
    expect(plan.actions).not.toContainEqual({ type: 'acquire', member });
    const later = planShard(view({ holders: new Map([[member!, 'hub-new']]) }));
    expect(later.actions).toContainEqual({ type: 'acquire', member });
  });

  it('releases members given to a replica that came', () => {
    const before = ['hub-a'];
    const held = new Map(members.map((m) => [m, 'hub-a']));
    const plan = planShard(view({ holders: held }));
    expect(plan.owned).toEqual(mine('hub-a'));
    const released = members.filter((m) => ownerOf(m, before) === 'hub-a' && ownerOf(m, replicas) !== 'hub-a');
    expect(plan.actions).toEqual(released.map((member) => ({ type: 'release', member })));
  });

  it('lets go of everything and takes nothing while fenced (its own Lease not renewed)', () => {
    const held = new Map(mine('hub-a').map((m) => [m, 'hub-a']));
    const plan = planShard(view({ selfLive: false, live: ['hub-b', 'hub-c'], holders: held }));
    expect(plan.owned).toEqual([]);
    expect(plan.actions).toEqual(mine('hub-a').map((member) => ({ type: 'release', member })));
  });

  it('deletes Leases of unregistered members nobody live holds, and releases its own', () => {
    const holders = new Map([
      ['gone-1', ''],
      ['gone-2', 'hub-dead'],
      ['gone-3', 'hub-a'],
      ['gone-4', 'hub-b'],
    ]);
    const plan = planShard(view({ members: [], holders }));
    expect(plan.actions).toEqual([
      { type: 'delete', member: 'gone-1' },
      { type: 'delete', member: 'gone-2' },
      { type: 'release', member: 'gone-3' },
    ]);
  });

  it('with one replica, owns every member', () => {
    const held = new Map(members.map((m) => [m, 'hub-a']));
    expect(planShard(view({ live: ['hub-a'], holders: held }))).toEqual({ owned: members, actions: [] });
  });
});

describe('nextLookDelayMs', () => {
  const pacing = { changed: false, dueInMs: 1500, lastWriteFailureMs: Number.NEGATIVE_INFINITY, retryPeriodMs: 2000 };

  it('looks at once after a change and at the next deadline otherwise, while writes succeed', () => {
    expect(nextLookDelayMs({ ...pacing, changed: true, nowMs: 10_000 })).toBe(0);
    expect(nextLookDelayMs({ ...pacing, nowMs: 10_000 })).toBe(1500);
    // A failure longer than a retry period ago no longer holds anything back.
    expect(nextLookDelayMs({ ...pacing, changed: true, lastWriteFailureMs: 7000, nowMs: 10_000 })).toBe(0);
  });

  it('waits a retry period after a failed write, even when a change asks for a look at once (no hot loop)', () => {
    expect(nextLookDelayMs({ ...pacing, changed: true, lastWriteFailureMs: 9900, nowMs: 10_000 })).toBe(1900);
    expect(nextLookDelayMs({ ...pacing, lastWriteFailureMs: 10_000, nowMs: 10_000 })).toBe(2000);
    // A later deadline still wins.
    expect(nextLookDelayMs({ ...pacing, dueInMs: 5000, lastWriteFailureMs: 10_000, nowMs: 10_000 })).toBe(5000);
  });
});
