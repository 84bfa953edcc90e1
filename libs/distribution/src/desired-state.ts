// What must exist in one member cluster for one grid: pure, from the grid and the
// topology. A grid that is not distributed (no fed label, being deleted, gone) wants
// nothing there; an invalid grid wants "leave everything as it is".
import {
  FED_LABEL,
  FED_LABEL_VALUE,
  formatGridErrors,
  isValidNodeUnit,
  isWorkloadGrid,
  maxMemberNameLength,
  validateGrid,
  workloadName,
  type AnyGrid,
} from '#gridfed/grid-api';
import { renderService, renderWorkload, type RenderedObject } from '#gridfed/grid-render';
import type { NodeUnitIndex } from '#gridfed/topology';

export type DesiredState =
  { kind: 'objects'; objects: DesiredObject[]; skippedNodeUnits: string[] } | { kind: 'invalid'; message: string };

export interface DesiredObject {
  rendered: RenderedObject;
  /** The NodeUnits it serves: a workload's one; every one the member hosts for a ServiceGrid's Service. */
  nodeUnits: string[];
}

export function isDistributed(grid: AnyGrid | undefined): grid is AnyGrid {
  return (
    grid !== undefined && grid.metadata.labels?.[FED_LABEL] === FED_LABEL_VALUE && !grid.metadata.deletionTimestamp
  );
}

/**
 * Validation per grid object: a cached grid is replaced, never changed, on each watch
 * event, so its object identity stands for its content. Every member's sync and every
 * status computation of one grid version then validate it once.
 */
const validations = new WeakMap<AnyGrid, ReturnType<typeof validateGrid>>();

function validated(grid: AnyGrid): ReturnType<typeof validateGrid> {
  let validation = validations.get(grid);
  if (!validation) validations.set(grid, (validation = validateGrid(grid)));
  return validation;
}

/** Why the grid's spec is invalid, every problem with its field path; undefined when valid. */
export function invalidSpec(grid: AnyGrid): string | undefined {
  const validation = validated(grid);
  return validation.ok ? undefined : formatGridErrors(validation.ref, validation.errors);
}

export function desiredState(grid: AnyGrid | undefined, cluster: string, topology: NodeUnitIndex): DesiredState {
  if (!isDistributed(grid)) return { kind: 'objects', objects: [], skippedNodeUnits: [] };
  const invalid = invalidSpec(grid);
  if (invalid) return { kind: 'invalid', message: invalid };
  const all = topology.nodeUnits(cluster, grid.spec.gridUniqKey);
  // A NodeUnit found on nodes whose value cannot name a member object is reported, not applied.
  const fits = (u: string): boolean =>
    isValidNodeUnit(u) &&
    (!isWorkloadGrid(grid) || workloadName(grid.metadata.name ?? '', u).length <= maxMemberNameLength(grid.kind));
  const nodeUnits = all.filter(fits);
  const skippedNodeUnits = all.filter((u) => !fits(u));
  if (!isWorkloadGrid(grid)) {
    const objects = nodeUnits.length > 0 ? [{ rendered: renderService(grid, cluster), nodeUnits }] : [];
    return { kind: 'objects', objects, skippedNodeUnits };
  }
  const objects = nodeUnits.map((nodeUnit) => ({
    rendered: renderWorkload(grid, nodeUnit, cluster),
    nodeUnits: [nodeUnit],
  }));
  return { kind: 'objects', objects, skippedNodeUnits };
}
