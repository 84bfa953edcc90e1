// One node: what to set, what to remove, what to record, and which keys NodeUnits fight over.
//
// Rules, per key (a label, an annotation, or a taint as key:effect):
// - A key the hub did not set (not in the node's record) is never changed or removed. When it already
//   has the wanted value it is left as it is, unrecorded; with another value it is a conflict
//   (setByOthers) and the hub leaves it.
// - A key wanted with one value gets it (a hand edit of a key the hub set is put back).
// - A key wanted with different values (two NodeUnits of one NodeGroup on the node, or two setnode
//   values) is a conflict: the node keeps its current value when the hub set it and it is one of the
//   wanted values, else the hub sets none. The outcome depends only on the inputs and what the node
//   carries, so it never flaps.
// - A key the hub set that nothing wants any more is removed.
// - A key the hub set for a NodeUnit (or, for its label, a NodeGroup) that is now invalid stays as it is.
import type { NodeFieldKind, NodeTaint, NodeUnitConflict } from '#gridfed/site-api';
import { SITE_MANAGED_ANNOTATION, qualifiedNodeName } from '#gridfed/site-api';
import { FIELD_KINDS, emptyKeys, ownersByKey, readManagedRecord, type ManagedRecord } from './managed-record.js';
import type { Candidate, Wants } from './membership.js';
import type { MemberNode } from './types.js';

export interface Frozen {
  /** Invalid NodeUnits: what the hub set for them stays. */
  nodeUnits: Set<string>;
  /** Names of invalid NodeGroups: their labels stay. */
  labelKeys: Set<string>;
}

export interface NodeChanges {
  set: Record<NodeFieldKind, Map<string, string>>;
  remove: Record<NodeFieldKind, Set<string>>;
  record: ManagedRecord;
  conflicts: NodeUnitConflict[];
  unreadableRecord: boolean;
}

export function planNode(member: string, node: MemberNode, wants: Wants, frozen: Frozen): NodeChanges {
  const { record: previous, unreadable } = readManagedRecord(node.annotations[SITE_MANAGED_ANNOTATION]);
  const changes: NodeChanges = {
    set: { label: new Map(), annotation: new Map(), taint: new Map() },
    remove: { label: new Set(), annotation: new Set(), taint: new Set() },
    record: new Map(),
    conflicts: [],
    unreadableRecord: unreadable,
  };
  for (const kind of FIELD_KINDS) {
    const owners = ownersByKey(previous, kind);
    const current = currentValues(node, kind);
    const keys = new Set([...wants[kind].keys(), ...owners.keys()]);
    for (const key of [...keys].sort()) {
      const setFor = owners.get(key) ?? [];
      const isFrozen =
        setFor.some((nu) => frozen.nodeUnits.has(nu)) ||
        (kind === 'label' && setFor.length > 0 && frozen.labelKeys.has(key));
      if (isFrozen) {
        for (const nu of setFor) record(changes.record, nu, kind, key);
        continue;
      }
      planKey(
        { member, node: node.name, kind, key },
        wants[kind].get(key) ?? [],
        setFor.length > 0,
        current.get(key),
        changes,
      );
    }
  }
  return changes;
}

interface KeyRef {
  member: string;
  node: string;
  kind: NodeFieldKind;
  key: string;
}

function planKey(
  ref: KeyRef,
  wanted: Candidate[],
  hubSet: boolean,
  current: string | undefined,
  changes: NodeChanges,
): void {
  const { kind, key } = ref;
  const values = [...new Set(wanted.map((c) => c.value))];
  if (!hubSet && current !== undefined) {
    // Someone else's key: left alone whatever is wanted.
    if (values.length > 1 || (values.length === 1 && values[0] !== current)) {
      changes.conflicts.push(conflict(ref, wanted, true));
    }
    return;
  }
  if (values.length > 1) changes.conflicts.push(conflict(ref, wanted, false));
  const target =
    values.length === 1 ? values[0] : hubSet && current !== undefined && values.includes(current) ? current : undefined;
  if (target === undefined) {
    if (hubSet && current !== undefined) changes.remove[kind].add(key);
    return;
  }
  if (current !== target) changes.set[kind].set(key, target);
  for (const c of wanted) if (c.value === target) record(changes.record, c.nodeUnit, kind, key);
}

function conflict(ref: KeyRef, wanted: Candidate[], setByOthers: boolean): NodeUnitConflict {
  const nodeGroup = wanted.find((c) => c.nodeGroup !== undefined)?.nodeGroup;
  return {
    node: qualifiedNodeName(ref.member, ref.node),
    kind: ref.kind,
    key: ref.key,
    nodeUnits: [...new Set(wanted.map((c) => c.nodeUnit))].sort(),
    ...(nodeGroup === undefined ? {} : { nodeGroup }),
    ...(setByOthers ? { setByOthers } : {}),
  };
}

function record(into: ManagedRecord, nodeUnit: string, kind: NodeFieldKind, key: string): void {
  const keys = into.get(nodeUnit) ?? emptyKeys();
  keys[kind].add(key);
  into.set(nodeUnit, keys);
}

/** The node's value per key of `kind`; a taint's value is '' when it has none. The record annotation is not a key. */
function currentValues(node: MemberNode, kind: NodeFieldKind): Map<string, string> {
  switch (kind) {
    case 'label':
      return new Map(Object.entries(node.labels));
    case 'annotation':
      return new Map(Object.entries(node.annotations).filter(([k]) => k !== SITE_MANAGED_ANNOTATION));
    case 'taint':
      return new Map(node.taints.map((t: NodeTaint) => [`${t.key}:${t.effect}`, t.value ?? '']));
  }
}
