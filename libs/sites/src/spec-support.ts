// Shared by this library's specs only (excluded from the build): NodeUnits, NodeGroups and nodes
// in a line each, applying a plan's patches to nodes, and planning until nothing changes.
import {
  FED_LABEL,
  SITE_API_VERSION,
  SITE_MANAGED_ANNOTATION,
  type NodeGroup,
  type NodeGroupSpec,
  type NodeTaint,
  type NodeUnit,
  type NodeUnitSpec,
} from '#gridfed/site-api';
import { planNodeMembership } from './plan.js';
import type { MemberNode, MemberNodes, MembershipInput, MembershipPlan, NodePatch } from './types.js';

export const NOW = new Date('2026-12-01T20:00:00Z');
export const FED = { [FED_LABEL]: 'yes' };

const metadata = (name: string, labels: Record<string, string>) => ({ name, labels, generation: 1 });

export function unit(name: string, spec: NodeUnitSpec, labels: Record<string, string> = FED): NodeUnit {
  return { apiVersion: SITE_API_VERSION, kind: 'NodeUnit', metadata: metadata(name, labels), spec };
}

export function group(name: string, spec: NodeGroupSpec, labels: Record<string, string> = FED): NodeGroup {
  return { apiVersion: SITE_API_VERSION, kind: 'NodeGroup', metadata: metadata(name, labels), spec };
}

export function node(
  name: string,
  labels: Record<string, string> = {},
  more: { annotations?: Record<string, string>; taints?: NodeTaint[]; ready?: boolean } = {},
): MemberNode {
  return { name, labels, annotations: more.annotations ?? {}, taints: more.taints ?? [], ready: more.ready ?? true };
}

export function member(name: string, nodes: MemberNode[], manageNodes = true): MemberNodes {
  return { member: name, manageNodes, nodes };
}

/** The record annotation as the hub writes it, for a node that already carries what the hub set. */
export function managed(record: Record<string, { labels?: string[]; annotations?: string[]; taints?: string[] }>) {
  return { [SITE_MANAGED_ANNOTATION]: JSON.stringify(record) };
}

export function plan(nodeUnits: NodeUnit[], nodeGroups: NodeGroup[], members: MemberNodes[]): MembershipPlan {
  return planNodeMembership({ nodeUnits, nodeGroups, members, now: NOW });
}

/** `node` after the member applied `patch` (a JSON merge patch). */
export function applied(target: MemberNode, patch: NodePatch | undefined): MemberNode {
  if (!patch) return target;
  const merge = (base: Record<string, string>, change: Record<string, string | null>) => {
    const out = { ...base };
    for (const [key, value] of Object.entries(change)) {
      if (value === null) delete out[key];
      else out[key] = value;
    }
    return out;
  };
  return {
    ...target,
    labels: merge(target.labels, patch.labels),
    annotations: merge(target.annotations, patch.annotations),
    taints: patch.taints ?? target.taints,
  };
}

/** The members after every patch of `result` is applied. */
export function afterPlan(members: MemberNodes[], result: MembershipPlan): MemberNodes[] {
  return members.map((m) => ({
    ...m,
    nodes: m.nodes.map((n) =>
      applied(
        n,
        result.patches.find((p) => p.member === m.member && p.node === n.name),
      ),
    ),
  }));
}

/** Plans and applies until no patch is left; fails if that takes more than one round (it must converge at once). */
export function converge(input: Omit<MembershipInput, 'now'>): MemberNodes[] {
  const first = planNodeMembership({ ...input, now: NOW });
  const members = afterPlan(input.members, first);
  const second = planNodeMembership({ ...input, members, now: NOW });
  if (second.patches.length > 0) throw new Error(`a second plan still patches: ${JSON.stringify(second.patches)}`);
  return members;
}

export function nodeIn(members: MemberNodes[], memberName: string, nodeName: string): MemberNode {
  const found = members.find((m) => m.member === memberName)?.nodes.find((n) => n.name === nodeName);
  if (!found) throw new Error(`no node ${memberName}/${nodeName}`);
  return found;
}
