// `gridfed nodegroups` output: one row per NodeGroup of the control cluster, with its NodeUnits
// and, per grid that follows it, how many of them are ready, as the hub last wrote its status;
// and the same objects as JSON or YAML.
import { isFed, type NodeGroup } from '#gridfed/site-api';
import { formatAge } from './cluster-table.js';
import { formatList, plainTable, type OutputFormat } from './list-output.js';

export const NODEGROUP_COLUMNS = ['NAME', 'FED', 'NODEUNITS', 'GRIDS', 'PROBLEMS', 'AGE'] as const;

/** `DeploymentGrid/ns/web 1/2`: ready/all NodeUnits per grid that follows the NodeGroup; `-` when none. */
export function unitsPerGrid(ng: NodeGroup): string {
  const grids = ng.status?.workloadstatus ?? [];
  if (grids.length === 0) return '-';
  return grids
    .map((w) => {
      const ready = w.readyunit?.length ?? 0;
      return `${w.workloadname ?? '<unnamed>'} ${ready}/${ready + (w.notreadyunit?.length ?? 0)}`;
    })
    .join(', ');
}

/** The types of the conditions that are not True (every one the hub writes is True when all is well). */
export function failingConditions(ng: NodeGroup): string {
  const failing = (ng.status?.conditions ?? []).filter((c) => c.status !== 'True').map((c) => c.type);
  return failing.length === 0 ? 'none' : failing.join(', ');
}

export function nodeGroupRow(ng: NodeGroup, now: Date): string[] {
  const fed = isFed(ng);
  const created = ng.metadata.creationTimestamp;
  return [
    ng.metadata.name,
    fed ? 'yes' : 'no',
    fed ? (ng.status?.nodeunits ?? []).join(',') || '-' : '-',
    fed ? unitsPerGrid(ng) : '-',
    fed ? failingConditions(ng) : '-',
    created ? formatAge(new Date(created), now) : '<unknown>',
  ];
}

export function formatNodeGroups(items: NodeGroup[], format: OutputFormat, now: Date): string {
  return formatList(items, format, (sorted) =>
    plainTable(
      NODEGROUP_COLUMNS,
      sorted.map((ng) => nodeGroupRow(ng, now)),
    ),
  );
}
