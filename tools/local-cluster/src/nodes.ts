// Fake nodes: plain Node objects that kwok keeps Ready and whose pods it runs.
import type { V1Node } from '@kubernetes/client-node';

export interface NodeSpec {
  name: string;
  labels?: Record<string, string>;
}

/** Room for any test workload; no NoSchedule taint, so pods need no toleration. */
const NODE_RESOURCES = { cpu: '32', memory: '256Gi', pods: '250' };

export function renderNode(spec: NodeSpec): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        ...spec.labels,
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {},
    status: {
      allocatable: NODE_RESOURCES,
      capacity: NODE_RESOURCES,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'kwok',
        kubeProxyVersion: 'kwok',
        bootID: '',
        containerRuntimeVersion: 'kwok',
        kernelVersion: '',
        machineID: '',
        osImage: '',
        systemUUID: '',
      },
    },
  };
}

/**
 * A merge patch that makes the node's labels exactly `labels` (plus the ones every fake
 * node carries): keys not named are removed.
 */
export function labelPatch(current: Record<string, string>, labels: Record<string, string>): Record<string, unknown> {
  const wanted = renderNode({ name: '', labels }).metadata?.labels ?? {};
  const next: Record<string, string | null> = { ...wanted };
  delete next['kubernetes.io/hostname'];
  for (const key of Object.keys(current)) {
    if (!(key in wanted) && key !== 'kubernetes.io/hostname') next[key] = null;
  }
  return { metadata: { labels: next } };
}

export function isNodeReady(node: V1Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}
