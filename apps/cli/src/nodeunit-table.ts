// `gridfed nodeunits` output: one row per NodeUnit of the control cluster, with its nodes per
// member and their readiness as the hub last wrote them (status.readynodes/notreadynodes are
// `member/node`), and the same objects as JSON or YAML.
import { FED_LABEL, FED_LABEL_VALUE, MEMBER_NODE_SEPARATOR, type NodeUnit } from '#gridfed/site-api';
import { formatAge } from './cluster-table.js';
import { formatList, plainTable, type OutputFormat } from './list-output.js';

export const NODEUNIT_COLUMNS = ['NAME', 'FED', 'TYPE', 'READY', 'MEMBERS', 'CONFLICTS', 'AGE'] as const;

/** `member-1 2/3, member-2 1/1`: ready/selected nodes per member, sorted by member; `-` when none. */
export function nodesPerMember(nu: NodeUnit): string {
  const counts = new Map<string, { ready: number; total: number }>();
  const count = (names: string[] | undefined, ready: boolean) => {
    for (const name of names ?? []) {
      const member = name.split(MEMBER_NODE_SEPARATOR)[0] ?? name;
      const c = counts.get(member) ?? { ready: 0, total: 0 };
      counts.set(member, { ready: c.ready + (ready ? 1 : 0), total: c.total + 1 });
    }
  };
  count(nu.status?.readynodes, true);
  count(nu.status?.notreadynodes, false);
  if (counts.size === 0) return '-';
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([member, c]) => `${member} ${c.ready}/${c.total}`)
    .join(', ');
}

export function nodeUnitRow(nu: NodeUnit, now: Date): string[] {
  const fed = nu.metadata.labels?.[FED_LABEL] === FED_LABEL_VALUE;
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
