// What the rollout planner reads of a grid's NodeUnits: for each, whether a member
// hosting it is away, the revision its member objects carry, and since when they have
// been ready there. "Since when" is remembered here, in memory: after a hub restart
// minReadySeconds starts again, which can delay a wave but never skip its gate.
import { REVISION_LABEL, workloadName, type WorkloadGrid } from '#gridfed/grid-api';
import type { ClusterRegistry } from '#gridfed/cluster-registry';
import { memberObjectReady, type NodeUnitView } from '#gridfed/rollout';
import type { NodeUnitIndex } from '#gridfed/topology';
import { nodeUnitFits } from './desired-state.js';
import { belongsTo, MEMBER_KIND } from './ownership.js';
import { gridKey, gridRefOf } from '#gridfed/grid-api';

export class RolloutViews {
  /** `gridKey|nodeUnit|revision` -> when the NodeUnit was first seen ready at that revision. */
  private readonly readySince = new Map<string, Date>();

  constructor(
    private readonly topology: NodeUnitIndex,
    private readonly registry: ClusterRegistry,
  ) {}

  /**
   * Every NodeUnit of the grid, or undefined while a member is in a state not known yet
   * (not probed, or reachable and not listed: the hub just started or just reconnected),
   * which must not pass for "unreachable": a rollout decided then could move too much.
   */
  of(grid: WorkloadGrid, now: Date): NodeUnitView[] | undefined {
    const unknown = this.registry.list().some((m) => !m.probed || (m.isHealthy && !m.synced));
    if (unknown) return undefined;
    const key = grid.spec.gridUniqKey;
    return this.topology
      .allNodeUnits(key)
      .filter((nodeUnit) => nodeUnitFits(grid, nodeUnit))
      .map((nodeUnit) => this.view(grid, nodeUnit, now));
  }

  forget(grid: string): void {
    for (const id of this.readySince.keys()) if (id.startsWith(`${grid}|`)) this.readySince.delete(id);
  }

  private view(grid: WorkloadGrid, nodeUnit: string, now: Date): NodeUnitView {
    const ref = gridRefOf(grid);
    const kind = MEMBER_KIND[ref.kind];
    const name = `${ref.namespace}/${workloadName(ref.name, nodeUnit)}`;
    const members = this.topology.clustersHosting(grid.spec.gridUniqKey, nodeUnit).map((c) => this.registry.get(c));
    const pending = members.some((m) => !m || !m.isHealthy || !m.synced);
    const objects = members
      .map((m) => m?.managed[kind].get(name))
      .map((o) => (o && belongsTo(o, kind, ref) ? o : undefined));
    const revisions = new Set(objects.map((o) => o?.metadata?.labels?.[REVISION_LABEL]));
    const revision = revisions.size === 1 ? [...revisions][0] : undefined;
    const ready = revision !== undefined && objects.every((o) => o !== undefined && memberObjectReady(kind, o));
    const id = `${gridKey(ref)}|${nodeUnit}|${revision ?? ''}`;
    if (!ready) {
      this.readySince.delete(id);
      return { name: nodeUnit, pending, ...(revision ? { revision } : {}) };
    }
    let since = this.readySince.get(id);
    if (!since) this.readySince.set(id, (since = now));
    return { name: nodeUnit, pending, revision, readySince: since };
  }
}
