// What the rollout planner reads of a grid's NodeUnits, from the members' reports (so any
// hub replica can decide): for each NodeUnit, whether a member hosting it is away, the
// revision its member objects carry, and since when they have all been ready there.
import type { WorkloadGrid } from '#gridfed/grid-api';
import { gridKey, gridRefOf } from '#gridfed/grid-api';
import type { NodeUnitView } from '#gridfed/rollout';
import type { MemberFacts, MemberReport, MemberReports, ObservedObject } from './member-reports.js';

export class RolloutViews {
  constructor(
    private readonly reports: MemberReports,
    private readonly registered: () => string[],
  ) {}

  /**
   * Every NodeUnit of the grid, or undefined while a member's state is not known yet (its
   * owner has not reported it, or it is reachable and its report of this grid is still to
   * come), which must not pass for "unreachable": a decision then could move too much.
   */
  async of(grid: WorkloadGrid): Promise<NodeUnitView[] | undefined> {
    const [reports, facts] = await Promise.all([this.reports.ofGrid(gridKey(gridRefOf(grid))), this.reports.facts()]);
    const members = this.registered();
    const known = members.every((m) => {
      const f = facts.get(m);
      return f !== undefined && (!f.reachable || (f.synced && reports.get(m)?.record !== undefined));
    });
    return known ? views(members, reports, facts) : undefined;
  }
}

interface Hosting {
  pending: boolean;
  objects: (ObservedObject | undefined)[];
}

export function views(
  members: string[],
  reports: Map<string, MemberReport>,
  facts: Map<string, MemberFacts>,
): NodeUnitView[] {
  const byUnit = new Map<string, Hosting>();
  for (const member of members) {
    const report = reports.get(member);
    for (const applied of Object.values(report?.record?.objects ?? {})) {
      for (const nodeUnit of applied.nodeUnits) {
        let hosting = byUnit.get(nodeUnit);
        if (!hosting) byUnit.set(nodeUnit, (hosting = { pending: false, objects: [] }));
        if (!facts.get(member)?.reachable) hosting.pending = true;
        hosting.objects.push(report?.observed[applied.name]);
      }
    }
  }
  return [...byUnit].map(([name, { pending, objects }]) => {
    const revisions = new Set(objects.map((o) => o?.revision));
    const revision = revisions.size === 1 ? [...revisions][0] : undefined;
    const ready = revision !== undefined && objects.every((o) => o?.ready && o.readySince);
    const latest = (pick: (o: ObservedObject | undefined) => string | undefined): Date | undefined => {
      const times = objects.map((o) => Date.parse(pick(o) ?? ''));
      return times.every((t) => !Number.isNaN(t)) ? new Date(Math.max(...times)) : undefined;
    };
    const readySince = ready ? latest((o) => o?.readySince) : undefined;
    const revisionSince = revision ? latest((o) => o?.revisionSince) : undefined;
    const behind = revision !== undefined && objects.some((o) => o?.behind);
    const caughtUpSince = revision && !behind ? latest((o) => o?.caughtUpSince) : undefined;
    return {
      name,
      pending,
      ...(revision ? { revision } : {}),
      ...(behind ? { behind } : {}),
      ...(caughtUpSince ? { caughtUpSince } : {}),
      ...(readySince ? { readySince } : {}),
      ...(revisionSince ? { revisionSince } : {}),
    };
  });
}
