// Where a process finds its cluster: an explicit file, KUBECONFIG, or in-cluster config.
import { KubeConfig } from '@kubernetes/client-node';
import { checkMemberKubeconfig } from './member-kubeconfig.js';
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

/** Why a member kubeconfig was refused: each problem names its field, none quotes a credential. */
export class MemberKubeconfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * A KubeConfig from a member's kubeconfig document (untrusted: a Secret in the control
 * cluster), one per member, never merged. Only the fields checkMemberKubeconfig allows reach
 * client-node, so it never runs a program, reads a local file or uses a proxy.
 */
export function kubeConfigFromString(text: string): KubeConfig {
  const checked = checkMemberKubeconfig(text);
  if (!checked.ok) throw new MemberKubeconfigError(checked.problems);
  const kc = new KubeConfig();
  kc.loadFromOptions(checked.options);
  return shareConnections(kc);
}
