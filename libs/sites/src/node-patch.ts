// A node's changes as the JSON merge patch the member receives.
import { SITE_MANAGED_ANNOTATION, type NodeFieldKind, type NodeTaint, type TaintEffect } from '#gridfed/site-api';
import { writeManagedRecord } from './managed-record.js';
import type { NodeChanges } from './node-plan.js';
import type { MemberNode, NodePatch } from './types.js';

/** The patch that makes `node` what `changes` say, or undefined when it already is. */
export function nodePatch(member: string, node: MemberNode, changes: NodeChanges): NodePatch | undefined {
  const labels = keyedPatch(changes, 'label');
  const annotations = keyedPatch(changes, 'annotation');
  const record = writeManagedRecord(changes.record);
  const had = node.annotations[SITE_MANAGED_ANNOTATION];
  if (record !== had && !(record === undefined && had === undefined))
    annotations[SITE_MANAGED_ANNOTATION] = record ?? null;
  const taintsChange = changes.set.taint.size > 0 || changes.remove.taint.size > 0;
  if (Object.keys(labels).length === 0 && Object.keys(annotations).length === 0 && !taintsChange) return undefined;
  return {
    member,
    node: node.name,
    ...(node.resourceVersion === undefined ? {} : { resourceVersion: node.resourceVersion }),
    labels,
    annotations,
    ...(taintsChange ? { taints: newTaints(node.taints, changes) } : {}),
  };
}

function keyedPatch(changes: NodeChanges, kind: NodeFieldKind): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const [key, value] of changes.set[kind]) patch[key] = value;
  for (const key of changes.remove[kind]) patch[key] = null;
  return patch;
}

/** The node's taints in their order with the hub's removed or updated (timeAdded kept), then the new ones. */
function newTaints(taints: NodeTaint[], changes: NodeChanges): NodeTaint[] {
  const id = (t: NodeTaint) => `${t.key}:${t.effect}`;
  const kept = taints
    .filter((t) => !changes.remove.taint.has(id(t)))
    .map((t) => {
      const value = changes.set.taint.get(id(t));
      return value === undefined ? t : withValue({ ...t }, value);
    });
  const present = new Set(taints.map(id));
  const added = [...changes.set.taint]
    .filter(([key]) => !present.has(key))
    .map(([key, value]) => {
      const at = key.lastIndexOf(':');
      return withValue({ key: key.slice(0, at), effect: key.slice(at + 1) as TaintEffect }, value);
    });
  return [...kept, ...added];
}

function withValue(taint: NodeTaint, value: string): NodeTaint {
  if (value === '') delete taint.value;
  else taint.value = value;
  return taint;
}

/**
 * The body sent to the member for `patch`: a JSON merge patch of the node whose resourceVersion,
 * when known, makes the apiserver refuse it (409) if the node changed since it was planned.
 */
export function mergePatchBody(patch: NodePatch): {
  metadata: Record<string, unknown>;
  spec?: { taints: NodeTaint[] };
} {
  const metadata = {
    ...(patch.resourceVersion === undefined ? {} : { resourceVersion: patch.resourceVersion }),
    ...(Object.keys(patch.labels).length > 0 ? { labels: patch.labels } : {}),
    ...(Object.keys(patch.annotations).length > 0 ? { annotations: patch.annotations } : {}),
  };
  return { metadata, ...(patch.taints === undefined ? {} : { spec: { taints: patch.taints } }) };
}
