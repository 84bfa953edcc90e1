// `gridfed clusters` output: one row per MemberCluster, the columns of
// `kubectl get memberclusters`, and the same objects as JSON or YAML.
import { REACHABLE_CONDITION, type MemberCluster } from '#gridfed/cluster-registry';
import { formatList, OUTPUT_FORMATS, plainTable, type OutputFormat } from './list-output.js';

export { OUTPUT_FORMATS, type OutputFormat };

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
  return formatList(clusters, format, (sorted) =>
    plainTable(
      CLUSTER_COLUMNS,
      sorted.map((mc) => clusterRow(mc, now)),
    ),
  );
}
