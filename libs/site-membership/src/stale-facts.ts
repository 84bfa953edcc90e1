// Which members' site facts to delete from the shared hash: those whose MemberCluster is gone.
// Any replica may decide it (the facts of an unregistered member have no owner any more), so
// the decision only trusts a synced cache of MemberClusters: an unsynced, empty one would
// name every member.

/** Members in `stored` with no MemberCluster; none while `registered` is unknown (cache not synced). */
export function unregisteredFactMembers(stored: string[], registered: string[] | undefined): string[] {
  if (registered === undefined) return [];
  const known = new Set(registered);
  return stored.filter((member) => !known.has(member)).sort();
}
