// How every surface (HTTP API, dashboard, CLI) shows a NodeUnit or NodeGroup: read from the
// status the hub wrote, so they all say the same thing. Pure: no I/O.
import type { V1Condition } from '@kubernetes/client-node';
import { FED_LABEL, FED_LABEL_VALUE, MEMBER_NODE_SEPARATOR } from './keys.js';
import type { NodeGroup, NodeGroupWorkloadStatus, NodeUnit, NodeUnitConflict } from './types.js';

/** Ready and selected nodes of a NodeUnit in one member. */
export interface MemberNodeCount {
  member: string;
  ready: number;
  total: number;
}

export interface ConditionView {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}

export interface NodeUnitView {
  name: string;
  /** Labelled superedge.io/fed: "yes": the hub manages its nodes in every member. */
  fed: boolean;
  type: string;
  /** Members hosting nodes of the NodeUnit, sorted. */
  members: string[];
  /** `member/node`, as the hub wrote them. */
  readyNodes: string[];
  notReadyNodes: string[];
  readyRate?: string;
  nodesPerMember: MemberNodeCount[];
  conflicts: NodeUnitConflict[];
  conditions: ConditionView[];
  generation?: number;
  observedGeneration?: number;
}

export interface NodeGroupView {
  name: string;
  fed: boolean;
  nodeUnits: string[];
  /** Per grid that follows the NodeGroup: its ready and not-ready NodeUnits. */
  workloads: NodeGroupWorkloadStatus[];
  conditions: ConditionView[];
  generation?: number;
  observedGeneration?: number;
}

export function isFed(o: NodeUnit | NodeGroup): boolean {
  return o.metadata.labels?.[FED_LABEL] === FED_LABEL_VALUE;
}

/** Ready/selected nodes per member, from the `member/node` names of status, sorted by member. */
export function countNodesPerMember(nu: NodeUnit): MemberNodeCount[] {
  const counts = new Map<string, MemberNodeCount>();
  const count = (names: string[] | undefined, ready: boolean): void => {
    for (const name of names ?? []) {
      const member = name.split(MEMBER_NODE_SEPARATOR)[0] ?? name;
      const c = counts.get(member) ?? { member, ready: 0, total: 0 };
      counts.set(member, { member, ready: c.ready + (ready ? 1 : 0), total: c.total + 1 });
    }
  };
  count(nu.status?.readynodes, true);
  count(nu.status?.notreadynodes, false);
  return [...counts.values()].sort((a, b) => a.member.localeCompare(b.member));
}

export function nodeUnitView(nu: NodeUnit): NodeUnitView {
  const status = nu.status ?? {};
  return {
    name: nu.metadata.name,
    fed: isFed(nu),
    type: nu.spec?.type ?? 'edge',
    members: status.members ?? [],
    readyNodes: status.readynodes ?? [],
    notReadyNodes: status.notreadynodes ?? [],
    readyRate: status.readyrate,
    nodesPerMember: countNodesPerMember(nu),
    conflicts: status.conflicts ?? [],
    conditions: conditionViews(status.conditions),
    generation: nu.metadata.generation,
    observedGeneration: status.observedGeneration,
  };
}

export function nodeGroupView(ng: NodeGroup): NodeGroupView {
  const status = ng.status ?? {};
  return {
    name: ng.metadata.name,
    fed: isFed(ng),
    nodeUnits: status.nodeunits ?? [],
    workloads: status.workloadstatus ?? [],
    conditions: conditionViews(status.conditions),
    generation: ng.metadata.generation,
    observedGeneration: status.observedGeneration,
  };
}

function conditionViews(conditions: V1Condition[] | undefined): ConditionView[] {
  return (conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    reason: c.reason,
    message: c.message,
    ...(c.observedGeneration === undefined ? {} : { observedGeneration: c.observedGeneration }),
  }));
}
