// The README's "Bad input" section is the table the e2e runs: they cannot drift apart.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { BAD_INPUT, badInputMarkdown } from './bad-input-table.js';

/** The cells of every row of the markdown tables in `text` (the separator row left out). */
function tableCells(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the bad-input table', () => {
  it('has at least 20 kinds, each with a unique id', () => {
    expect(BAD_INPUT.length).toBeGreaterThanOrEqual(20);
    expect(new Set(BAD_INPUT.map((r) => r.id)).size).toBe(BAD_INPUT.length);
  });

  it('is in the README exactly as the e2e runs it (cells compared, Prettier may pad them)', () => {
    const section = README.split('\n## Bad input\n')[1]?.split('\n## ')[0] ?? '';
    expect(tableCells(section)).toEqual(tableCells(badInputMarkdown()));
    expect(tableCells(section).length).toBe(BAD_INPUT.length + 1);
  });
});
