// Names and labels of gridfed's Leases in the hub's namespace.
import { createHash } from 'node:crypto';

/** `replica` (one per hub replica, renewed) or `member` (one per member cluster, names its writer). */
export const LEASE_ROLE_LABEL = 'gridfed.io/lease';
/** On a member Lease: the member cluster it is for (names can be too long for the Lease name). */
export const LEASE_MEMBER_ANNOTATION = 'gridfed.io/member';

const MAX_NAME = 253;

/** A Lease name from a prefix and a name, shortened with a hash when it would be too long. */
function leaseName(prefix: string, name: string): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  const full = `${prefix}${safe}`;
  if (full.length <= MAX_NAME && safe === name) return full;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10);
  return `${full.slice(0, MAX_NAME - 11).replace(/[.-]+$/, '')}-${hash}`;
}

export const replicaLeaseName = (replica: string): string => leaseName('gridfed-hub-', replica);
export const memberLeaseName = (member: string): string => leaseName('gridfed-member-', member);
