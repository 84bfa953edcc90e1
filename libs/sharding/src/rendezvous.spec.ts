import { describe, expect, it } from '@jest/globals';
import { assignment, ownerOf } from './rendezvous.js';

const members = Array.from({ length: 300 }, (_, i) => `member-${i}`);

describe('ownerOf', () => {
  it('has no owner without live replicas', () => {
    expect(ownerOf('member-1', [])).toBeUndefined();
  });

  it('does not depend on the order the replicas are listed in', () => {
    for (const m of members.slice(0, 50)) expect(ownerOf(m, ['a', 'b', 'c'])).toBe(ownerOf(m, ['c', 'a', 'b']));
  });

  it('spreads members over the replicas roughly evenly', () => {
    const counts = new Map<string, number>();
    for (const owner of assignment(members, ['hub-a', 'hub-b', 'hub-c']).values())
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['hub-a', 'hub-b', 'hub-c']);
    for (const n of counts.values()) expect(n).toBeGreaterThan(60); // 100 each on average
  });

  it('moves only the members of a replica that goes, and only to the others', () => {
    const before = assignment(members, ['hub-a', 'hub-b', 'hub-c']);
    const after = assignment(members, ['hub-a', 'hub-c']);
    for (const m of members) {
      if (before.get(m) !== 'hub-b') expect(after.get(m)).toBe(before.get(m));
      else expect(['hub-a', 'hub-c']).toContain(after.get(m));
    }
  });

  it('gives a replica that comes only members, taking none from one replica to another', () => {
    const before = assignment(members, ['hub-a', 'hub-b']);
    const after = assignment(members, ['hub-a', 'hub-b', 'hub-c']);
    const moved = members.filter((m) => after.get(m) !== before.get(m));
    for (const m of moved) expect(after.get(m)).toBe('hub-c');
    expect(moved.length).toBeGreaterThan(60);
    expect(moved.length).toBeLessThan(140);
  });
});
