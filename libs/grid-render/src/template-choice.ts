// Which template a NodeUnit's member workload is rendered from: SuperEdge's canary rules.
import type { V1DeploymentSpec, V1StatefulSetSpec } from '@kubernetes/client-node';
import { DEFAULT_TEMPLATE_NAME, type DeploymentGrid, type StatefulSetGrid, type WorkloadGrid } from '#gridfed/grid-api';
import { fieldPath, gridError } from './grid-context.js';

export type WorkloadSpec = V1DeploymentSpec | V1StatefulSetSpec;

export interface ChosenTemplate<S extends WorkloadSpec = WorkloadSpec> {
  /** The templatePool entry, or `default` for `spec.template`. */
  name: string;
  /** The grid's own template object (not a copy): copy it before changing anything. */
  spec: S;
  /** Where the template sits in the grid, for messages: `spec.template`, `spec.templatePool.test1`. */
  field: string;
}

/**
 * `spec.templates[nodeUnit]` when the NodeUnit has an entry; otherwise
 * `spec.defaultTemplateName`, where absent, empty or `default` means `spec.template`.
 * Throws when the name it arrives at is not in templatePool (validation reports that first).
 */
export function chooseTemplate(grid: DeploymentGrid, nodeUnit: string): ChosenTemplate<V1DeploymentSpec>;
export function chooseTemplate(grid: StatefulSetGrid, nodeUnit: string): ChosenTemplate<V1StatefulSetSpec>;
export function chooseTemplate(grid: WorkloadGrid, nodeUnit: string): ChosenTemplate;
export function chooseTemplate(grid: WorkloadGrid, nodeUnit: string): ChosenTemplate {
  const { templates, defaultTemplateName } = grid.spec;
  // hasOwn: a NodeUnit called `constructor` must not find Object.prototype's.
  const assigned = templates && Object.hasOwn(templates, nodeUnit) ? templates[nodeUnit] : undefined;
  if (assigned !== undefined) return fromPool(grid, assigned, fieldPath('spec.templates', nodeUnit));
  if (
    defaultTemplateName === undefined ||
    defaultTemplateName === '' ||
    defaultTemplateName === DEFAULT_TEMPLATE_NAME
  ) {
    return { name: DEFAULT_TEMPLATE_NAME, spec: grid.spec.template, field: 'spec.template' };
  }
  return fromPool(grid, defaultTemplateName, 'spec.defaultTemplateName');
}

function fromPool(grid: WorkloadGrid, name: string, namedBy: string): ChosenTemplate {
  const pool: Record<string, WorkloadSpec> = grid.spec.templatePool ?? {};
  const spec = Object.hasOwn(pool, name) ? pool[name] : undefined;
  if (!spec)
    throw gridError(grid, namedBy, `names ${JSON.stringify(name)}, which is not in templatePool${poolHint(pool)}`);
  return { name, spec, field: fieldPath('spec.templatePool', name) };
}

function poolHint(pool: Record<string, WorkloadSpec>): string {
  const names = Object.keys(pool);
  return names.length === 0 ? ' (templatePool is empty)' : ` (templatePool has ${names.join(', ')})`;
}
