// Whose copy is a member ConfigMap or Secret? Its labels and annotation say which SiteConfig
// made it, so garbage collection is a label query and an object gridfed did not make is never
// taken for a copy (a plain ConfigMap that happens to be named `{siteconfig}-{nodeunit}`).
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  labelValueFor,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  NODE_UNIT_LABEL,
  SITE_CONFIG_NAME_ANNOTATION,
  SITE_CONFIG_NAME_LABEL,
  SITE_CONFIG_NAMESPACE_LABEL,
} from '#gridfed/grid-api';
import { ledgerOwnerOf } from './secret-copy-ledger.js';

export interface CopyOwner {
  namespace: string;
  /** The SiteConfig's full name (from the annotation: the label may be shortened). */
  name: string;
  nodeUnit: string;
}

/** The SiteConfig and NodeUnit a copy belongs to, or undefined when gridfed did not make it as one. */
export function copyOwnerOf(obj: KubernetesObject): CopyOwner | undefined {
  const labels = obj.metadata?.labels ?? {};
  const namespace = labels[SITE_CONFIG_NAMESPACE_LABEL];
  const nodeUnit = labels[NODE_UNIT_LABEL];
  const name = obj.metadata?.annotations?.[SITE_CONFIG_NAME_ANNOTATION];
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE || !namespace || !name || !nodeUnit) return undefined;
  return { namespace, name, nodeUnit };
}

/** Label selector of every copy of SiteConfig `namespace/name` in a member: the GC and drift list query. */
export function copySelector(namespace: string, name: string): string {
  return [
    `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
    `${SITE_CONFIG_NAMESPACE_LABEL}=${namespace}`,
    `${SITE_CONFIG_NAME_LABEL}=${labelValueFor(name)}`,
  ].join(',');
}

/** The SiteConfig a member object is gridfed's for: a copy, or a Secret SiteConfig's ledger of copy names. */
export function siteConfigOfMemberObject(obj: KubernetesObject): { namespace: string; name: string } | undefined {
  const copy = copyOwnerOf(obj);
  return copy ? { namespace: copy.namespace, name: copy.name } : ledgerOwnerOf(obj);
}
