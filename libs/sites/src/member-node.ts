// A member's V1Node as the planner reads it.
import type { V1Node } from '@kubernetes/client-node';
import type { NodeTaint, TaintEffect } from '#gridfed/site-api';
import type { MemberNode } from './types.js';

export function memberNodeOf(node: V1Node): MemberNode {
  const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const taints = (node.spec?.taints ?? []).map((t): NodeTaint => {
    const taint: NodeTaint = { key: t.key, effect: t.effect as TaintEffect };
    if (t.value !== undefined) taint.value = t.value;
    if (t.timeAdded !== undefined) taint.timeAdded = new Date(t.timeAdded).toISOString();
    return taint;
  });
  return {
    name: node.metadata?.name ?? '',
    labels: { ...(node.metadata?.labels ?? {}) },
    annotations: { ...(node.metadata?.annotations ?? {}) },
    taints,
    ready,
    ...(node.metadata?.resourceVersion === undefined ? {} : { resourceVersion: node.metadata.resourceVersion }),
  };
}
