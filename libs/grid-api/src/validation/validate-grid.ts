// validateGrid: every problem of a grid manifest at once, each on its field.
import { GRID_KINDS, type AnyGrid, type GridKind } from '../types.js';
import { validateDto } from './dto-errors.js';
import { isPlainObject, manifestRef, type GridFieldError, type GridValidation } from './grid-errors.js';
import { GridManifestDto } from './manifest.dto.js';
import { shown } from './messages.js';
import { workloadNameErrors, serviceNameErrors } from './name-checks.js';
import { nodeUnitKeyErrors, templateReferenceErrors } from './reference-checks.js';
import { rolloutWaveErrors } from './rollout-checks.js';
import { GridSpecDto, ServiceGridSpecDto, WorkloadGridSpecDto } from './spec.dto.js';
import { workloadTemplateErrors } from './template-checks.js';

/** Every problem of `input`, sorted by path so each field's problems sit together. */
export function validateGrid(input: unknown): GridValidation {
  const errors = gridErrors(input).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (errors.length === 0) return { ok: true, grid: input as AnyGrid };
  return { ok: false, ref: manifestRef(input), errors };
}

function gridErrors(input: unknown): GridFieldError[] {
  if (!isPlainObject(input)) return [{ path: '', message: `must be a grid manifest (an object), not ${shown(input)}` }];
  const envelopeErrors = validateDto(GridManifestDto, input, '');
  const spec = input['spec'];
  if (!isPlainObject(spec)) return envelopeErrors;
  return [...envelopeErrors, ...specErrors(kindOf(input['kind']), spec, gridNameOf(input))];
}

function specErrors(
  kind: GridKind | undefined,
  spec: Record<string, unknown>,
  gridName: string | undefined,
): GridFieldError[] {
  switch (kind) {
    case 'DeploymentGrid':
    case 'StatefulSetGrid':
      return [
        ...validateDto(WorkloadGridSpecDto, spec, 'spec'),
        ...workloadTemplateErrors(spec),
        ...templateReferenceErrors(spec),
        ...nodeUnitKeyErrors(spec),
        ...rolloutWaveErrors(spec),
        ...workloadNameErrors(kind, gridName, spec),
      ];
    case 'ServiceGrid':
      return [...validateDto(ServiceGridSpecDto, spec, 'spec'), ...serviceNameErrors(gridName)];
    case undefined:
      // Without a kind only what every grid has can be checked.
      return validateDto(GridSpecDto, spec, 'spec');
  }
}

function kindOf(kind: unknown): GridKind | undefined {
  return GRID_KINDS.find((known) => known === kind);
}

function gridNameOf(input: Record<string, unknown>): string | undefined {
  const metadata = input['metadata'];
  const name = isPlainObject(metadata) ? metadata['name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
