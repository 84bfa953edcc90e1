// Which live hub replica owns a member cluster: rendezvous (highest random weight)
// hashing. Every replica computes the same answer from the same set of live replicas,
// with no coordination, and when a replica comes or goes only the members it gains or
// held move (about 1/N of them), the minimum any assignment can do.
import { createHash } from 'node:crypto';

/** The weight of (replica, member): the first 8 bytes of SHA-256 over both names. */
function weight(replica: string, member: string): bigint {
  return createHash('sha256').update(replica).update('\0').update(member).digest().readBigUInt64BE(0);
}

/** The replica that owns `member` among `replicas`, or undefined when none is live. */
export function ownerOf(member: string, replicas: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const replica of replicas) {
    const w = weight(replica, member);
    // Ties (practically never) go to the smaller name, so the answer never depends on order.
    if (w > bestWeight || (w === bestWeight && best !== undefined && replica < best)) {
      best = replica;
      bestWeight = w;
    }
  }
  return best;
}

/** member -> owner for every member (members with no live replica are left out). */
export function assignment(members: readonly string[], replicas: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const member of members) {
    const owner = ownerOf(member, replicas);
    if (owner !== undefined) result.set(member, owner);
  }
  return result;
}
