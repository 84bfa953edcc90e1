// What the member caches keep of each object. A cache holds every object gridfed
// manages in a member (thousands at large fan-out), so it keeps only what the hub
// reads: enough to tell whose an object is, whether it is current, and its status.
import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '#gridfed/grid-api';

/** Written by `kubectl apply`; a copy of the whole object, never read by the hub. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A managed workload or Service as the hub reads it from a cache. */
export interface CachedWorkload extends KubernetesObject {
  spec?: { replicas?: number; clusterIP?: string };
  status?: unknown;
}

/**
 * Identity, labels, annotations and generation; `spec.replicas` and `spec.clusterIP`
 * (shown in the grid's states); the status as the member reports it. The pod template
 * and managedFields go: drift shows as a new generation, not by comparing specs.
 */
export function workloadSummary(obj: KubernetesObject): CachedWorkload {
  const full = obj as CachedWorkload;
  const spec = full.spec === undefined ? undefined : pickSpec(full.spec);
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: identity(obj.metadata ?? {}),
    ...(spec ? { spec } : {}),
    ...(full.status === undefined ? {} : { status: full.status }),
  };
}

function identity(meta: V1ObjectMeta): V1ObjectMeta {
  const annotations = Object.fromEntries(Object.entries(meta.annotations ?? {}).filter(([k]) => k !== LAST_APPLIED));
  return {
    name: meta.name,
    namespace: meta.namespace,
    uid: meta.uid,
    resourceVersion: meta.resourceVersion,
    generation: meta.generation,
    labels: meta.labels,
    annotations,
    ...(meta.deletionTimestamp ? { deletionTimestamp: meta.deletionTimestamp } : {}),
  };
}

function pickSpec(spec: NonNullable<CachedWorkload['spec']>): CachedWorkload['spec'] {
  const picked: NonNullable<CachedWorkload['spec']> = {};
  if (spec.replicas !== undefined) picked.replicas = spec.replicas;
  if (spec.clusterIP !== undefined) picked.clusterIP = spec.clusterIP;
  return picked;
}

/**
 * What the hub needs of an object it does not manage: its name, and whether gridfed's
 * own apply made it (someone stripped the labels; gridfed may fix it). Everything else
 * is dropped so a member with many foreign objects costs little memory.
 */
export function ownershipStub(obj: KubernetesObject): KubernetesObject {
  const meta = obj.metadata ?? {};
  const gridfedApply = (meta.managedFields ?? [])
    .filter((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply')
    .map((f) => ({ manager: f.manager, operation: f.operation }));
  return {
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      resourceVersion: meta.resourceVersion,
      ...(gridfedApply.length > 0 ? { managedFields: gridfedApply } : {}),
    },
  };
}
