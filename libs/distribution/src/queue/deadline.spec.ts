import { describe, expect, it } from '@jest/globals';
import { settlesBefore } from './deadline.js';

describe('settlesBefore', () => {
  it('is true for work that settles in time, resolved or rejected', async () => {
    await expect(settlesBefore(Promise.resolve(1), Date.now() + 1000)).resolves.toBe(true);
    await expect(settlesBefore(Promise.reject(new Error('boom')), Date.now() + 1000)).resolves.toBe(true);
  });

  it('is false, at the deadline, for work that never settles', async () => {
    const started = Date.now();
    await expect(settlesBefore(new Promise(() => undefined), started + 50)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives no time at all once the deadline has passed', async () => {
    const slow = new Promise((resolve) => setTimeout(resolve, 200));
    await expect(settlesBefore(slow, Date.now() - 1)).resolves.toBe(false);
  });
});
