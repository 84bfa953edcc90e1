// What makes a NodeUnit or NodeGroup one the hub can act on: every problem at once, each on its
// field, e.g. `nodeunit shop-xian: spec.selector.matchExpressions[0].operator is "Maybe", not one of In, ...`.
// The CRD already holds the types; these are the rules a schema cannot say.
import { isValidLabelKey, isValidNodeUnit, labelKeyProblem } from '#gridfed/grid-api';
import { SITE_MANAGED_ANNOTATION } from './keys.js';
import { parseNodeRef } from './node-ref.js';
import { SELECTOR_OPERATORS, TAINT_EFFECTS, type NodeGroup, type NodeUnit } from './types.js';

const LABEL_VALUE_RULE = 'at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';

export interface SiteFieldError {
  /** The field, e.g. `spec.setnode.labels["example.com/site"]`. */
  path: string;
  message: string;
}

export type SiteValidation<T> = { ok: true; object: T } | { ok: false; name: string; errors: SiteFieldError[] };

/** One line per error: `nodeunit shop-xian: spec.nodes[1] ...`. */
export function formatSiteErrors(kind: 'NodeUnit' | 'NodeGroup', name: string, errors: SiteFieldError[]): string {
  return errors.map((e) => `${kind.toLowerCase()} ${name}: ${e.path ? `${e.path} ` : ''}${e.message}`).join('\n');
}

export function validateNodeUnit(input: unknown): SiteValidation<NodeUnit> {
  const errors = envelopeErrors(input);
  const name = field(field(input, 'metadata'), 'name');
  // The name becomes a label value on nodes: `<nodegroup>: <nodeunit>`.
  if (typeof name === 'string' && name !== '' && !isValidNodeUnit(name)) {
    errors.push({ path: 'metadata.name', message: `${shown(name)} cannot be a label value (${LABEL_VALUE_RULE})` });
  }
  const spec = field(input, 'spec');
  if (isObject(spec)) {
    errors.push(...nodesErrors(spec['nodes']));
    errors.push(...selectorErrors(spec['selector'], 'spec.selector'));
    errors.push(...setNodeErrors(spec['setnode']));
  }
  return result<NodeUnit>(input, errors);
}

export function validateNodeGroup(input: unknown): SiteValidation<NodeGroup> {
  const errors = envelopeErrors(input);
  const name = field(field(input, 'metadata'), 'name');
  // The name becomes a node label key: `<nodegroup>: <nodeunit>`.
  if (typeof name === 'string' && !isValidLabelKey(name)) {
    errors.push({ path: 'metadata.name', message: `cannot be a node label key: ${labelKeyProblem(name) ?? ''}` });
  }
  const spec = field(input, 'spec');
  if (isObject(spec)) {
    errors.push(...stringListErrors(spec['nodeunits'], 'spec.nodeunits'));
    errors.push(...selectorErrors(spec['selector'], 'spec.selector'));
    if (isObject(spec['selector']) && spec['selector']['annotations'] !== undefined) {
      errors.push({
        path: 'spec.selector.annotations',
        message: 'is not supported for NodeGroups (NodeUnits are matched by label)',
      });
    }
  }
  return result<NodeGroup>(input, errors);
}

function envelopeErrors(input: unknown): SiteFieldError[] {
  if (!isObject(input)) return [{ path: '', message: `must be an object, not ${shown(input)}` }];
  const name = field(input['metadata'], 'name');
  if (typeof name !== 'string' || name === '') return [{ path: 'metadata.name', message: 'is missing' }];
  const spec = input['spec'];
  if (spec !== undefined && !isObject(spec))
    return [{ path: 'spec', message: `must be an object, not ${shown(spec)}` }];
  return [];
}

function nodesErrors(nodes: unknown): SiteFieldError[] {
  return listOf(nodes, 'spec.nodes').flatMap(([entry, path]) => {
    if (typeof entry !== 'string' || entry === '') {
      return [{ path, message: `must be a non-empty string, not ${shown(entry)}` }];
    }
    return parseNodeRef(entry) ? [] : [{ path, message: `is ${shown(entry)}: name a node as "node" or "member/node"` }];
  });
}

function selectorErrors(selector: unknown, path: string): SiteFieldError[] {
  if (selector === undefined) return [];
  if (!isObject(selector)) return [{ path, message: `must be an object, not ${shown(selector)}` }];
  return [
    ...labelMapErrors(selector['matchLabels'], `${path}.matchLabels`),
    ...keyedMapErrors(selector['annotations'], `${path}.annotations`),
    ...listOf(selector['matchExpressions'], `${path}.matchExpressions`).flatMap(([e, p]) => requirementErrors(e, p)),
  ];
}

function requirementErrors(requirement: unknown, path: string): SiteFieldError[] {
  if (!isObject(requirement)) return [{ path, message: `must be an object, not ${shown(requirement)}` }];
  const { key, operator, values } = requirement;
  const errors =
    typeof key === 'string' ? keyErrors(key, `${path}.key`) : [{ path: `${path}.key`, message: 'is missing' }];
  if (!SELECTOR_OPERATORS.includes(operator as never)) {
    errors.push({
      path: `${path}.operator`,
      message: `is ${shown(operator)}, not one of ${SELECTOR_OPERATORS.join(', ')}`,
    });
  }
  const count = Array.isArray(values) ? values.length : 0;
  if ((operator === 'In' || operator === 'NotIn') && count === 0) {
    errors.push({ path: `${path}.values`, message: `must not be empty with ${operator}` });
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0) {
    errors.push({ path: `${path}.values`, message: `must be empty with ${operator}` });
  }
  return errors;
}

function setNodeErrors(setNode: unknown): SiteFieldError[] {
  if (setNode === undefined) return [];
  if (!isObject(setNode)) return [{ path: 'spec.setnode', message: `must be an object, not ${shown(setNode)}` }];
  const errors = [
    ...labelMapErrors(setNode['labels'], 'spec.setnode.labels'),
    ...keyedMapErrors(setNode['annotations'], 'spec.setnode.annotations'),
    ...taintErrors(setNode['taints']),
  ];
  if (isObject(setNode['annotations']) && SITE_MANAGED_ANNOTATION in setNode['annotations']) {
    errors.push({
      path: pathOf('spec.setnode.annotations', SITE_MANAGED_ANNOTATION),
      message: 'is where the hub records what it set; it cannot be set',
    });
  }
  return errors;
}

function taintErrors(taints: unknown): SiteFieldError[] {
  const seen = new Set<string>();
  return listOf(taints, 'spec.setnode.taints').flatMap(([taint, path]) => {
    if (!isObject(taint) || typeof taint['key'] !== 'string') return [{ path: `${path}.key`, message: 'is missing' }];
    const errors = keyErrors(taint['key'], `${path}.key`);
    if (!TAINT_EFFECTS.includes(taint['effect'] as never)) {
      errors.push({
        path: `${path}.effect`,
        message: `is ${shown(taint['effect'])}, not one of ${TAINT_EFFECTS.join(', ')}`,
      });
    }
    const id = `${taint['key']}:${String(taint['effect'])}`;
    if (seen.has(id)) errors.push({ path, message: `repeats the taint ${id}` });
    seen.add(id);
    return errors;
  });
}

function labelMapErrors(map: unknown, path: string): SiteFieldError[] {
  const errors = keyedMapErrors(map, path);
  if (!isObject(map)) return errors;
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === 'string' && value !== '' && !isValidNodeUnit(value)) {
      errors.push({ path: pathOf(path, key), message: `is ${shown(value)}, not a label value (${LABEL_VALUE_RULE})` });
    }
  }
  return errors;
}

function keyedMapErrors(map: unknown, path: string): SiteFieldError[] {
  if (map === undefined) return [];
  if (!isObject(map)) return [{ path, message: `must be an object, not ${shown(map)}` }];
  return Object.entries(map).flatMap(([key, value]) => [
    ...keyErrors(key, pathOf(path, key)),
    ...(typeof value === 'string'
      ? []
      : [{ path: pathOf(path, key), message: `must be a string, not ${shown(value)}` }]),
  ]);
}

function keyErrors(key: string, path: string): SiteFieldError[] {
  const problem = labelKeyProblem(key);
  return problem ? [{ path, message: `${shown(key)} is not a valid key: ${problem}` }] : [];
}

function stringListErrors(list: unknown, path: string): SiteFieldError[] {
  return listOf(list, path).flatMap(([entry, p]) =>
    typeof entry === 'string' && entry !== ''
      ? []
      : [{ path: p, message: `must be a non-empty string, not ${shown(entry)}` }],
  );
}

/** Each entry of an optional list with its path; a non-list yields one pseudo-entry that fails its check. */
function listOf(list: unknown, path: string): [unknown, string][] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) return [[list, path]];
  return list.map((entry, i) => [entry, `${path}[${i}]`]);
}

function result<T>(input: unknown, errors: SiteFieldError[]): SiteValidation<T> {
  if (errors.length === 0) return { ok: true, object: input as T };
  const name = field(field(input, 'metadata'), 'name');
  return { ok: false, name: typeof name === 'string' && name !== '' ? name : '<unnamed>', errors };
}

/** `base.key`, or `base["key"]` when the key holds `.` or `/` (`example.com/site`). */
function pathOf(base: string, key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function shown(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
