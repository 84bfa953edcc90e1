import { describe, expect, it } from '@jest/globals';
import { delayedIsDue } from './queue-look.js';

/** BullMQ's score of a delayed job due at `dueMs`, with its id counter in the low 12 bits. */
const score = (dueMs: number, counter = 7): string => String(dueMs * 0x1000 + counter);

describe('delayedIsDue', () => {
  const now = 1_796_151_700_000;

  it('is false for an empty delayed set', () => {
    expect(delayedIsDue([], now)).toBe(false);
  });

  it('is false for a job due later, or due less than a second ago (the worker promotes it on its next fetch)', () => {
    expect(delayedIsDue(['12', score(now + 60_000)], now)).toBe(false);
    expect(delayedIsDue(['12', score(now - 999)], now)).toBe(false);
  });

  it('is true for a job a second or more past its time', () => {
    expect(delayedIsDue(['12', score(now - 1000)], now)).toBe(true);
    expect(delayedIsDue(['12', score(now - 60_000, 4095)], now)).toBe(true);
  });

  it('is false for a score that is not a number', () => {
    expect(delayedIsDue(['12', 'nan'], now)).toBe(false);
  });
});
