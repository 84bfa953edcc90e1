// The kubeconfig the hub uses for a member: the member's server and CA with the agent's
// token. It is built from scratch, never copied from the kubeconfig `register` was given,
// so the admin credentials used to install the agent can never end up in the control cluster.
// It holds only what the hub accepts from a member Secret (checkMemberKubeconfig): always the
// CA inline, never insecure-skip-tls-verify or a proxy.
import type { Cluster } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { MEMBER_AGENT_SERVICE_ACCOUNT } from '#gridfed/cluster-registry';

export interface AgentKubeconfigInput {
  /** The member cluster's name in the hub. */
  member: string;
  /** How the admin kubeconfig reaches the member: server and TLS server name. */
  cluster: Pick<Cluster, 'server' | 'tlsServerName'>;
  /** Base64 PEM of the CA that signed the member's serving certificate. */
  caData: string;
  /** The agent ServiceAccount's token (plain text). */
  token: string;
}

export function agentKubeconfig(input: AgentKubeconfigInput): string {
  const { member, cluster, caData, token } = input;
  const user = `${MEMBER_AGENT_SERVICE_ACCOUNT}@${member}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: member, cluster: clusterEntry(cluster, caData) }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: member, context: { cluster: member, user } }],
    'current-context': member,
  });
}

function clusterEntry(cluster: AgentKubeconfigInput['cluster'], caData: string): Record<string, unknown> {
  const entry: Record<string, unknown> = { server: cluster.server, 'certificate-authority-data': caData };
  if (cluster.tlsServerName) entry['tls-server-name'] = cluster.tlsServerName;
  return entry;
}
