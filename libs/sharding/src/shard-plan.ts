// One look at the shard, as a pure decision: from the live replicas, the registered
// members and who holds each member's Lease, what this replica holds, takes and lets go.
//
// A member's Lease names the replica writing to it. A replica takes a member only when
// rendezvous hashing gives it the member AND the Lease is free (released, never held, or
// held by a replica that is no longer live); it gives a member up by first stopping its
// writes and then clearing the Lease's holder. So a handover between two live replicas
// never has two writers, and a dead replica's members move once its own Lease lapses
// (it stopped writing earlier: see ShardCoordinator's fencing).
import { ownerOf } from './rendezvous.js';

export interface ShardView {
  self: string;
  /** This replica renewed its own Lease recently enough to write (not fenced). */
  selfLive: boolean;
  /** Live replicas, this one included when selfLive. */
  live: readonly string[];
  /** Registered members (MemberCluster objects). */
  members: readonly string[];
  /** member -> holder of its Lease ('' when released); members with no Lease are absent. */
  holders: ReadonlyMap<string, string>;
  /**
   * Members whose Lease changed hands less than a lease duration ago: their holder counts
   * as live even before its own Lease is seen (a replica that just started).
   */
  fresh: ReadonlySet<string>;
}

export type ShardAction =
  | { type: 'acquire'; member: string }
  /** Stop writing to the member, then clear its Lease. */
  | { type: 'release'; member: string }
  /** A Lease of a member that is no longer registered and that nobody live holds. */
  | { type: 'delete'; member: string };

export interface ShardPlan {
  /** Members this replica holds and keeps writing to. */
  owned: string[];
  actions: ShardAction[];
}

export function planShard(view: ShardView): ShardPlan {
  const owned: string[] = [];
  const actions: ShardAction[] = [];
  const live = new Set(view.live);
  const registered = new Set(view.members);
  const isFree = (holder: string | undefined, member: string): boolean =>
    holder === undefined || holder === '' || !(live.has(holder) || view.fresh.has(member));
  for (const member of view.members) {
    const holder = view.holders.get(member);
    const desired = view.selfLive ? ownerOf(member, view.live) : undefined;
    if (holder === view.self) {
      if (desired === view.self) owned.push(member);
      else actions.push({ type: 'release', member });
    } else if (desired === view.self && isFree(holder, member)) {
      actions.push({ type: 'acquire', member });
    }
  }
  for (const [member, holder] of view.holders) {
    if (registered.has(member)) continue;
    if (holder === view.self) actions.push({ type: 'release', member });
    else if (view.selfLive && isFree(holder, member)) actions.push({ type: 'delete', member });
  }
  return { owned: owned.sort(), actions };
}

export interface LookPacing {
  /** Something the plan reads changed while the last look ran (a watch event, members registered). */
  changed: boolean;
  /** When the next deadline (renewal, a lease lapsing) is due. */
  dueInMs: number;
  /** When the control cluster last failed a Lease write other than with a conflict. */
  lastWriteFailureMs: number;
  retryPeriodMs: number;
  nowMs: number;
}

/**
 * When to look again: at once after a change, else at the next deadline; but no sooner
 * than a retry period after a failed write. While the control cluster is down every look
 * fails its writes, and a release's own effects ask for another look at once: without
 * the pause that is a hot loop of failing requests. Fencing does not wait for looks
 * (owns() reads the clock), so the pause never lets a fenced replica write.
 */
export function nextLookDelayMs(p: LookPacing): number {
  const wanted = p.changed ? 0 : p.dueInMs;
  return Math.max(wanted, p.lastWriteFailureMs + p.retryPeriodMs - p.nowMs, 0);
}
