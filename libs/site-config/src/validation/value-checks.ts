// Cross-field checks of a SiteConfig's values: keys a ConfigMap or Secret accepts, NodeUnit
// names, and which of `data` and `secretRefs` its type allows.
import {
  isPlainObject,
  isValidNodeUnit,
  joinPath,
  MAX_LABEL,
  MAX_SUBDOMAIN,
  shown,
  validateDto,
  type GridFieldError,
} from '#gridfed/grid-api';
import type { SiteConfigType } from '../types.js';
import { SiteConfigValuesDto } from './site-config.dto.js';

/** What Kubernetes accepts as a ConfigMap or Secret key. */
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` cannot be a ConfigMap or Secret key, or undefined when it can. */
export function configKeyProblem(key: string): string | undefined {
  if (key.length > MAX_SUBDOMAIN) return `is ${key.length} characters, over ${MAX_SUBDOMAIN}`;
  if (!CONFIG_KEY.test(key) || key === '.' || key === '..') {
    return 'must be letters, digits, "-", "_" and "." (and not "." or "..")';
  }
  return undefined;
}

/** Every problem of `spec.required`, `spec.defaults` and `spec.nodeUnits` beyond their shapes. */
export function valueErrors(spec: Record<string, unknown>): GridFieldError[] {
  const type: SiteConfigType = spec['type'] === 'Secret' ? 'Secret' : 'ConfigMap';
  return [
    ...requiredKeyErrors(spec['required']),
    ...(isPlainObject(spec['defaults']) ? valuesErrors(spec['defaults'], 'spec.defaults', type) : []),
    ...nodeUnitErrors(spec['nodeUnits'], type),
  ];
}

function requiredKeyErrors(required: unknown): GridFieldError[] {
  if (!Array.isArray(required)) return [];
  return required.flatMap((key: unknown, i) => keyErrors(key, `spec.required[${i}]`));
}

function nodeUnitErrors(nodeUnits: unknown, type: SiteConfigType): GridFieldError[] {
  if (!isPlainObject(nodeUnits)) return [];
  return Object.entries(nodeUnits).flatMap(([nodeUnit, values]) => {
    const path = joinPath('spec.nodeUnits', nodeUnit);
    if (!isValidNodeUnit(nodeUnit)) {
      const message =
        `cannot be a NodeUnit: ${shown(nodeUnit)} is not a valid label value (1 to ${MAX_LABEL} letters, digits, ` +
        `"-", "_" or ".", starting and ending with a letter or digit), so no node carries it`;
      return [{ path, message }];
    }
    if (!isPlainObject(values))
      return [{ path, message: `must be an object (data or secretRefs), not ${shown(values)}` }];
    return [...validateDto(SiteConfigValuesDto, values, path), ...valuesErrors(values, path, type)];
  });
}

function valuesErrors(values: Record<string, unknown>, path: string, type: SiteConfigType): GridFieldError[] {
  const { data, secretRefs } = values;
  const errors: GridFieldError[] = [];
  if (data !== undefined && type === 'Secret') {
    const message =
      'is not allowed on a SiteConfig of type Secret: secret values stay out of this resource; ' +
      'put them in a Secret of the control cluster, in this namespace, and name it in secretRefs';
    errors.push({ path: `${path}.data`, message });
  } else if (isPlainObject(data)) {
    errors.push(...dataErrors(data, `${path}.data`));
  }
  if (secretRefs !== undefined && type === 'ConfigMap') {
    const message = 'is only for a SiteConfig of type Secret: set spec.type to Secret, or use data';
    errors.push({ path: `${path}.secretRefs`, message });
  } else if (Array.isArray(secretRefs)) {
    errors.push(...secretRefErrors(secretRefs, `${path}.secretRefs`));
  }
  return errors;
}

function dataErrors(data: Record<string, unknown>, path: string): GridFieldError[] {
  return Object.entries(data).flatMap(([key, value]) => {
    const keyProblems = keyErrors(key, joinPath(path, key));
    if (keyProblems.length > 0 || typeof value === 'string') return keyProblems;
    return [{ path: joinPath(path, key), message: `must be a string (quote it in YAML), not ${shown(value)}` }];
  });
}

function secretRefErrors(refs: unknown[], path: string): GridFieldError[] {
  return refs.flatMap((ref, i) => {
    if (!isPlainObject(ref)) return [];
    const { name, key } = ref;
    const errors: GridFieldError[] = [];
    if (typeof name === 'string' && name !== '' && !(name.length <= MAX_SUBDOMAIN && DNS_SUBDOMAIN.test(name))) {
      const message = `${shown(name)} cannot be a Secret name: lowercase letters, digits, "-" and ".", at most ${MAX_SUBDOMAIN} characters`;
      errors.push({ path: `${path}[${i}].name`, message });
    }
    if (typeof key === 'string' && key !== '') errors.push(...keyErrors(key, `${path}[${i}].key`));
    return errors;
  });
}

/** A key the copy would carry: `path` is where it is written. Non-strings are the DTOs' to report. */
function keyErrors(key: unknown, path: string): GridFieldError[] {
  if (typeof key !== 'string') return [];
  const problem = configKeyProblem(key);
  return problem ? [{ path, message: `${shown(key)} cannot be a ConfigMap or Secret key: it ${problem}` }] : [];
}
