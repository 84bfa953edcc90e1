import { describe, expect, it } from '@jest/globals';
import { StallWatch, type QueueLook } from './stall-watch.js';

const look = (over: Partial<QueueLook> = {}): QueueLook => ({
  ready: 1,
  running: 0,
  concurrency: 8,
  paused: false,
  ...over,
});

function watchAt(stallMs: number) {
  const clock = { t: 1_000 };
  return { clock, watch: new StallWatch(stallMs, () => clock.t) };
}

describe('StallWatch', () => {
  it('calls a worker stalled once ready jobs waited stallMs while it had room and started none', () => {
    const { clock, watch } = watchAt(10_000);
    expect(watch.look(look())).toBe(false);
    clock.t += 9_999;
    expect(watch.look(look())).toBe(false);
    clock.t += 1;
    expect(watch.look(look())).toBe(true);
  });

  it('says it once, then watches again from there', () => {
    const { clock, watch } = watchAt(10_000);
    watch.look(look());
    clock.t += 10_000;
    expect(watch.look(look())).toBe(true);
    clock.t += 1_000;
    expect(watch.look(look())).toBe(false);
    clock.t += 9_999;
    expect(watch.look(look())).toBe(false);
    clock.t += 1;
    expect(watch.look(look())).toBe(true);
  });

  it('starts over whenever the worker starts a job', () => {
    const { clock, watch } = watchAt(10_000);
    watch.look(look());
    clock.t += 9_000;
    watch.started();
    clock.t += 2_000;
    expect(watch.look(look())).toBe(false);
    clock.t += 9_999;
    expect(watch.look(look())).toBe(false);
  });

  it.each<[string, Partial<QueueLook>]>([
    ['nothing is ready', { ready: 0 }],
    ['the worker runs as many jobs as it may', { running: 8 }],
    ['the queue is paused (an unreachable member)', { paused: true }],
  ])('never calls it stalled while %s, and starts over after it', (_, over) => {
    const { clock, watch } = watchAt(10_000);
    watch.look(look());
    clock.t += 9_000;
    for (let i = 0; i < 5; i++) {
      expect(watch.look(look(over))).toBe(false);
      clock.t += 10_000;
    }
    expect(watch.look(look())).toBe(false);
    clock.t += 9_999;
    expect(watch.look(look())).toBe(false);
    clock.t += 1;
    expect(watch.look(look())).toBe(true);
  });
});
