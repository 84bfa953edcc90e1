// The workload templates a DeploymentGrid or StatefulSetGrid would render, checked one by one.
import { DEFAULT_TEMPLATE_NAME } from '../keys.js';
import { validateDto } from './dto-errors.js';
import { isPlainObject, joinPath, type GridFieldError } from './grid-errors.js';
import { shown } from './messages.js';
import { WorkloadTemplateDto } from './template.dto.js';

/** Problems in `spec.template` (when it is rendered) and in every `templatePool` entry. */
export function workloadTemplateErrors(spec: Record<string, unknown>): GridFieldError[] {
  return templatesToCheck(spec).flatMap(([path, template]) =>
    isPlainObject(template)
      ? [...validateDto(WorkloadTemplateDto, template, path), ...selectorLabelErrors(template, path)]
      : [{ path, message: `must be a Deployment or StatefulSet spec (an object), not ${shown(template)}` }],
  );
}

/**
 * SuperEdge ignores `spec.template` when `defaultTemplateName` names a pool entry, and its
 * examples leave it minimal then: only its presence (checked with the spec) is required.
 */
export function specTemplateIsIgnored(spec: Record<string, unknown>): boolean {
  const { defaultTemplateName: name, templatePool: pool } = spec;
  return typeof name === 'string' && name !== DEFAULT_TEMPLATE_NAME && isPlainObject(pool) && Object.hasOwn(pool, name);
}

function templatesToCheck(spec: Record<string, unknown>): [string, unknown][] {
  const checked: [string, unknown][] = [];
  // A spec.template that is not an object is already reported by the spec's own checks.
  if (isPlainObject(spec['template']) && !specTemplateIsIgnored(spec))
    checked.push(['spec.template', spec['template']]);
  const pool = spec['templatePool'];
  if (isPlainObject(pool)) {
    for (const [name, template] of Object.entries(pool)) checked.push([joinPath('spec.templatePool', name), template]);
  }
  return checked;
}

/** Each `selector.matchLabels` entry must be on the pod template, or the workload selects none of its pods. */
function selectorLabelErrors(template: Record<string, unknown>, path: string): GridFieldError[] {
  const selector = template['selector'];
  const podTemplate = template['template'];
  if (!isPlainObject(selector) || !isPlainObject(selector['matchLabels']) || !isPlainObject(podTemplate)) return [];
  const metadata = podTemplate['metadata'];
  const labels = isPlainObject(metadata) && isPlainObject(metadata['labels']) ? metadata['labels'] : {};
  const labelsPath = `${path}.template.metadata.labels`;
  return Object.entries(selector['matchLabels']).flatMap(([key, wanted]) => {
    const actual = labels[key];
    if (actual === wanted) return [];
    const required = `the selector's matchLabels requires ${key}: ${shown(wanted)}`;
    const message =
      actual === undefined
        ? `is missing, but ${required}: add it so the workload selects its own pods`
        : `is ${shown(actual)}, but ${required}: make them equal so the workload selects its own pods`;
    return [{ path: joinPath(labelsPath, key), message }];
  });
}
