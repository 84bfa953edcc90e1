// Kubeconfig files for local clusters, in the format kubectl and every client read.
import { stringify } from 'yaml';

export interface KubeconfigSpec {
  clusterName: string;
  server: string;
  caPem: string;
  user: string;
  token: string;
}

/** A single-context kubeconfig named after the cluster, so several can sit side by side. */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: spec.clusterName,
        cluster: {
          server: spec.server,
          'certificate-authority-data': Buffer.from(spec.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: `${spec.user}@${spec.clusterName}`, user: { token: spec.token } }],
    contexts: [
      {
        name: spec.clusterName,
        context: { cluster: spec.clusterName, user: `${spec.user}@${spec.clusterName}` },
      },
    ],
    'current-context': spec.clusterName,
  });
}
