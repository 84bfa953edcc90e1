// Cross-field checks of the canary fields: template names and NodeUnit keys.
import { DEFAULT_TEMPLATE_NAME } from '../keys.js';
import { isValidNodeUnit, MAX_LABEL } from '../names.js';
import { isPlainObject, joinPath, type GridFieldError } from './grid-errors.js';
import { shown } from './messages.js';

/** `spec.templates` values and `spec.defaultTemplateName` must name `templatePool` entries. */
export function templateReferenceErrors(spec: Record<string, unknown>): GridFieldError[] {
  const pool = spec['templatePool'];
  const poolNames = isPlainObject(pool) ? Object.keys(pool) : [];
  return [
    ...assignmentErrors(spec['templates'], pool, poolNames),
    ...fallbackErrors(spec['defaultTemplateName'], pool, poolNames),
  ];
}

function assignmentErrors(templates: unknown, pool: unknown, poolNames: string[]): GridFieldError[] {
  if (!isPlainObject(templates)) return [];
  return Object.entries(templates).flatMap(([nodeUnit, name]) => {
    const path = joinPath('spec.templates', nodeUnit);
    if (typeof name !== 'string') return [{ path, message: `must name a templatePool entry, not ${shown(name)}` }];
    return poolNames.includes(name) ? [] : [{ path, message: notInPool(name, pool, poolNames) }];
  });
}

function fallbackErrors(name: unknown, pool: unknown, poolNames: string[]): GridFieldError[] {
  // Not a string or empty: the spec's own checks report it.
  if (typeof name !== 'string' || name === '' || name === DEFAULT_TEMPLATE_NAME || poolNames.includes(name)) return [];
  const hint = `add it there, or set "${DEFAULT_TEMPLATE_NAME}" to use spec.template`;
  return [{ path: 'spec.defaultTemplateName', message: `${notInPool(name, pool, poolNames)}; ${hint}` }];
}

function notInPool(name: string, pool: unknown, poolNames: string[]): string {
  const known =
    pool === undefined || pool === null
      ? 'there is no templatePool'
      : poolNames.length === 0
        ? 'templatePool is empty'
        : `templatePool has ${poolNames.join(', ')}`;
  return `names ${shown(name)}, which is not in templatePool (${known})`;
}

/** Each `spec.templates` key is a NodeUnit: a node label value, and part of member object names. */
export function nodeUnitKeyErrors(spec: Record<string, unknown>): GridFieldError[] {
  const templates = spec['templates'];
  if (!isPlainObject(templates)) return [];
  return Object.keys(templates)
    .filter((nodeUnit) => !isValidNodeUnit(nodeUnit))
    .map((nodeUnit) => ({
      path: joinPath('spec.templates', nodeUnit),
      message:
        `cannot be a NodeUnit: ${shown(nodeUnit)} is not a valid label value (1 to ${MAX_LABEL} letters, digits, ` +
        `"-", "_" or ".", starting and ending with a letter or digit), so no node carries it and it cannot form an object name`,
    }));
}
