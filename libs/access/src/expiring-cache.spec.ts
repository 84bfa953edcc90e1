import { describe, expect, it } from '@jest/globals';
import { ExpiringCache } from './expiring-cache.js';

function counting() {
  let now = 0;
  let loads = 0;
  const cache = new ExpiringCache<number>({ ttlMs: 1000, maxEntries: 3, now: () => now });
  const load = () => Promise.resolve(++loads);
  return { cache, load, loads: () => loads, advance: (ms: number) => (now += ms) };
}

describe('ExpiringCache', () => {
  it('answers from the cache within the TTL and loads again after it', async () => {
    const c = counting();
    expect(await c.cache.get('a', c.load)).toBe(1);
    c.advance(999);
    expect(await c.cache.get('a', c.load)).toBe(1);
    c.advance(1);
    expect(await c.cache.get('a', c.load)).toBe(2);
  });

  it('shares one load between concurrent callers of a key', async () => {
    const c = counting();
    const answers = await Promise.all([c.cache.get('a', c.load), c.cache.get('a', c.load)]);
    expect(answers).toEqual([1, 1]);
    expect(c.loads()).toBe(1);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const c = counting();
    for (const key of ['a', 'b', 'c', 'd']) await c.cache.get(key, c.load);
    expect(c.cache.size).toBe(3);
    expect(await c.cache.get('d', c.load)).toBe(4);
    expect(await c.cache.get('a', c.load)).toBe(5);
  });

  it('drops expired entries as new ones come', async () => {
    const c = counting();
    await c.cache.get('a', c.load);
    await c.cache.get('b', c.load);
    c.advance(1000);
    await c.cache.get('c', c.load);
    expect(c.cache.size).toBe(1);
  });

  it('forgets a failed load, so the next caller tries again', async () => {
    const c = counting();
    await expect(c.cache.get('a', () => Promise.reject(new Error('apiserver away')))).rejects.toThrow('apiserver away');
    expect(c.cache.size).toBe(0);
    expect(await c.cache.get('a', c.load)).toBe(1);
  });
});
