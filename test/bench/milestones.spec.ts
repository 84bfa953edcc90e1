import { describe, expect, it } from '@jest/globals';
import {
  fastestMilestones,
  milestoneRatios,
  ratio,
  secondsAt,
  unreachedNotes,
  type Milestones,
} from '../../bench/src/milestones.js';

const at = (appliedSeconds: number, existsSeconds: number | null, readySeconds: number | null): Milestones => ({
  appliedSeconds,
  existsSeconds,
  readySeconds,
});

describe('ratio', () => {
  it('divides hub by floor, to two decimals', () => {
    expect(ratio(28.52, 12.23)).toBe(2.33);
    expect(ratio(60, 50)).toBe(1.2);
  });

  it('has none when a side has no time or the floor took none', () => {
    expect(ratio(null, 10)).toBeNull();
    expect(ratio(10, null)).toBeNull();
    expect(ratio(10, 0)).toBeNull();
  });
});

describe('milestoneRatios', () => {
  it('takes each moment of the hub against the same moment of the floor', () => {
    expect(milestoneRatios(at(30, 31, 66), at(10, 12, 60))).toEqual({ applied: 3, exists: 2.58, ready: 1.1 });
  });

  it('leaves a moment a side did not reach without a ratio', () => {
    expect(milestoneRatios(at(30, 31, null), at(10, null, 60))).toEqual({ applied: 3, exists: null, ready: null });
  });
});

describe('fastestMilestones', () => {
  it('takes each moment from whichever direct loop reached it first', () => {
    expect(fastestMilestones(at(12, 13, 70), at(28, 29, 65))).toEqual(at(12, 13, 65));
  });

  it('keeps the moment one loop reached when the other did not', () => {
    expect(fastestMilestones(at(12, null, null), at(28, 29, 65))).toEqual(at(12, 29, 65));
    expect(fastestMilestones(at(12, null, null), at(28, null, null))).toEqual(at(12, null, null));
  });
});

describe('secondsAt', () => {
  it('reads the moment asked for', () => {
    const m = at(1, 2, 3);
    expect([secondsAt(m, 'applied'), secondsAt(m, 'exists'), secondsAt(m, 'ready')]).toEqual([1, 2, 3]);
  });
});

describe('unreachedNotes', () => {
  it('names each side and moment that passed the deadline, and nothing when all were reached', () => {
    expect(unreachedNotes({ hub: at(1, 2, 3), floor: at(1, 2, 3) }, 300)).toEqual([]);
    expect(unreachedNotes({ hub: at(1, 2, null), floor: at(1, null, null) }, 300)).toEqual([
      'hub: not every member workload was ready within 300 s',
      'floor: not every member workload existed within 300 s',
      'floor: not every member workload was ready within 300 s',
    ]);
  });
});
