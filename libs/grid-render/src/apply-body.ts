// What gridfed server-side applies for a rendered workload, given who owns its replicas.
import type { WorkloadGrid } from '#gridfed/grid-api';
import type { MemberObject, RenderedObject } from './rendered-object.js';

/**
 * The body to server-side apply for `rendered`.
 *
 * With `spec.replicasManagedBy: grid` (the default) that is the full rendered object:
 * the template's replicas are enforced like every other field.
 *
 * With `replicasManagedBy: member`, the template's replicas only seed the workload's
 * creation; once it exists in the member (`existsInMember`), the body leaves
 * `spec.replicas` out so an HPA or `kubectl scale` there owns the value and gridfed never
 * reverts it. Server-side apply deletes a field whose only owner stops applying it, so
 * before the first such apply another field manager must co-own `spec.replicas`, or the
 * count falls back to the API default of 1. The desired-hash annotation still describes
 * the full rendered object.
 *
 * The full-object case returns `rendered.object` itself; the other returns a copy.
 */
export function applyBodyFor(rendered: RenderedObject, grid: WorkloadGrid, existsInMember: boolean): MemberObject {
  if (grid.spec.replicasManagedBy !== 'member' || !existsInMember) return rendered.object;
  const body = structuredClone(rendered.object);
  if ('replicas' in body.spec) delete body.spec.replicas;
  return body;
}
