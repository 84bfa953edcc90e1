import { describe, expect, it } from '@jest/globals';
import { LossWatch } from './loss-watch.js';
import type { RedisConnection } from './redis-connections.js';

/** SET ... NX and GET over a map: what LossWatch uses of Redis. */
function fakeRedis() {
  const keys = new Map<string, string>();
  const redis = {
    set: async (key: string, value: string) => {
      if (keys.has(key)) return null;
      keys.set(key, value);
      return 'OK';
    },
    get: async (key: string) => keys.get(key) ?? null,
  };
  return { keys, redis: redis as unknown as RedisConnection };
}

describe('LossWatch', () => {
  it('sees nothing on the first look nor while the token stays', async () => {
    const { redis } = fakeRedis();
    const watch = new LossWatch(redis, 'gridfed:{q}:q:epoch');
    expect(await watch.lost()).toBe(false);
    expect(await watch.lost()).toBe(false);
  });

  it('sees a Redis that came back empty once, and every client watching the key sees it', async () => {
    const { keys, redis } = fakeRedis();
    const a = new LossWatch(redis, 'gridfed:{q}:q:epoch');
    const b = new LossWatch(redis, 'gridfed:{q}:q:epoch');
    await a.lost();
    await b.lost();
    keys.clear(); // restarted empty
    expect(await a.lost()).toBe(true); // a sets the new token first
    expect(await b.lost()).toBe(true); // b finds a token that is not the one it saw
    expect(await a.lost()).toBe(false);
    expect(await b.lost()).toBe(false);
  });
});
