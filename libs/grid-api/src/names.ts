// Names of member objects: `{grid}-{nodeunit}` workloads and `{grid}-svc` Services.
import { createHash } from 'node:crypto';
import type { GridKind } from './types.js';

/** DNS-1123 subdomain: Deployment names. */
export const MAX_SUBDOMAIN = 253;
/** DNS-1123/1035 label: Service names, namespaces, label values. */
export const MAX_LABEL = 63;
/**
 * StatefulSet names: each pod carries `controller-revision-hash: {name}-{hash}`, a label
 * value of at most 63 characters with a hash of up to 10 and a dash: 63 - 11.
 */
export const MAX_STATEFULSET_NAME = 52;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True when `value` can be a node label value, and so a NodeUnit. */
export function isValidNodeUnit(value: string): boolean {
  return value.length > 0 && value.length <= MAX_LABEL && LABEL_VALUE.test(value);
}

/**
 * The NodeUnit as it appears in object names. A NodeUnit that is already a DNS label is
 * used as it is (`zone1` -> `zone1`, as SuperEdge names them). Any other valid label value
 * (`Zone_A`, `rack.7`) is lower-cased, its other characters turned into `-`, and a short
 * hash of the original appended, so two NodeUnits never share a name (`zone-a-1a2b3c`).
 */
export function nodeUnitNamePart(nodeUnit: string): string {
  if (DNS_LABEL.test(nodeUnit)) return nodeUnit;
  const base = nodeUnit
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const hash = shortHash(nodeUnit, 6);
  return base ? `${base}-${hash}` : hash;
}

/** `{grid}-{nodeunit}`: the member workload of a DeploymentGrid or StatefulSetGrid. */
export function workloadName(gridName: string, nodeUnit: string): string {
  return `${gridName}-${nodeUnitNamePart(nodeUnit)}`;
}

/** `{grid}-svc`: the member Service of a ServiceGrid. */
export function serviceName(gridName: string): string {
  return `${gridName}-svc`;
}

/** The longest member object name Kubernetes accepts for what a grid of `kind` creates. */
export function maxMemberNameLength(kind: GridKind): number {
  switch (kind) {
    case 'DeploymentGrid':
      return MAX_SUBDOMAIN;
    case 'StatefulSetGrid':
      return MAX_STATEFULSET_NAME;
    case 'ServiceGrid':
      return MAX_LABEL;
  }
}

/** A label value for any name: the name itself when it fits, else a prefix and a hash. */
export function labelValueFor(name: string): string {
  if (name.length <= MAX_LABEL) return name;
  return `${name.slice(0, MAX_LABEL - 11).replace(/[-_.]+$/, '')}-${shortHash(name, 10)}`;
}

export function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
