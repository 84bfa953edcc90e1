// MemberCluster status, reconciled per member: reachability, Kubernetes version and the
// NodeUnits it hosts. Handlers only add the member's name; a write replaces the whole
// status (optimistic concurrency on resourceVersion), so a NodeUnit that left is gone
// from it, and happens only when something a user sees changed (an idle fleet writes nothing).
import type { V1Condition } from '@kubernetes/client-node';
import { GRIDFED_API_VERSION, GRIDFED_GROUP, GRIDFED_VERSION } from '#gridfed/grid-api';
import { EventRecorder, isNotFound, withContext, type EventType, type KubeClients } from '#gridfed/kube';
import { WorkQueue } from '#gridfed/workqueue';
import {
  MEMBER_CLUSTER_KIND,
  MEMBER_CLUSTER_PLURAL,
  REACHABLE_CONDITION,
  type MemberCluster,
  type MemberClusterStatus,
} from './member-cluster.js';
import type { MemberConnection } from './member-connection.js';

/** What the status of one member is computed from. */
export interface MemberFacts {
  reachable: boolean;
  /** Why it is unreachable. */
  detail: string;
  kubernetesVersion: string | undefined;
  /** gridUniqKey -> NodeUnits the member hosts, for the keys grids use. */
  nodeUnits: Record<string, string[]>;
  /** The hub replica writing this status (the member's owner). */
  owner?: string;
  /** Why the hub has no connection to it at all (its Secret or kubeconfig is unusable). */
  unusable?: string;
}

/** Why a member is unreachable, as a condition reason and a message that says what to do. */
export function unreachableReason(member: string, detail: string): { reason: string; message: string } {
  if (/\(HTTP 401\)/.test(detail)) {
    return {
      reason: 'CredentialsRejected',
      message:
        `the member apiserver rejected the hub's credentials (${detail}): its ServiceAccount token was revoked or ` +
        `expired; run "gridfed register ${member} --kubeconfig <admin kubeconfig of the member>" again`,
    };
  }
  if (/\(HTTP 403\)/.test(detail)) {
    return {
      reason: 'Forbidden',
      message: `the member apiserver refused the hub's request (${detail}): its gridfed:hub ClusterRole or binding was changed; register it again`,
    };
  }
  return { reason: 'ProbeFailed', message: detail };
}

/** A member whose Secret the hub refused: what is wrong, and that nothing is sent to it until fixed. */
export function unusableReason(member: string, problem: string): { reason: string; message: string } {
  return {
    reason: 'UnusableSecret',
    message:
      `MemberCluster ${member}: ${problem}; the hub does not connect to this member until the Secret is fixed ` +
      `(gridfed register ${member} --renew-credentials --kubeconfig <admin kubeconfig of the member> writes a good one)`,
  };
}

export function memberStatus(mc: MemberCluster, facts: MemberFacts, now: Date): MemberClusterStatus {
  const previous = mc.status?.conditions?.find((c) => c.type === REACHABLE_CONDITION);
  const status = facts.reachable ? 'True' : 'False';
  const name = mc.metadata.name ?? '';
  const failed = facts.unusable ? unusableReason(name, facts.unusable) : unreachableReason(name, facts.detail);
  const condition: V1Condition = {
    type: REACHABLE_CONDITION,
    status,
    reason: facts.reachable ? 'ProbeSucceeded' : failed.reason,
    message: facts.reachable ? 'the hub reaches the member apiserver' : failed.message,
    lastTransitionTime: previous?.status === status ? previous.lastTransitionTime : now,
    observedGeneration: mc.metadata.generation,
  };
  const kubernetesVersion = facts.kubernetesVersion ?? mc.status?.kubernetesVersion;
  return {
    observedGeneration: mc.metadata.generation,
    conditions: [condition],
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    nodeUnits: facts.nodeUnits,
    nodeUnitCount: new Set(Object.values(facts.nodeUnits).flat()).size,
    ...(facts.owner ? { owner: facts.owner } : {}),
  };
}

/** A change of reachability a user must see as an Event (none when it did not change). */
export interface ReachabilityEvent {
  type: EventType;
  reason: string;
  message: string;
}

export function reachabilityEvent(
  before: MemberClusterStatus | undefined,
  after: MemberClusterStatus,
): ReachabilityEvent | undefined {
  const was = before?.conditions?.find((c) => c.type === REACHABLE_CONDITION);
  const now = after.conditions?.find((c) => c.type === REACHABLE_CONDITION);
  if (!now || (was?.status === now.status && was.reason === now.reason)) return undefined;
  if (now.status === 'True') {
    // A first status that says "reachable" is no news.
    return was ? { type: 'Normal', reason: 'Reachable', message: now.message ?? 'reachable' } : undefined;
  }
  return { type: 'Warning', reason: now.reason ?? 'Unreachable', message: now.message ?? 'unreachable' };
}

/** The parts of a status worth a write (times excluded). */
export function memberStatusEssence(status: MemberClusterStatus | undefined): string {
  const c = status?.conditions?.[0];
  return JSON.stringify([
    c?.status,
    c?.reason,
    c?.message,
    status?.kubernetesVersion,
    status?.nodeUnits,
    status?.nodeUnitCount,
    status?.observedGeneration,
    status?.owner,
  ]);
}

export interface MemberStatusOptions {
  control: KubeClients;
  memberCluster: (name: string) => MemberCluster | undefined;
  connection: (name: string) => MemberConnection | undefined;
  /** Why a member has no connection (its Secret is unusable), if so. */
  problem: (name: string) => string | undefined;
  nodeUnitsOf: (member: string) => Record<string, string[]>;
  /** This hub replica (written as the member's owner). */
  replica?: string;
  log: (level: 'info' | 'warn', message: string) => void;
}

export class MemberStatusReconciler {
  readonly queue: WorkQueue;
  private readonly events: EventRecorder;

  constructor(private readonly opts: MemberStatusOptions) {
    this.events = new EventRecorder({ control: opts.control, component: 'gridfed-hub', log: opts.log });
    this.queue = new WorkQueue({
      name: 'member-status',
      // Coalesces bursts: a relabel touches many nodes.
      debounceMs: 200,
      maxInFlight: 4,
      retry: { initialMs: 1000, maxMs: 30_000 },
      reconcile: (member) => this.reconcile(member),
      onError: (member, err, failures) =>
        opts.log('warn', `member ${member}: status not written (attempt ${failures}, will retry): ${String(err)}`),
    });
  }

  enqueue(member: string): void {
    this.queue.add(member);
  }

  stop(): void {
    this.queue.stop();
  }

  private async reconcile(member: string): Promise<void> {
    const mc = this.opts.memberCluster(member);
    const connection = this.opts.connection(member);
    const unusable = connection ? undefined : this.opts.problem(member);
    if (!mc || (!connection && !unusable)) {
      this.queue.forget(member);
      return;
    }
    const facts: MemberFacts = {
      reachable: connection?.isHealthy ?? false,
      detail: connection?.healthDetail ?? '',
      kubernetesVersion: connection?.kubernetesVersion,
      nodeUnits: connection ? this.opts.nodeUnitsOf(member) : {},
      owner: this.opts.replica,
      ...(unusable ? { unusable } : {}),
    };
    const status = memberStatus(mc, facts, new Date());
    if (memberStatusEssence(mc.status) === memberStatusEssence(status)) return;
    try {
      await this.opts.control.custom.replaceClusterCustomObjectStatus({
        group: GRIDFED_GROUP,
        version: GRIDFED_VERSION,
        plural: MEMBER_CLUSTER_PLURAL,
        name: member,
        // resourceVersion from the cache: a 409 means it moved on; the retry reads it again.
        body: { ...mc, status },
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw withContext(`member ${member}: write status`, err);
    }
    const event = reachabilityEvent(mc.status, status);
    if (event) {
      const subject = { apiVersion: GRIDFED_API_VERSION, kind: MEMBER_CLUSTER_KIND, name: member };
      this.events.report(
        mc.metadata.uid ? { ...subject, uid: mc.metadata.uid } : subject,
        event.type,
        event.reason,
        event.message,
      );
    }
  }
}
