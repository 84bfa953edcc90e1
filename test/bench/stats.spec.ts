import { describe, expect, it } from '@jest/globals';
import { percentile, ratePerSecond, round, summarizeLatencies } from '../../bench/src/stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the smallest value with p% of the values at or below it', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
  });

  it('does not depend on the order of the samples', () => {
    expect(percentile([30, 10, 20], 50)).toBe(20);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
  });

  it('is the maximum for p99 of a few samples, and the only value of one', () => {
    expect(percentile([120, 80, 300, 90, 110], 99)).toBe(300);
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('rounds the rank up: p50 of an even count is the lower middle value', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
  });

  it('refuses no values and percentiles outside (0, 100]', () => {
    expect(() => percentile([], 50)).toThrow('percentile of no values');
    expect(() => percentile([1], 0)).toThrow('outside (0, 100]');
    expect(() => percentile([1], 101)).toThrow('outside (0, 100]');
  });
});

describe('summarizeLatencies', () => {
  it('gives p50, p95, p99 and max of the completed samples, and counts timeouts apart', () => {
    const samples = [...Array.from({ length: 98 }, () => 100), 1500, 2500];
    expect(summarizeLatencies(samples, 2)).toEqual({
      samples: 100,
      timeouts: 2,
      p50Ms: 100,
      p95Ms: 100,
      p99Ms: 1500,
      maxMs: 2500,
    });
  });

  it('reports null figures when no sample completed', () => {
    expect(summarizeLatencies([], 3)).toEqual({
      samples: 0,
      timeouts: 3,
      p50Ms: null,
      p95Ms: null,
      p99Ms: null,
      maxMs: null,
    });
  });
});

describe('ratePerSecond and round', () => {
  it('divides, rounded to a tenth, and has no rate for no time', () => {
    expect(ratePerSecond(1200, 41.3)).toBe(29.1);
    expect(ratePerSecond(10, 0)).toBeNull();
  });

  it('rounds to the digits asked', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(2.25)).toBe(2.3);
  });
});
