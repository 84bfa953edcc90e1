// The benchmark fleet's shape: three members hosting two NodeUnits each.
import type { NodeSpec } from '../../tools/local-cluster/src/nodes.js';

export const NODE_UNIT_KEY = 'zone';

export interface MemberLayout {
  member: string;
  nodeUnits: readonly string[];
}

export const MEMBER_LAYOUT: readonly MemberLayout[] = [
  { member: 'member-1', nodeUnits: ['nu1', 'nu2'] },
  { member: 'member-2', nodeUnits: ['nu3', 'nu4'] },
  { member: 'member-3', nodeUnits: ['nu5', 'nu6'] },
];

export const MEMBERS: readonly string[] = MEMBER_LAYOUT.map((m) => m.member);
export const NODE_UNITS: readonly string[] = MEMBER_LAYOUT.flatMap((m) => m.nodeUnits);

/** Fake nodes take 250 pods; stay below that so a NodeUnit never runs out of room. */
const PODS_PER_NODE = 200;

export function memberOf(nodeUnit: string): string {
  const layout = MEMBER_LAYOUT.find((m) => m.nodeUnits.includes(nodeUnit));
  if (!layout) throw new Error(`NodeUnit "${nodeUnit}" is in no member of the benchmark fleet`);
  return layout.member;
}

/**
 * Nodes per NodeUnit so that its pods fit: one per grid, plus at most one extra per
 * status sample (each scales one grid's NodeUnit up by one).
 */
export function nodesPerUnit(grids: number, edits: number): number {
  return Math.max(1, Math.ceil((grids + edits) / PODS_PER_NODE));
}

export function memberNodes(layout: MemberLayout, perUnit: number): NodeSpec[] {
  return layout.nodeUnits.flatMap((nodeUnit) =>
    Array.from({ length: perUnit }, (_, i) => ({ name: `${nodeUnit}-${i}`, labels: { [NODE_UNIT_KEY]: nodeUnit } })),
  );
}
