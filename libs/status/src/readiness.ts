// The one definition of "ready" for a member object. The grid's status (states,
// readyNodeUnits, the Ready condition, printer columns) is computed with it, and the
// API, the CLI and the dashboard show what that status says: nothing decides twice.
import type { CachedWorkload } from '#gridfed/cluster-registry';
import type { ManagedKind } from '#gridfed/kube';

interface WorkloadStatus {
  observedGeneration?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
}

/**
 * A Service is ready once it exists. A Deployment or StatefulSet is ready when its
 * controller has observed its current spec (`status.observedGeneration` has reached
 * `metadata.generation`) and as many replicas as its own `spec.replicas` asks for run
 * that spec and are ready. Its own spec, not the grid's template: with
 * `replicasManagedBy: member` the member decides how many.
 */
export function memberObjectReady(kind: ManagedKind, live: CachedWorkload): boolean {
  if (kind === 'Service') return true;
  const status = (live.status ?? {}) as WorkloadStatus;
  const wanted = live.spec?.replicas ?? 1;
  const observed =
    status.observedGeneration !== undefined && status.observedGeneration >= (live.metadata?.generation ?? 0);
  return observed && (status.updatedReplicas ?? 0) >= wanted && (status.readyReplicas ?? 0) >= wanted;
}
