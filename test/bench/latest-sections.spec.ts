import { describe, expect, it } from '@jest/globals';
import {
  MEMBERS_SECTION,
  notOneRun,
  totalRunLine,
  withMembersSection,
} from '../../bench/src/combine/latest-sections.js';

const LATEST = '# gridfed benchmark\n\n| figure | value |\n|---|---|\n| a | 1 |\n\n2 targets missed.\n';
const MEMBERS =
  '# gridfed: hub cost per member\n\nRun x.\n\n| members |\n|---:|\n| 5 |\n\n**Per member** ...\n\n![chart](members-latest.svg)\n';

describe('withMembersSection', () => {
  it('appends the members document as one section, its title replaced, its chart kept', () => {
    const out = withMembersSection(LATEST, MEMBERS);
    expect(out.startsWith(LATEST.trimEnd())).toBe(true);
    expect(out).toContain(`\n\n${MEMBERS_SECTION}\n\nRun x.`);
    expect(out).not.toContain('# gridfed: hub cost per member');
    expect(out).toContain('![chart](members-latest.svg)');
  });

  it('replaces an earlier members section instead of adding a second', () => {
    const once = withMembersSection(LATEST, MEMBERS);
    const twice = withMembersSection(once, MEMBERS.replace('| 5 |', '| 7 |'));
    expect(twice.split(MEMBERS_SECTION)).toHaveLength(2);
    expect(twice).toContain('| 7 |');
    expect(twice).not.toContain('| 5 |');
  });

  it('moves the members document subheadings one level down', () => {
    expect(withMembersSection(LATEST, '# t\n\n## sub\n')).toContain('\n### sub\n');
  });
});

describe('notOneRun', () => {
  const main = { startedAt: '2026-12-01T10:00:00Z', finishedAt: '2026-12-01T10:09:00Z' };
  it('accepts a members run that started right after the main one', () => {
    expect(notOneRun(main, { startedAt: '2026-12-01T10:09:30Z', finishedAt: '2026-12-01T10:14:00Z' })).toBeUndefined();
  });
  it('refuses a members run from before, or from much later', () => {
    expect(notOneRun(main, { startedAt: '2026-12-01T09:00:00Z', finishedAt: '2026-12-01T09:05:00Z' })).toContain(
      'older',
    );
    expect(notOneRun(main, { startedAt: '2026-12-01T12:00:00Z', finishedAt: '2026-12-01T12:05:00Z' })).toContain(
      'not the same run',
    );
  });
});

describe('totalRunLine', () => {
  it("gives the time from the first part's start to the second's end against the limit", () => {
    const main = { startedAt: '2026-12-01T10:00:00Z', finishedAt: '2026-12-01T10:09:00Z' };
    expect(totalRunLine(main, { startedAt: '2026-12-01T10:09:10Z', finishedAt: '2026-12-01T10:13:05Z' })).toContain(
      'took 13 min 5 s: within the 15-minute limit',
    );
    expect(totalRunLine(main, { startedAt: '2026-12-01T10:09:10Z', finishedAt: '2026-12-01T10:16:00Z' })).toContain(
      'OVER',
    );
  });
});
