// What gridfed server-side applies to a workload whose replicas the member owns.
import type { MemberObject } from './rendered-object.js';

/**
 * `object` without `spec.replicas`, for a grid with `replicasManagedBy: member` once its
 * workload exists: an HPA there, or `kubectl scale`, owns the value and gridfed's apply
 * never reverts it. Server-side apply deletes a field whose only owner stops applying
 * it, so before the first such apply another field manager must co-own `spec.replicas`
 * (the sync hands them over), or the count falls back to the API default of 1. The
 * desired-hash annotation still describes the full rendered object. A copy; an object
 * without replicas (a Service) is returned as it is.
 */
export function withoutReplicas(object: MemberObject): MemberObject {
  if (!('replicas' in object.spec)) return object;
  const body = structuredClone(object);
  delete (body.spec as { replicas?: number }).replicas;
  return body;
}
