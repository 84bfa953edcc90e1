// Who belongs where: the nodes of each NodeUnit (across members), the NodeUnits of each NodeGroup,
// and so what each node should carry.
import {
  AUTO_FIND_NODE_KEYS_VALUE,
  parseNodeRef,
  type NodeFieldKind,
  type NodeGroup,
  type NodeUnit,
} from '#gridfed/site-api';
import { selects } from './selector.js';
import type { MemberNode, MemberNodes } from './types.js';

export interface SelectedNode {
  member: string;
  node: MemberNode;
}

/** One NodeUnit's wish for one key of a node. */
export interface Candidate {
  nodeUnit: string;
  value: string;
  /** Set when the key is this NodeGroup's `<nodegroup>: <nodeunit>` label. */
  nodeGroup?: string;
}

/** Per kind, key -> every NodeUnit's wish for it on one node. */
export type Wants = Record<NodeFieldKind, Map<string, Candidate[]>>;

/** The nodes `nodeUnit` picks in every member: named in spec.nodes (`member/node` or `node`) or matched by spec.selector. */
export function nodesOf(nodeUnit: NodeUnit, members: MemberNodes[]): SelectedNode[] {
  const refs = (nodeUnit.spec?.nodes ?? []).flatMap((entry) => parseNodeRef(entry) ?? []);
  const selector = nodeUnit.spec?.selector;
  return members.flatMap(({ member, nodes }) =>
    nodes
      .filter(
        (node) =>
          refs.some((ref) => ref.node === node.name && (ref.member === undefined || ref.member === member)) ||
          selects(selector, node.labels, node.annotations),
      )
      .map((node) => ({ member, node })),
  );
}

/**
 * The NodeUnits of `group`, sorted: named in spec.nodeunits, matched by spec.selector on their labels,
 * or, when spec.autofindnodekeys is set, labelled `<group>: autofindnodekeys` (as site-manager labels the
 * NodeUnits it creates); `missing` are names in spec.nodeunits with no such NodeUnit.
 */
export function nodeUnitsOf(group: NodeGroup, nodeUnits: NodeUnit[]): { nodeUnits: string[]; missing: string[] } {
  const name = group.metadata.name;
  const known = new Set(nodeUnits.map((nu) => nu.metadata.name));
  const named = group.spec?.nodeunits ?? [];
  const members = new Set(named.filter((n) => known.has(n)));
  const autoFound = (group.spec?.autofindnodekeys ?? []).length > 0;
  for (const nu of nodeUnits) {
    const labels = nu.metadata.labels ?? {};
    if (selects(group.spec?.selector, labels) || (autoFound && labels[name] === AUTO_FIND_NODE_KEYS_VALUE)) {
      members.add(nu.metadata.name);
    }
  }
  return { nodeUnits: [...members].sort(), missing: [...new Set(named.filter((n) => !known.has(n)))].sort() };
}

/** What `nodeUnit` wants on each of its nodes: its setnode, plus `<group>: <nodeunit>` per NodeGroup holding it. */
export function wishesOf(nodeUnit: NodeUnit, groups: string[]): [NodeFieldKind, string, Candidate][] {
  const name = nodeUnit.metadata.name;
  const setnode = nodeUnit.spec?.setnode ?? {};
  const wish = (value: string, nodeGroup?: string): Candidate =>
    nodeGroup === undefined ? { nodeUnit: name, value } : { nodeUnit: name, value, nodeGroup };
  return [
    ...Object.entries(setnode.labels ?? {}).map(([k, v]): [NodeFieldKind, string, Candidate] => ['label', k, wish(v)]),
    ...groups.map((group): [NodeFieldKind, string, Candidate] => ['label', group, wish(name, group)]),
    ...Object.entries(setnode.annotations ?? {}).map(([k, v]): [NodeFieldKind, string, Candidate] => [
      'annotation',
      k,
      wish(v),
    ]),
    ...(setnode.taints ?? []).map((t): [NodeFieldKind, string, Candidate] => [
      'taint',
      `${t.key}:${t.effect}`,
      wish(t.value ?? ''),
    ]),
  ];
}

export function emptyWants(): Wants {
  return { label: new Map(), annotation: new Map(), taint: new Map() };
}

export function addWish(wants: Wants, [kind, key, candidate]: [NodeFieldKind, string, Candidate]): void {
  wants[kind].set(key, [...(wants[kind].get(key) ?? []), candidate]);
}
