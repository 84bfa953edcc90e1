import { describe, expect, it } from '@jest/globals';
import { DelayQueue } from './delay-queue.js';

describe('DelayQueue', () => {
  it('holds each item for the latency it arrived with', () => {
    const q = new DelayQueue<string>();
    q.push(1000, 200, 'a');
    q.push(1050, 200, 'b');
    expect(q.nextDue()).toBe(1200);
    expect(q.takeDue(1199)).toEqual([]);
    expect(q.takeDue(1200)).toEqual(['a']);
    expect(q.takeDue(1300)).toEqual(['b']);
    expect(q.nextDue()).toBeUndefined();
  });

  it('keeps the order when the latency drops while items are in flight', () => {
    const q = new DelayQueue<string>();
    q.push(0, 500, 'slow');
    q.push(10, 0, 'fast');
    expect(q.takeDue(10)).toEqual([]);
    expect(q.takeDue(500)).toEqual(['slow', 'fast']);
  });

  it('passes items at once without latency', () => {
    const q = new DelayQueue<number>();
    q.push(5, 0, 1);
    q.push(5, 0, 2);
    expect(q.length).toBe(2);
    expect(q.takeDue(5)).toEqual([1, 2]);
  });
});
