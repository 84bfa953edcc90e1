// Shared by the validation specs only (excluded from the build).
import { expect } from '@jest/globals';
import type { GridFieldError } from './grid-errors.js';
import { validateGrid } from './validate-grid.js';

/** The errors of an input that must fail validation. */
export function errorsOf(input: unknown): GridFieldError[] {
  const result = validateGrid(input);
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors;
}

/** An expected error: the exact path, and a message containing `words` in that order. */
export const error = (path: string, ...words: string[]): GridFieldError => ({
  path,
  message: expect.stringMatching(new RegExp(words.map(escape).join('.*'))) as unknown as string,
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
