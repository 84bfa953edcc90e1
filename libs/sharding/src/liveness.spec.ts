import { describe, expect, it } from '@jest/globals';
import { isLive, lapsesAt } from './liveness.js';

const lease = { replica: 'hub-b', renewTimeMs: 1_000_000, durationMs: 15_000, observedAtMs: 1_000_000 };

describe('isLive', () => {
  it('is live for one lease duration after the renewal was seen', () => {
    expect(isLive(lease, 1_000_000 + 14_999)).toBe(true);
    expect(isLive(lease, 1_000_000 + 15_000)).toBe(false);
    expect(lapsesAt(lease)).toBe(1_015_000);
  });

  it("goes by when the renewal was seen, not by the writer's clock", () => {
    // The writer's clock is 10 s behind ours (less than a lease duration): still live.
    const skewed = { ...lease, renewTimeMs: 990_000 };
    expect(isLive(skewed, 1_010_000)).toBe(true);
  });

  it('skips a Lease whose renewTime is long past (a replica gone before we started)', () => {
    const stale = { ...lease, renewTimeMs: 1_000_000 - 60_000 };
    expect(isLive(stale, 1_000_001)).toBe(false);
  });

  it('is not live without a renewTime', () => {
    expect(isLive({ ...lease, renewTimeMs: undefined }, 1_000_001)).toBe(false);
  });
});
