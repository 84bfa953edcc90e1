// MemberCluster status: reachability, Kubernetes version and hosted NodeUnits, written
// only when one of them changed, so an idle fleet causes no writes.
import { PatchStrategy, setHeaderOptions, type V1Condition } from '@kubernetes/client-node';
import { GRIDFED_GROUP, GRIDFED_VERSION } from '#gridfed/grid-api';
import {
  MEMBER_CLUSTER_PLURAL,
  REACHABLE_CONDITION,
  type MemberCluster,
  type MemberClusterStatus,
  type MemberConnection,
} from '#gridfed/cluster-registry';
import { describeError, type KubeClients } from '#gridfed/kube';
import type { NodeUnitIndex } from '#gridfed/topology';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function memberStatus(
  member: MemberConnection,
  mc: MemberCluster,
  topology: NodeUnitIndex,
  keys: string[],
  now: Date,
): MemberClusterStatus {
  const nodeUnits = Object.fromEntries(keys.map((key) => [key, topology.nodeUnits(member.name, key)]));
  const previous = mc.status?.conditions?.find((c) => c.type === REACHABLE_CONDITION);
  const status = member.isHealthy ? 'True' : 'False';
  const condition: V1Condition = {
    type: REACHABLE_CONDITION,
    status,
    reason: member.isHealthy ? 'ProbeSucceeded' : 'ProbeFailed',
    message: member.isHealthy ? 'the hub reaches the member apiserver' : member.healthDetail,
    lastTransitionTime: previous?.status === status ? previous.lastTransitionTime : now,
    observedGeneration: mc.metadata.generation,
  };
  return {
    observedGeneration: mc.metadata.generation,
    conditions: [condition],
    kubernetesVersion: member.kubernetesVersion ?? mc.status?.kubernetesVersion,
    nodeUnits,
    nodeUnitCount: new Set(Object.values(nodeUnits).flat()).size,
  };
}

/** The parts of a status worth a write (times excluded). */
function essence(status: MemberClusterStatus | undefined): string {
  const c = status?.conditions?.[0];
  return JSON.stringify([
    c?.status,
    c?.reason,
    c?.message,
    status?.kubernetesVersion,
    status?.nodeUnits,
    status?.nodeUnitCount,
    status?.observedGeneration,
  ]);
}

export class MemberStatusWriter {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly control: KubeClients,
    private readonly log: (level: 'info' | 'warn', message: string) => void,
  ) {}

  /** Coalesces bursts (a relabel touches many nodes) into one write per member. */
  schedule(member: string, compute: () => { mc: MemberCluster; status: MemberClusterStatus } | undefined): void {
    if (this.timers.has(member)) return;
    this.timers.set(
      member,
      setTimeout(() => {
        this.timers.delete(member);
        const next = compute();
        if (next && essence(next.mc.status) !== essence(next.status)) void this.write(member, next.status);
      }, 200),
    );
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private async write(member: string, status: MemberClusterStatus): Promise<void> {
    try {
      await this.control.custom.patchClusterCustomObjectStatus(
        {
          group: GRIDFED_GROUP,
          version: GRIDFED_VERSION,
          plural: MEMBER_CLUSTER_PLURAL,
          name: member,
          body: { status: { ...status, lastProbeTime: new Date().toISOString() } },
        },
        mergePatch,
      );
    } catch (err) {
      this.log('warn', `member ${member}: status not written: ${describeError(err)}`);
    }
  }
}
