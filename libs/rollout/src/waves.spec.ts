import { describe, expect, it } from '@jest/globals';
import { strategyOf } from './strategy.js';
import { waveTargets } from './waves.js';

const units = (n: number) => Array.from({ length: n }, (_, i) => `nu${i + 1}`);

describe('waveTargets', () => {
  it('without waves, makes each batch of maxUnavailableNodeUnits a wave', () => {
    const strategy = strategyOf({ type: 'Progressive', maxUnavailableNodeUnits: 2 });
    expect(waveTargets(strategy, units(5))).toEqual([
      ['nu1', 'nu2'],
      ['nu1', 'nu2', 'nu3', 'nu4'],
      ['nu1', 'nu2', 'nu3', 'nu4', 'nu5'],
    ]);
  });

  it('puts named NodeUnits first, in wave order, then fills percentages (rounded up) by name', () => {
    const strategy = strategyOf({
      type: 'Progressive',
      waves: [{ nodeUnits: ['nu7'] }, { percent: 25 }, { nodeUnits: ['nu3'] }, { percent: 100 }],
    });
    expect(waveTargets(strategy, units(8))).toEqual([
      ['nu7'],
      ['nu7', 'nu1'],
      ['nu7', 'nu3', 'nu1'],
      ['nu7', 'nu3', 'nu1', 'nu2', 'nu4', 'nu5', 'nu6', 'nu8'],
    ]);
  });

  it('adds a last wave of everything, and leaves out waves that add nothing (names that do not exist)', () => {
    const strategy = strategyOf({ type: 'Progressive', waves: [{ nodeUnits: ['gone'] }, { percent: 50 }] });
    expect(waveTargets(strategy, units(4))).toEqual([
      ['nu1', 'nu2'],
      ['nu1', 'nu2', 'nu3', 'nu4'],
    ]);
  });

  it('takes a percentage maxUnavailable of all NodeUnits, never below one', () => {
    expect(waveTargets(strategyOf({ maxUnavailableNodeUnits: '50%' }), units(4)).map((w) => w.length)).toEqual([2, 4]);
    expect(waveTargets(strategyOf({ maxUnavailableNodeUnits: '10%' }), units(3)).map((w) => w.length)).toEqual([
      1, 2, 3,
    ]);
  });

  it('plans nothing for a grid without NodeUnits, and the same plan whatever the input order', () => {
    expect(waveTargets(strategyOf({}), [])).toEqual([]);
    const strategy = strategyOf({ waves: [{ percent: 50 }] });
    expect(waveTargets(strategy, ['b', 'a', 'd', 'c'])).toEqual(waveTargets(strategy, ['a', 'b', 'c', 'd']));
  });
});
