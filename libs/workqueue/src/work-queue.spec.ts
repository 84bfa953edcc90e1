import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { WorkQueue, type Requeue, type WorkQueueOptions } from './work-queue.js';

interface Call {
  key: string;
  finish: (outcome?: 'fail' | Requeue) => void;
}

function queue(overrides: Partial<WorkQueueOptions> = {}) {
  const calls: Call[] = [];
  const errors: [string, number][] = [];
  const q = new WorkQueue({
    name: 'test',
    debounceMs: 100,
    minIntervalMs: 0,
    maxInFlight: 2,
    retry: { initialMs: 1000, maxMs: 4000 },
    reconcile: (key) =>
      new Promise<void | Requeue>((resolve, reject) =>
        calls.push({
          key,
          finish: (outcome) => (outcome === 'fail' ? reject(new Error(`${key} failed`)) : resolve(outcome)),
        }),
      ),
    onError: (key, _err, failures) => errors.push([key, failures]),
    ...overrides,
  });
  return { q, calls, errors };
}

/** Lets the promise callbacks of finished runs run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('WorkQueue', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('coalesces a burst for one key into one run after the debounce', () => {
    const { q, calls } = queue();
    for (let i = 0; i < 5; i++) q.add('a');
    jest.advanceTimersByTime(99);
    expect(calls).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(calls.map((c) => c.key)).toEqual(['a']);
  });

  it('runs at most maxInFlight keys at once, and the rest as slots free up', async () => {
    const { q, calls } = queue();
    for (const key of ['a', 'b', 'c', 'd']) q.add(key);
    jest.advanceTimersByTime(100);
    expect(calls.map((c) => c.key)).toEqual(['a', 'b']);
    expect(q.inFlight).toBe(2);
    expect(q.depth).toBe(4);
    calls[0]!.finish();
    await settle();
    expect(calls.map((c) => c.key)).toEqual(['a', 'b', 'c']);
  });

  it('never runs one key twice at the same time: an add while it runs gives exactly one more run after it', async () => {
    const { q, calls } = queue();
    q.add('a');
    jest.advanceTimersByTime(100);
    q.add('a');
    q.add('a');
    jest.advanceTimersByTime(100);
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    await settle();
    expect(calls.map((c) => c.key)).toEqual(['a', 'a']);
    calls[1]!.finish();
    await settle();
    jest.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(2);
  });

  it('retries a failed run with growing, capped backoff, and resets it after a success', async () => {
    const { q, calls, errors } = queue();
    q.add('a');
    jest.advanceTimersByTime(100);
    const failAndWait = async (ms: number): Promise<void> => {
      calls.at(-1)!.finish('fail');
      await settle();
      const before = calls.length;
      jest.advanceTimersByTime(ms - 1);
      expect(calls).toHaveLength(before);
      jest.advanceTimersByTime(1);
      expect(calls).toHaveLength(before + 1);
    };
    await failAndWait(1000);
    await failAndWait(2000);
    await failAndWait(4000);
    await failAndWait(4000);
    expect(errors).toEqual([
      ['a', 1],
      ['a', 2],
      ['a', 3],
      ['a', 4],
    ]);
    expect(q.failing().get('a')).toBe(4);
    calls.at(-1)!.finish();
    await settle();
    expect(q.failing().size).toBe(0);
    q.add('a');
    jest.advanceTimersByTime(100);
    await failAndWait(1000);
  });

  it('runs a key that is backing off at once when it is added again (something changed)', async () => {
    const { q, calls } = queue({ debounceMs: 0 });
    q.add('a');
    jest.advanceTimersByTime(0);
    calls[0]!.finish('fail');
    await settle();
    jest.advanceTimersByTime(10);
    expect(calls).toHaveLength(1);
    q.add('a');
    jest.advanceTimersByTime(0);
    expect(calls).toHaveLength(2);
  });

  it('runs a key again after the time a reconcile asks for', async () => {
    const { q, calls, errors } = queue();
    q.add('a');
    jest.advanceTimersByTime(100);
    calls[0]!.finish({ requeueAfterMs: 5000 });
    await settle();
    jest.advanceTimersByTime(4999);
    expect(calls).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(calls).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('starts one key at most once per minIntervalMs, and a quiet key after the debounce alone', async () => {
    const { q, calls } = queue({ minIntervalMs: 2000 });
    q.add('a');
    jest.advanceTimersByTime(100);
    calls[0]!.finish();
    await settle();
    q.add('a');
    jest.advanceTimersByTime(1999);
    expect(calls).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    await settle();
    jest.advanceTimersByTime(5000);
    q.add('a');
    jest.advanceTimersByTime(100);
    expect(calls).toHaveLength(3);
  });

  it('forgets a key: its next run waits for the debounce alone', async () => {
    const { q, calls } = queue({ minIntervalMs: 2000 });
    q.add('a');
    jest.advanceTimersByTime(100);
    calls[0]!.finish();
    await settle();
    q.forget('a');
    q.add('a');
    jest.advanceTimersByTime(100);
    expect(calls).toHaveLength(2);
  });

  it('resolves idle() once nothing is due or running', async () => {
    const { q, calls } = queue({ debounceMs: 0 });
    let idle = false;
    q.add('a');
    jest.advanceTimersByTime(0);
    void q.idle().then(() => (idle = true));
    await settle();
    expect(idle).toBe(false);
    calls[0]!.finish();
    await settle();
    expect(idle).toBe(true);
  });

  it('runs nothing after stop', () => {
    const { q, calls } = queue();
    q.add('a');
    q.stop();
    q.add('b');
    jest.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(0);
  });
});
