// `gridfed nodeunits` output: one row per NodeUnit of the control cluster, with its nodes per
// member and their readiness as the hub last wrote them (status.readynodes/notreadynodes are
// `member/node`), and the same objects as JSON or YAML.
import { countNodesPerMember, isFed, type NodeUnit } from '#gridfed/site-api';
import { formatAge } from './cluster-table.js';
import { formatList, plainTable, type OutputFormat } from './list-output.js';

export const NODEUNIT_COLUMNS = ['NAME', 'FED', 'TYPE', 'READY', 'MEMBERS', 'CONFLICTS', 'AGE'] as const;

/** `member-1 2/3, member-2 1/1`: ready/selected nodes per member, sorted by member; `-` when none. */
export function nodesPerMember(nu: NodeUnit): string {
  const counts = countNodesPerMember(nu);
  if (counts.length === 0) return '-';
  return counts.map((c) => `${c.member} ${c.ready}/${c.total}`).join(', ');
}

export function nodeUnitRow(nu: NodeUnit, now: Date): string[] {
  const fed = isFed(nu);
  const created = nu.metadata.creationTimestamp;
  return [
    nu.metadata.name,
    fed ? 'yes' : 'no',
    nu.spec?.type ?? 'edge',
    fed ? (nu.status?.readyrate ?? '<unknown>') : '-',
    fed ? nodesPerMember(nu) : '-',
    fed ? String(nu.status?.conflicts?.length ?? 0) : '-',
    created ? formatAge(new Date(created), now) : '<unknown>',
  ];
}

export function formatNodeUnits(items: NodeUnit[], format: OutputFormat, now: Date): string {
  return formatList(items, format, (sorted) =>
    plainTable(
      NODEUNIT_COLUMNS,
      sorted.map((nu) => nodeUnitRow(nu, now)),
    ),
  );
}
