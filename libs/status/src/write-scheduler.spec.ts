import { jest } from '@jest/globals';
import { WriteScheduler, type WriteSchedulerOptions } from './write-scheduler.js';

interface Call {
  key: string;
  finish: (done: boolean) => void;
}

function scheduler(overrides: Partial<WriteSchedulerOptions> = {}) {
  const calls: Call[] = [];
  const s = new WriteScheduler({
    debounceMs: 100,
    minIntervalMs: 0,
    maxInFlight: 2,
    retry: { initialMs: 1000, maxMs: 4000 },
    write: (key) => new Promise<boolean>((finish) => calls.push({ key, finish })),
    ...overrides,
  });
  return { s, calls };
}

/** Lets the promise callbacks of finished writes run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('WriteScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('coalesces a burst for one key into one write after the debounce', () => {
    const { s, calls } = scheduler();
    for (let i = 0; i < 5; i++) s.schedule('a');
    jest.advanceTimersByTime(99);
    expect(calls).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(calls.map((c) => c.key)).toEqual(['a']);
  });

  it('runs at most maxInFlight writes at once, and the rest as slots free up', async () => {
    const { s, calls } = scheduler();
    for (const key of ['a', 'b', 'c', 'd']) s.schedule(key);
    jest.advanceTimersByTime(100);
    expect(calls.map((c) => c.key)).toEqual(['a', 'b']);
    expect(s.inFlight).toBe(2);
    calls[0]!.finish(true);
    await settle();
    expect(calls.map((c) => c.key)).toEqual(['a', 'b', 'c']);
  });

  it('never writes one key twice at the same time: a new request waits for the running write', async () => {
    const { s, calls } = scheduler();
    s.schedule('a');
    jest.advanceTimersByTime(100);
    s.schedule('a');
    jest.advanceTimersByTime(100);
    expect(calls).toHaveLength(1);
    calls[0]!.finish(true);
    await settle();
    expect(calls.map((c) => c.key)).toEqual(['a', 'a']);
  });

  it('retries a failed write with growing, capped backoff, and resets it after a success', async () => {
    const { s, calls } = scheduler();
    s.schedule('a');
    jest.advanceTimersByTime(100);
    const failAndWait = async (ms: number): Promise<void> => {
      calls.at(-1)!.finish(false);
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
    calls.at(-1)!.finish(true);
    await settle();
    s.schedule('a');
    jest.advanceTimersByTime(100);
    await failAndWait(1000);
  });

  it('treats a write that throws as failed', async () => {
    let attempts = 0;
    const { s } = scheduler({
      write: () => {
        attempts += 1;
        return Promise.reject(new Error('boom'));
      },
    });
    s.schedule('a');
    jest.advanceTimersByTime(100);
    await settle();
    jest.advanceTimersByTime(1000);
    await settle();
    expect(attempts).toBe(2);
  });

  it('writes one key at most once per minIntervalMs, and a quiet key after the debounce alone', async () => {
    const { s, calls } = scheduler({ minIntervalMs: 2000 });
    s.schedule('a');
    jest.advanceTimersByTime(100);
    calls[0]!.finish(true);
    await settle();
    s.schedule('a');
    jest.advanceTimersByTime(1999);
    expect(calls).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(calls).toHaveLength(2);
    calls[1]!.finish(true);
    await settle();
    jest.advanceTimersByTime(5000);
    s.schedule('a');
    jest.advanceTimersByTime(100);
    expect(calls).toHaveLength(3);
  });

  it('forgets a key: its next write waits for the debounce alone', async () => {
    const { s, calls } = scheduler({ minIntervalMs: 2000 });
    s.schedule('a');
    jest.advanceTimersByTime(100);
    calls[0]!.finish(true);
    await settle();
    s.forget('a');
    s.schedule('a');
    jest.advanceTimersByTime(100);
    expect(calls).toHaveLength(2);
  });

  it('writes nothing after stop', () => {
    const { s, calls } = scheduler();
    s.schedule('a');
    s.stop();
    s.schedule('b');
    jest.advanceTimersByTime(10_000);
    expect(calls).toHaveLength(0);
  });
});
