// What one member's owner knows of each fed NodeUnit (its nodes there, ready or not, and
// conflicts on them), and the NodeUnit's status across members from every owner's facts.
// The replica that owns a member plans only that member's nodes; any replica writes the
// status from the facts all owners share.
import {
  formatSiteErrors,
  qualifiedNodeName,
  validateNodeUnit,
  type NodeUnit,
  type NodeUnitConflict,
  type NodeUnitStatus,
} from '#gridfed/site-api';
import type { SelectedNode } from './membership.js';
import { invalidNodeUnitStatus, nodeUnitStatus } from './status.js';
import type { MembershipPlan, MemberNode } from './types.js';

/** One NodeUnit in one member: node names (unqualified), sorted. */
export interface MemberNodeUnitFacts {
  ready: string[];
  notReady: string[];
  conflicts: NodeUnitConflict[];
}

export interface MemberSiteFacts {
  member: string;
  manageNodes: boolean;
  /** Only NodeUnits with a node or a conflict in the member. */
  nodeUnits: Record<string, MemberNodeUnitFacts>;
}

/** The facts of `member` in a plan made from that member's nodes alone. */
export function memberSiteFacts(member: string, manageNodes: boolean, plan: MembershipPlan): MemberSiteFacts {
  const prefix = qualifiedNodeName(member, '');
  const local = (names: string[] | undefined) =>
    (names ?? []).filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
  const nodeUnits: Record<string, MemberNodeUnitFacts> = {};
  for (const name of [...plan.nodeUnitStatus.keys()].sort()) {
    const status = plan.nodeUnitStatus.get(name) as NodeUnitStatus;
    const facts = {
      ready: local(status.readynodes),
      notReady: local(status.notreadynodes),
      conflicts: (status.conflicts ?? []).filter((c) => c.node.startsWith(prefix)),
    };
    if (facts.ready.length + facts.notReady.length + facts.conflicts.length > 0) nodeUnits[name] = facts;
  }
  return { member, manageNodes, nodeUnits };
}

/** The status of `nodeUnit` from every member's facts (members without facts count as hosting none of it). */
export function nodeUnitStatusAcross(nodeUnit: NodeUnit, members: MemberSiteFacts[], now: Date): NodeUnitStatus {
  const validation = validateNodeUnit(nodeUnit);
  if (!validation.ok) {
    return invalidNodeUnitStatus(nodeUnit, formatSiteErrors('NodeUnit', validation.name, validation.errors), now);
  }
  const name = nodeUnit.metadata.name;
  const sorted = [...members].sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
  const selected: SelectedNode[] = [];
  const conflicts: NodeUnitConflict[] = [];
  const notOptedIn: string[] = [];
  for (const { member, manageNodes, nodeUnits } of sorted) {
    const facts = nodeUnits[name];
    if (!facts) continue;
    for (const n of facts.ready) selected.push({ member, node: bareNode(n, true) });
    for (const n of facts.notReady) selected.push({ member, node: bareNode(n, false) });
    conflicts.push(...facts.conflicts);
    if (!manageNodes && facts.ready.length + facts.notReady.length > 0) notOptedIn.push(member);
  }
  return nodeUnitStatus(nodeUnit, { selected, conflicts, notOptedIn }, now);
}

function bareNode(name: string, ready: boolean): MemberNode {
  return { name, ready, labels: {}, annotations: {}, taints: [] };
}
