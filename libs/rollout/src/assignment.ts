// Which revision a NodeUnit renders: what the member sync reads of the rollout.
import type { WorkloadGrid } from '#gridfed/grid-api';

/**
 * The revision `nodeUnit` runs: the grid's current templates (`current`) unless a
 * Progressive rollout keeps it elsewhere: on the revision it was moved to, else on the
 * stable one. Status lags the spec by one write: until the rollout has seen a new
 * revision, every NodeUnit stays where the rollout last put it. Undefined: a Progressive
 * grid the rollout has not decided anything for yet; leave its NodeUnits as they are.
 */
export function revisionFor(grid: WorkloadGrid, nodeUnit: string, current: string): string | undefined {
  if (grid.spec.rolloutStrategy?.type !== 'Progressive') return current;
  const rollout = grid.status?.rollout;
  if (!rollout?.updateRevision) return undefined;
  return rollout.moved?.[nodeUnit]?.revision ?? rollout.stableRevision ?? current;
}
