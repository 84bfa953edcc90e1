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

  it("keeps a replica it saw renew live whatever the writer's clock says (a minute or an hour behind)", () => {
    for (const behindMs of [60_000, 3_600_000]) {
      const renewing = { ...lease, renewTimeMs: 1_000_000 - behindMs, seenRenewing: true };
      expect(isLive(renewing, 1_000_001)).toBe(true);
      expect(isLive(renewing, 1_000_000 + 15_000)).toBe(false); // and lapses by our clock alone
      expect(isLive({ ...renewing, seenRenewing: false }, 1_000_001)).toBe(false);
    }
  });

  it('skips a Lease whose renewTime is long past (a replica gone before we started)', () => {
    const stale = { ...lease, renewTimeMs: 1_000_000 - 60_000 };
    expect(isLive(stale, 1_000_001)).toBe(false);
  });

  it('is not live without a renewTime', () => {
    expect(isLive({ ...lease, renewTimeMs: undefined }, 1_000_001)).toBe(false);
  });
});
