// The rows behind `gridfed status`, the API and the dashboard: one per NodeUnit and
// member, read from the status gridfed wrote on the grid, so every surface shows what
// `kubectl get` shows, decided once (pure; no recomputation per request).
import type { AnyGrid, MemberState } from './types.js';

/** One line of `gridfed status`: a NodeUnit in one member cluster. */
export interface NodeUnitRow {
  nodeUnit: string;
  cluster: string;
  template?: string;
  readyReplicas?: number;
  desiredReplicas?: number;
  ready: boolean;
  synced: boolean;
  reachable: boolean;
  stale: boolean;
  lastSeen?: string;
  error?: string;
  /** The revision the member object carries (workloads). */
  revision?: string;
}

export function nodeUnitRows(grid: AnyGrid): NodeUnitRow[] {
  const invalid = grid.status?.conditions?.find((c) => c.type === 'Valid' && c.status === 'False')?.message;
  const workload = grid.kind !== 'ServiceGrid';
  const rows: NodeUnitRow[] = [];
  for (const [nodeUnit, state] of Object.entries(grid.status?.states ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const clusters = (state.clusters ?? {}) as Record<string, MemberState<{ readyReplicas?: number }>>;
    for (const [cluster, member] of Object.entries(clusters).sort(([a], [b]) => a.localeCompare(b))) {
      const error = invalid ?? member.error;
      rows.push({
        nodeUnit,
        cluster,
        ...(member.template === undefined ? {} : { template: member.template }),
        ...(workload ? { readyReplicas: member.status?.readyReplicas ?? 0 } : {}),
        ...(member.desiredReplicas === undefined ? {} : { desiredReplicas: member.desiredReplicas }),
        ready: member.ready === true && !member.stale,
        synced: member.synced === true,
        reachable: !member.stale,
        stale: member.stale === true,
        ...(member.lastSeen === undefined ? {} : { lastSeen: member.lastSeen }),
        ...(error === undefined ? {} : { error }),
        ...(member.revision === undefined ? {} : { revision: member.revision }),
      });
    }
  }
  return rows;
}
