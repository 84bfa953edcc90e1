// Where a process finds its cluster: an explicit file, KUBECONFIG, or in-cluster config.
import { KubeConfig } from '@kubernetes/client-node';
import { shareConnections } from './shared-connections.js';

export interface KubeConfigSource {
  /** A kubeconfig file; else KUBECONFIG / ~/.kube/config; else the in-cluster service account. */
  path?: string;
  context?: string;
}

export function loadKubeConfig(source: KubeConfigSource = {}): KubeConfig {
  const kc = new KubeConfig();
  if (source.path) kc.loadFromFile(source.path);
  else kc.loadFromDefault();
  if (source.context) {
    if (!kc.getContexts().some((c) => c.name === source.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new Error(`context "${source.context}" is not in the kubeconfig (it has: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(source.context);
  }
  if (!kc.getCurrentCluster()) throw new Error('no Kubernetes cluster configured (set KUBECONFIG or run in a cluster)');
  return shareConnections(kc);
}

/** A KubeConfig from a kubeconfig document (a member's Secret): one per member, never merged. */
export function kubeConfigFromString(text: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(text);
  if (!kc.getCurrentCluster()) throw new Error('kubeconfig has no current cluster');
  return shareConnections(kc);
}
