// `gridfed clusters` output: one row per MemberCluster, the columns of
// `kubectl get memberclusters`, and the same objects as JSON or YAML.
import Table from 'cli-table3';
import { stringify } from 'yaml';
import { REACHABLE_CONDITION, type MemberCluster } from '#gridfed/cluster-registry';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const CLUSTER_COLUMNS = ['NAME', 'REACHABLE', 'VERSION', 'NODEUNITS', 'OWNER', 'AGE'] as const;
const UNKNOWN = '<unknown>';

export function clusterRow(mc: MemberCluster, now: Date): string[] {
  const reachable = mc.status?.conditions?.find((c) => c.type === REACHABLE_CONDITION)?.status ?? 'Unknown';
  const created = mc.metadata.creationTimestamp;
  return [
    mc.metadata.name ?? '',
    reachable,
    mc.status?.kubernetesVersion ?? UNKNOWN,
    mc.status?.nodeUnitCount === undefined ? UNKNOWN : String(mc.status.nodeUnitCount),
    mc.status?.owner ?? UNKNOWN,
    created ? formatAge(new Date(created), now) : UNKNOWN,
  ];
}

/** kubectl's short ages: 45s, 12m, 5h, 3d, 2y (seconds up to 2 minutes, as kubectl). */
export function formatAge(created: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - created.getTime()) / 1000));
  if (Number.isNaN(seconds)) return UNKNOWN;
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 730) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

export function formatClusters(clusters: MemberCluster[], format: OutputFormat, now: Date): string {
  const sorted = clusters
    .map(withoutManagedFields)
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  switch (format) {
    case 'json':
      return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: sorted }, null, 2)}\n`;
    case 'yaml':
      return stringify({ apiVersion: 'v1', kind: 'List', items: sorted });
    case 'table':
      return clusterTable(sorted, now);
  }
}

/** kubectl leaves managedFields out of -o json/yaml too: bookkeeping, not what a person asked for. */
function withoutManagedFields(mc: MemberCluster): MemberCluster {
  const metadata = { ...mc.metadata };
  delete metadata.managedFields;
  return { ...mc, metadata };
}

function clusterTable(clusters: MemberCluster[], now: Date): string {
  // Borderless and uncoloured, like kubectl: easy to read and to parse with awk.
  const blank = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '' };
  const edges = { 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '' };
  const table = new Table({
    head: [...CLUSTER_COLUMNS],
    chars: { ...blank, ...edges, right: '', 'right-mid': '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const mc of clusters) table.push(clusterRow(mc, now));
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}
