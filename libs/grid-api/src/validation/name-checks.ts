// Member object names (`{grid}-{nodeunit}`, `{grid}-svc`) must fit Kubernetes' length limits.
import {
  isValidNodeUnit,
  MAX_LABEL,
  MAX_STATEFULSET_NAME,
  MAX_SUBDOMAIN,
  maxMemberNameLength,
  serviceName,
  workloadName,
} from '../names.js';
import type { GridKind } from '../types.js';
import { isPlainObject, joinPath, type GridFieldError } from './grid-errors.js';

type WorkloadKind = Exclude<GridKind, 'ServiceGrid'>;

const MEMBER_KIND: Record<GridKind, string> = {
  DeploymentGrid: 'Deployment',
  StatefulSetGrid: 'StatefulSet',
  ServiceGrid: 'Service',
};

/** Why the limit is what it is: the StatefulSet one surprises people. */
const LIMIT_REASON: Record<GridKind, string> = {
  DeploymentGrid: `a Deployment name is a DNS subdomain of at most ${MAX_SUBDOMAIN} characters`,
  StatefulSetGrid:
    `a StatefulSet name can be at most ${MAX_STATEFULSET_NAME} characters, because its pods carry the label ` +
    `controller-revision-hash: {name}-{hash}, whose value must fit in ${MAX_LABEL}`,
  ServiceGrid: `a Service name is a DNS label of at most ${MAX_LABEL} characters`,
};

function memberNameTooLong(kind: GridKind, memberName: string): string {
  const what = `member ${MEMBER_KIND[kind]} name "${memberName}"`;
  return `${what} of ${memberName.length} characters, over the limit: ${LIMIT_REASON[kind]}`;
}

/** `{grid}-svc` must be a DNS label. */
export function serviceNameErrors(gridName: string | undefined): GridFieldError[] {
  if (!gridName) return [];
  const name = serviceName(gridName);
  if (name.length <= MAX_LABEL) return [];
  const shortest = MAX_LABEL - (name.length - gridName.length);
  return [
    {
      path: 'metadata.name',
      message: `gives the ${memberNameTooLong('ServiceGrid', name)}; use a grid name of at most ${shortest} characters`,
    },
  ];
}

/**
 * `{grid}-{nodeunit}` for every NodeUnit `spec.templates` names. When even a one-letter
 * NodeUnit is too long, the grid name is the problem and is reported once, on metadata.name.
 */
export function workloadNameErrors(
  kind: WorkloadKind,
  gridName: string | undefined,
  spec: Record<string, unknown>,
): GridFieldError[] {
  if (!gridName) return [];
  const limit = maxMemberNameLength(kind);
  const shortest = workloadName(gridName, 'x');
  if (shortest.length > limit) {
    const message = `is too long: even a one-letter NodeUnit gives a ${memberNameTooLong(kind, shortest)}; use a grid name of at most ${limit - 2} characters`;
    return [{ path: 'metadata.name', message }];
  }
  const templates = spec['templates'];
  const nodeUnits = isPlainObject(templates) ? Object.keys(templates).filter(isValidNodeUnit) : [];
  return nodeUnits.flatMap((nodeUnit) => {
    const name = workloadName(gridName, nodeUnit);
    if (name.length <= limit) return [];
    return [
      {
        path: joinPath('spec.templates', nodeUnit),
        message: `gives a ${memberNameTooLong(kind, name)}; use a shorter grid name`,
      },
    ];
  });
}
