// The status the hub writes on NodeUnits and NodeGroups: site-manager's fields, node names as
// member/node, plus members, conflicts and conditions.
import type { V1Condition } from '@kubernetes/client-node';
import {
  qualifiedNodeName,
  type NodeGroup,
  type NodeGroupStatus,
  type NodeUnit,
  type NodeUnitConflict,
  type NodeUnitStatus,
} from '#gridfed/site-api';
import type { SelectedNode } from './membership.js';
import type { ConditionInput } from './types.js';

export interface NodeUnitFacts {
  selected: SelectedNode[];
  conflicts: NodeUnitConflict[];
  /** Members hosting nodes of the NodeUnit that did not opt in to node management. */
  notOptedIn: string[];
}

export function nodeUnitStatus(nodeUnit: NodeUnit, facts: NodeUnitFacts, now: Date): NodeUnitStatus {
  const name = (s: SelectedNode) => qualifiedNodeName(s.member, s.node.name);
  const ready = facts.selected
    .filter((s) => s.node.ready)
    .map(name)
    .sort();
  const notReady = facts.selected
    .filter((s) => !s.node.ready)
    .map(name)
    .sort();
  const stamp = stamper(nodeUnit, now);
  return {
    readyrate: `${ready.length}/${facts.selected.length}`,
    readynodes: ready,
    notreadynodes: notReady,
    members: [...new Set(facts.selected.map((s) => s.member))].sort(),
    conflicts: facts.conflicts,
    observedGeneration: nodeUnit.metadata.generation,
    conditions: [
      stamp(validCondition(undefined)),
      stamp(conflictCondition(facts.conflicts)),
      stamp(managedCondition(facts.notOptedIn)),
    ],
  };
}

/** An invalid NodeUnit: only why; the hub leaves what it set for it on the nodes. */
export function invalidNodeUnitStatus(nodeUnit: NodeUnit, problems: string, now: Date): NodeUnitStatus {
  return {
    observedGeneration: nodeUnit.metadata.generation,
    conditions: [stamper(nodeUnit, now)(validCondition(problems))],
  };
}

export function nodeGroupStatus(group: NodeGroup, nodeUnits: string[], missing: string[], now: Date): NodeGroupStatus {
  const stamp = stamper(group, now);
  const found: ConditionInput =
    missing.length === 0
      ? {
          type: 'NodeUnitsFound',
          status: 'True',
          reason: 'AllFound',
          message: 'every NodeUnit in spec.nodeunits exists',
        }
      : {
          type: 'NodeUnitsFound',
          status: 'False',
          reason: 'NodeUnitNotFound',
          message: `spec.nodeunits names ${missing.map((m) => JSON.stringify(m)).join(', ')}, which ${missing.length === 1 ? 'is not a' : 'are not'} fed NodeUnit${missing.length === 1 ? '' : 's'}`,
        };
  return {
    unitnumber: nodeUnits.length,
    nodeunits: nodeUnits,
    observedGeneration: group.metadata.generation,
    conditions: [stamp(validCondition(undefined)), stamp(found)],
  };
}

export function invalidNodeGroupStatus(group: NodeGroup, problems: string, now: Date): NodeGroupStatus {
  return { observedGeneration: group.metadata.generation, conditions: [stamper(group, now)(validCondition(problems))] };
}

function validCondition(problems: string | undefined): ConditionInput {
  return problems === undefined
    ? { type: 'Valid', status: 'True', reason: 'SpecValid', message: 'the spec is valid' }
    : { type: 'Valid', status: 'False', reason: 'InvalidSpec', message: problems };
}

function conflictCondition(conflicts: NodeUnitConflict[]): ConditionInput {
  if (conflicts.length === 0) {
    return { type: 'NoConflicts', status: 'True', reason: 'NoConflicts', message: 'no node field is wanted two ways' };
  }
  const first = conflicts[0] as NodeUnitConflict;
  const what = first.setByOthers
    ? `was set by someone else`
    : `is wanted differently by NodeUnits ${first.nodeUnits.join(', ')}`;
  return {
    type: 'NoConflicts',
    status: 'False',
    reason: first.setByOthers ? 'SetByOthers' : 'NodeUnitsConflict',
    message: `${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}; first: ${first.kind} ${first.key} on ${first.node} ${what} (status.conflicts lists them)`,
  };
}

function managedCondition(notOptedIn: string[]): ConditionInput {
  if (notOptedIn.length === 0) {
    return {
      type: 'NodesManaged',
      status: 'True',
      reason: 'MembersOptedIn',
      message: 'every member hosting the NodeUnit lets the hub patch its nodes',
    };
  }
  return {
    type: 'NodesManaged',
    status: 'False',
    reason: 'MemberNotOptedIn',
    message: `member${notOptedIn.length === 1 ? '' : 's'} ${notOptedIn.join(', ')} did not opt in to node management (gridfed register --manage-nodes): the hub does not label their nodes`,
  };
}

/** Full conditions, keeping lastTransitionTime of those whose status did not change. */
function stamper(object: NodeUnit | NodeGroup, now: Date): (input: ConditionInput) => V1Condition {
  const previous = object.status?.conditions ?? [];
  return (input) => {
    const before = previous.find((c) => c.type === input.type);
    return {
      ...input,
      observedGeneration: object.metadata.generation,
      lastTransitionTime:
        before?.status === input.status && before.lastTransitionTime ? before.lastTransitionTime : now,
    };
  };
}
