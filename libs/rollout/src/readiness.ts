// The one definition of "ready" for a member object. The grid's status (states,
// readyNodeUnits, the Ready condition, printer columns), the rollout's health gates,
// and through the status the API, the CLI and the dashboard all use it.
import type { ManagedKind } from '#gridfed/kube';

/** What readiness reads of a member object (a cached summary or a full object). */
export interface WorkloadView {
  metadata?: { generation?: number };
  spec?: { replicas?: number };
  status?: unknown;
}

interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
}

/**
 * A Service is ready once it exists. A Deployment or StatefulSet is ready when its
 * controller has observed its current spec (`status.observedGeneration` has reached
 * `metadata.generation`), as many replicas as its own `spec.replicas` asks for run that
 * spec and are ready and available, and no replica of an older spec is left. Its own
 * spec, not the grid's template: with `replicasManagedBy: member` the member decides.
 */
export function memberObjectReady(kind: ManagedKind, live: WorkloadView): boolean {
  if (kind === 'Service') return true;
  const status = (live.status ?? {}) as WorkloadStatus;
  const wanted = live.spec?.replicas ?? 1;
  const observed =
    status.observedGeneration !== undefined && status.observedGeneration >= (live.metadata?.generation ?? 0);
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? status.readyReplicas ?? 0;
  return (
    observed &&
    updated >= wanted &&
    (status.readyReplicas ?? 0) >= wanted &&
    available >= wanted &&
    (status.replicas ?? 0) <= updated
  );
}
