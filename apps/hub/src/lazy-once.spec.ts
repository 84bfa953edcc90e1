import { describe, expect, it } from '@jest/globals';
import { lazyOnce } from './lazy-once.js';

describe('lazyOnce', () => {
  it('runs the work once for concurrent and later callers, who all get its result', async () => {
    let runs = 0;
    const get = lazyOnce(async () => {
      runs += 1;
      await new Promise((r) => setTimeout(r, 5));
      return `board ${runs}`;
    });
    expect(await Promise.all([get(), get(), get()])).toEqual(['board 1', 'board 1', 'board 1']);
    expect(await get()).toBe('board 1');
    expect(runs).toBe(1);
  });

  it('does not keep a failure: the next call runs the work again', async () => {
    let runs = 0;
    const get = lazyOnce(async () => {
      runs += 1;
      if (runs === 1) throw new Error('import failed');
      return runs;
    });
    await expect(get()).rejects.toThrow('import failed');
    expect(await get()).toBe(2);
    expect(await get()).toBe(2);
    expect(runs).toBe(2);
  });
});
