// What `gridfed rollout status|history` print, from a grid and its revisions: pure, so
// every line is unit tested.
import Table from 'cli-table3';
import type { V1ControllerRevision } from '@kubernetes/client-node';
import {
  CHANGE_CAUSE_ANNOTATION,
  nodeUnitRows,
  REVISION_HASH_LABEL,
  type AnyGrid,
  type RolloutStatus,
} from '#gridfed/grid-api';

/** Revision hash -> its number (`#3`), from the grid's ControllerRevisions. */
export function revisionNumbers(revisions: V1ControllerRevision[]): Map<string, number> {
  return new Map(revisions.map((r) => [r.metadata?.labels?.[REVISION_HASH_LABEL] ?? '', r.revision]));
}

const named = (numbers: Map<string, number>, hash: string | undefined): string =>
  hash === undefined ? '-' : numbers.has(hash) ? `#${numbers.get(hash)} (${hash})` : hash;

/** How the rollout of the grid's current generation ended, or undefined while it goes on. */
export function rolloutOutcome(grid: AnyGrid): 'complete' | 'failed' | undefined {
  const rollout = grid.status?.rollout;
  if (!rollout || rollout.observedGeneration !== grid.metadata.generation) return undefined;
  if (rollout.phase === 'Complete') return 'complete';
  if (rollout.phase === 'RolledBack' || rollout.phase === 'Failed') return 'failed';
  return undefined;
}

/** One line of progress: phase, wave, NodeUnits on the update revision, and the message. */
export function progressLine(grid: AnyGrid, numbers: Map<string, number>): string {
  const r: RolloutStatus = grid.status?.rollout ?? {};
  const wave = r.wave ? ` wave ${r.wave}/${r.waves ?? '?'}` : '';
  const updated = `${grid.status?.updatedNodeUnits ?? 0}/${grid.status?.nodeUnits ?? 0} NodeUnits on ${named(numbers, r.updateRevision)}`;
  return `${r.phase ?? 'Pending'}${wave}: ${updated}${r.message ? ` - ${r.message}` : ''}`;
}

export function formatRolloutStatus(grid: AnyGrid, numbers: Map<string, number>): string {
  const r: RolloutStatus = grid.status?.rollout ?? {};
  const head = [
    `${grid.kind} ${grid.metadata.namespace}/${grid.metadata.name}`,
    `  strategy: ${grid.kind === 'ServiceGrid' ? '-' : (grid.spec.rolloutStrategy?.type ?? 'All')}`,
    `  stable revision: ${named(numbers, r.stableRevision)}   update revision: ${named(numbers, r.updateRevision)}`,
    `  ${progressLine(grid, numbers)}`,
    ...(r.failedRevision
      ? [`  failed revision: ${named(numbers, r.failedRevision)} (gridfed rollout retry tries it again)`]
      : []),
  ];
  const table = new Table({
    head: ['NODEUNIT', 'CLUSTER', 'REVISION', 'READY', 'STATE'],
    style: { head: [], border: [] },
  });
  for (const row of nodeUnitRows(grid)) {
    const moved = r.moved?.[row.nodeUnit]?.revision;
    const ready =
      row.desiredReplicas === undefined
        ? row.ready
          ? 'yes'
          : 'no'
        : `${row.readyReplicas ?? 0}/${row.desiredReplicas}`;
    table.push([row.nodeUnit, row.cluster, named(numbers, row.revision), ready, nodeUnitState(row, r, moved)]);
  }
  return [...head, table.toString(), ''].join('\n');
}

function nodeUnitState(
  row: { revision?: string; ready: boolean; stale: boolean },
  r: RolloutStatus,
  moved: string | undefined,
): string {
  if (row.stale) return 'pending (member unreachable)';
  const wants = moved ?? r.stableRevision;
  if (wants !== undefined && row.revision !== wants) return `moving to ${wants}`;
  if (row.revision === r.updateRevision) return row.ready ? 'updated' : 'updating';
  return row.ready ? 'stable' : 'stable, not ready';
}

export function formatHistory(revisions: V1ControllerRevision[], rollout: RolloutStatus | undefined): string {
  const table = new Table({
    head: ['REVISION', 'HASH', 'CREATED', 'IN USE', 'CHANGE-CAUSE'],
    style: { head: [], border: [] },
  });
  for (const r of revisions) {
    const hash = r.metadata?.labels?.[REVISION_HASH_LABEL] ?? '';
    const use = [
      hash === rollout?.stableRevision ? 'stable' : '',
      hash === rollout?.updateRevision ? 'update' : '',
      hash === rollout?.failedRevision ? 'failed' : '',
    ].filter(Boolean);
    const created = r.metadata?.creationTimestamp ? new Date(r.metadata.creationTimestamp).toISOString() : '';
    table.push([
      String(r.revision),
      hash,
      created,
      use.join(', '),
      r.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '',
    ]);
  }
  return `${table.toString()}\n`;
}
