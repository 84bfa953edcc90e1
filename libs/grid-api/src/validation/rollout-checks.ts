// Cross-field checks of spec.rolloutStrategy.waves: each wave is either named NodeUnits
// or a percentage, a NodeUnit sits in one wave at most, and percentages never go down.
import { isValidNodeUnit } from '../names.js';
import { isPlainObject, type GridFieldError } from './grid-errors.js';
import { shown } from './messages.js';

export function rolloutWaveErrors(spec: Record<string, unknown>): GridFieldError[] {
  const strategy = spec['rolloutStrategy'];
  const waves = isPlainObject(strategy) ? strategy['waves'] : undefined;
  if (!Array.isArray(waves)) return [];
  const errors: GridFieldError[] = [];
  const seen = new Map<string, number>();
  let lastPercent = 0;
  waves.forEach((wave: unknown, i) => {
    const path = `spec.rolloutStrategy.waves[${i}]`;
    if (!isPlainObject(wave)) return;
    const hasUnits = wave['nodeUnits'] !== undefined;
    const hasPercent = wave['percent'] !== undefined;
    if (hasUnits === hasPercent) {
      errors.push({
        path,
        message: 'must have exactly one of nodeUnits (named NodeUnits) or percent (a share of all)',
      });
    }
    if (typeof wave['percent'] === 'number') {
      if (wave['percent'] < lastPercent)
        errors.push({
          path: `${path}.percent`,
          message: `must not be below an earlier wave's percent (${lastPercent})`,
        });
      lastPercent = Math.max(lastPercent, wave['percent']);
    }
    if (!Array.isArray(wave['nodeUnits'])) return;
    wave['nodeUnits'].forEach((nodeUnit: unknown, j) => {
      if (typeof nodeUnit !== 'string') return;
      const at = `${path}.nodeUnits[${j}]`;
      if (!isValidNodeUnit(nodeUnit))
        errors.push({ path: at, message: `cannot be a NodeUnit: ${shown(nodeUnit)} is not a valid label value` });
      const first = seen.get(nodeUnit);
      if (first !== undefined && first !== i)
        errors.push({ path: at, message: `names ${shown(nodeUnit)}, which wave ${first} already names` });
      seen.set(nodeUnit, i);
    });
  });
  return errors;
}
