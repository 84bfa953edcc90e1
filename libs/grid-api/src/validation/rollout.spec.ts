import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseMaxUnavailable, validateGrid } from './index.js';

const EXAMPLE = new URL('../../../../deploy/examples/deploymentgrid-fed.yaml', import.meta.url);

function withStrategy(strategy: unknown, kind = 'DeploymentGrid'): Record<string, unknown> {
  const grid = parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
  grid['kind'] = kind;
  (grid['spec'] as Record<string, unknown>)['rolloutStrategy'] = strategy;
  return grid;
}

const problems = (strategy: unknown, kind?: string): string[] => {
  const result = validateGrid(withStrategy(strategy, kind));
  return result.ok ? [] : result.errors.map((e) => `${e.path} ${e.message}`);
};

describe('spec.rolloutStrategy', () => {
  it('accepts the documented example and an empty strategy', () => {
    expect(
      problems({
        type: 'Progressive',
        waves: [{ nodeUnits: ['zone1'] }, { percent: 25 }, { percent: 100 }],
        maxUnavailableNodeUnits: 1,
        minReadySeconds: 30,
        progressDeadlineSeconds: 600,
        paused: false,
        onFailure: 'Rollback',
        revisionHistoryLimit: 10,
      }),
    ).toEqual([]);
    expect(problems({})).toEqual([]);
    expect(problems({ type: 'Progressive', maxUnavailableNodeUnits: '20%' }, 'StatefulSetGrid')).toEqual([]);
  });

  it('names the field and the value of each wrong type or range', () => {
    expect(problems({ type: 'Canary' })).toEqual([
      'spec.rolloutStrategy.type must be "All" (every NodeUnit at once) or "Progressive" (in waves), not "Canary"',
    ]);
    expect(problems({ maxUnavailableNodeUnits: 0 })).toEqual([
      'spec.rolloutStrategy.maxUnavailableNodeUnits must be a whole number >= 1 or a percentage like "20%", not 0',
    ]);
    expect(problems({ maxUnavailableNodeUnits: '120%' })).toHaveLength(1);
    expect(problems({ minReadySeconds: -1, progressDeadlineSeconds: 0, revisionHistoryLimit: 1.5 })).toEqual([
      'spec.rolloutStrategy.minReadySeconds must be a whole number >= 0, not -1',
      'spec.rolloutStrategy.progressDeadlineSeconds must be a whole number >= 1, not 0',
      'spec.rolloutStrategy.revisionHistoryLimit must be a whole number >= 0, not 1.5',
    ]);
    expect(problems({ onFailure: 'Retry', paused: 'yes' })).toEqual([
      'spec.rolloutStrategy.onFailure must be "Rollback" or "Pause", not "Retry"',
      'spec.rolloutStrategy.paused must be true or false, not "yes"',
    ]);
    expect(problems('fast')).toEqual(['spec.rolloutStrategy must be an object, not "fast"']);
  });

  it('checks each wave: one of nodeUnits or percent, valid names, once each, percentages that never go down', () => {
    expect(problems({ waves: [{}] })).toEqual([
      'spec.rolloutStrategy.waves[0] must have exactly one of nodeUnits (named NodeUnits) or percent (a share of all)',
    ]);
    expect(problems({ waves: [{ nodeUnits: ['zone1'], percent: 10 }] })).toHaveLength(1);
    expect(problems({ waves: [{ percent: 50 }, { percent: 20 }] })).toEqual([
      "spec.rolloutStrategy.waves[1].percent must not be below an earlier wave's percent (50)",
    ]);
    expect(problems({ waves: [{ nodeUnits: ['zone1'] }, { nodeUnits: ['zone1', 'Bad Name'] }] })).toEqual([
      'spec.rolloutStrategy.waves[1].nodeUnits[0] names "zone1", which wave 0 already names',
      'spec.rolloutStrategy.waves[1].nodeUnits[1] cannot be a NodeUnit: "Bad Name" is not a valid label value',
    ]);
    expect(problems({ waves: [{ percent: 0 }] })).toEqual([
      'spec.rolloutStrategy.waves[0].percent must be at least 1 (percent of all NodeUnits), not 0',
    ]);
    expect(problems({ waves: [{ nodeUnits: [] }] })).toEqual([
      'spec.rolloutStrategy.waves[0].nodeUnits must name at least one NodeUnit',
    ]);
  });

  it('is not a ServiceGrid field', () => {
    const grid = parse(
      readFileSync(new URL('../../../../deploy/examples/servicegrid-fed.yaml', import.meta.url), 'utf8'),
    );
    grid.spec.rolloutStrategy = { type: 'Progressive' };
    const result = validateGrid(grid);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['spec.rolloutStrategy']);
  });
});

describe('parseMaxUnavailable', () => {
  it('reads a count or a percentage', () => {
    expect(parseMaxUnavailable(2)).toEqual({ count: 2 });
    expect(parseMaxUnavailable('25%')).toEqual({ percent: 25 });
    expect(parseMaxUnavailable('0%')).toBeUndefined();
    expect(parseMaxUnavailable('2')).toBeUndefined();
    expect(parseMaxUnavailable(0)).toBeUndefined();
  });
});
