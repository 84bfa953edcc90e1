import { describe, expect, it } from '@jest/globals';
import type { MemberFacts, MemberReport } from './member-reports.js';
import { views } from './rollout-views.js';

const record = (cluster: string, units: string[]): MemberReport['record'] => ({
  cluster,
  grid: 'DeploymentGrid/ns/web',
  at: '',
  skippedNodeUnits: [],
  objects: Object.fromEntries(
    units.map((u) => [`ns/web-${u}`, { name: `ns/web-${u}`, nodeUnits: [u], hash: 'h', outcome: 'applied' as const }]),
  ),
});
const facts = (cluster: string, reachable = true): MemberFacts => ({
  cluster,
  owner: 'hub-0',
  reachable,
  synced: true,
});

describe('views', () => {
  it('sees each NodeUnit with the revision its objects carry and since when all of them are ready', () => {
    const reports = new Map<string, MemberReport>([
      [
        'm1',
        {
          cluster: 'm1',
          grid: 'g',
          record: record('m1', ['zone1', 'shared']),
          observed: {
            'ns/web-zone1': { revision: 'r2', ready: true, readySince: '2026-12-01T10:00:00.000Z' },
            'ns/web-shared': { revision: 'r2', ready: true, readySince: '2026-12-01T10:00:05.000Z' },
          },
        },
      ],
      [
        'm2',
        {
          cluster: 'm2',
          grid: 'g',
          record: record('m2', ['shared']),
          observed: { 'ns/web-shared': { revision: 'r2', ready: true, readySince: '2026-12-01T10:00:09.000Z' } },
        },
      ],
    ]);
    const seen = views(
      ['m1', 'm2'],
      reports,
      new Map([
        ['m1', facts('m1')],
        ['m2', facts('m2')],
      ]),
    );
    expect(seen).toEqual([
      { name: 'zone1', pending: false, revision: 'r2', readySince: new Date('2026-12-01T10:00:00.000Z') },
      // Spanning two members: ready once both are, since the later of them.
      { name: 'shared', pending: false, revision: 'r2', readySince: new Date('2026-12-01T10:00:09.000Z') },
    ]);
  });

  it("calls a NodeUnit behind while its member's controller has not acted on one of its objects, and caught up since the later of them", () => {
    const report = (observed: MemberReport['observed']): Map<string, MemberReport> =>
      new Map([['m1', { cluster: 'm1', grid: 'g', record: record('m1', ['a', 'b']), observed }]]);
    const m1 = new Map([['m1', facts('m1')]]);
    const seen = views(
      ['m1'],
      report({
        'ns/web-a': { revision: 'r2', ready: false, behind: true },
        'ns/web-b': { revision: 'r2', ready: false, caughtUpSince: '2026-12-01T10:00:03.000Z' },
      }),
      m1,
    );
    expect(seen).toEqual([
      { name: 'a', pending: false, revision: 'r2', behind: true },
      { name: 'b', pending: false, revision: 'r2', caughtUpSince: new Date('2026-12-01T10:00:03.000Z') },
    ]);
  });

  it('calls a NodeUnit pending when a member hosting it is unreachable, and not ready while its objects disagree', () => {
    const reports = new Map<string, MemberReport>([
      [
        'm1',
        {
          cluster: 'm1',
          grid: 'g',
          record: record('m1', ['a']),
          observed: { 'ns/web-a': { revision: 'r1', ready: true } },
        },
      ],
      [
        'm2',
        {
          cluster: 'm2',
          grid: 'g',
          record: record('m2', ['a', 'b']),
          observed: { 'ns/web-a': { revision: 'r2', ready: true } },
        },
      ],
    ]);
    const seen = views(
      ['m1', 'm2'],
      reports,
      new Map([
        ['m1', facts('m1')],
        ['m2', facts('m2', false)],
      ]),
    );
    expect(seen).toEqual([
      { name: 'a', pending: true },
      { name: 'b', pending: true },
    ]);
  });
});
