// Installs the hub's agent identity in a member (with the member's admin credentials,
// which go no further than this process) and returns the agent's token.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject, V1ClusterRole, V1OwnerReference, V1Secret } from '@kubernetes/client-node';
import {
  MEMBER_AGENT_CLUSTER_ROLE,
  MEMBER_AGENT_NAMESPACE,
  MEMBER_AGENT_SERVICE_ACCOUNT,
  MEMBER_AGENT_TOKEN_SECRET,
} from '#gridfed/cluster-registry';
import { describeError, kubeConfigFromString, statusCodeOf } from '#gridfed/kube';
import { CliError, step, type Output } from './cli-output.js';
import { cliClients, type CliClients } from './kube-access.js';
import { ensureNamespace, ensureObject } from './kube-steps.js';
import {
  agentClusterRole,
  agentClusterRoleBinding,
  agentNamespace,
  agentOwnerReference,
  agentServiceAccount,
  agentTokenSecret,
  hasAgentRules,
  isOlderAgentRole,
  MANAGE_NODES,
  MANAGE_SECRETS,
  optInClusterRole,
  optInClusterRoleBinding,
  type AgentOptIn,
  ownedByOtherAgent,
  tokenFromSecret,
} from './member-agent.js';
import type { UndoLog } from './undo.js';

export const TOKEN_WAIT_MS = 30_000;
const TOKEN_POLL_MS = 250;

export interface AgentCredentials {
  token: string;
  /** Base64 PEM of the member's CA, as the token Secret carries it. */
  caData: string;
}

export interface AgentOptions {
  /** `--manage-nodes`: also let the hub patch nodes (fed NodeUnits' labels, annotations, taints). */
  manageNodes?: boolean;
  /** `--manage-secrets`: also let the hub write Secret copies of Secret SiteConfigs (by name, no list). */
  manageSecrets?: boolean;
}

export async function installAgent(
  member: CliClients,
  undo: UndoLog,
  out: Output,
  options: AgentOptions = {},
): Promise<AgentCredentials> {
  const { core, rbac } = member;
  const at = (what: string): string => `member ${member.cluster}: ${what}`;
  const ns = MEMBER_AGENT_NAMESPACE;
  const role = await ensureClusterRole(member, undo, out);
  const uid = role.metadata?.uid ?? '';
  const owner = agentOwnerReference(uid);
  const leaving = (obj: KubernetesObject): boolean => ownedByOtherAgent(obj, uid);
  await ensureNamespace(core, agentNamespace(owner), at(`Namespace ${ns}`), undo, out, leaving);
  const sa = MEMBER_AGENT_SERVICE_ACCOUNT;
  await ensureObject(
    {
      what: at(`ServiceAccount ${ns}/${sa}`),
      create: () => core.createNamespacedServiceAccount({ namespace: ns, body: agentServiceAccount(owner) }),
      read: () => core.readNamespacedServiceAccount({ namespace: ns, name: sa }),
      remove: () => core.deleteNamespacedServiceAccount({ namespace: ns, name: sa }),
      leaving,
    },
    undo,
    out,
  );
  await ensureObject(
    {
      what: at(`ClusterRoleBinding ${MEMBER_AGENT_CLUSTER_ROLE}`),
      create: () => rbac.createClusterRoleBinding({ body: agentClusterRoleBinding(owner) }),
      read: () => rbac.readClusterRoleBinding({ name: MEMBER_AGENT_CLUSTER_ROLE }),
      remove: () => rbac.deleteClusterRoleBinding({ name: MEMBER_AGENT_CLUSTER_ROLE }),
      leaving,
    },
    undo,
    out,
  );
  if (options.manageNodes) await ensureOptInRole(member, MANAGE_NODES, owner, undo, out, leaving);
  if (options.manageSecrets) await ensureOptInRole(member, MANAGE_SECRETS, owner, undo, out, leaving);
  const secret = MEMBER_AGENT_TOKEN_SECRET;
  await ensureObject(
    {
      what: at(`token Secret ${ns}/${secret}`),
      create: () => core.createNamespacedSecret({ namespace: ns, body: agentTokenSecret(owner) }),
      read: () => core.readNamespacedSecret({ namespace: ns, name: secret }),
      remove: () => core.deleteNamespacedSecret({ namespace: ns, name: secret }),
      leaving,
    },
    undo,
    out,
  );
  const credentials = await waitForToken(member);
  out.done(at(`token Secret ${ns}/${secret} holds the agent's token`));
  return credentials;
}

/**
 * The ClusterRole, created or kept. One an older gridfed made (its label, fewer rights) gets
 * this version's rules. One with other rules is refused, not rewritten: it may be the hub's own
 * `gridfed:hub` (the member is the control cluster) or another install's, and changing it would
 * break that; `unregister` deletes the agent's ClusterRole too.
 */
async function ensureClusterRole(member: CliClients, undo: UndoLog, out: Output): Promise<V1ClusterRole> {
  const { rbac } = member;
  const name = MEMBER_AGENT_CLUSTER_ROLE;
  const what = `member ${member.cluster}: ClusterRole ${name}`;
  const role = await ensureObject(
    {
      what,
      create: () => rbac.createClusterRole({ body: agentClusterRole() }),
      read: () => rbac.readClusterRole({ name }),
      remove: () => rbac.deleteClusterRole({ name }),
    },
    undo,
    out,
  );
  if (hasAgentRules(role.rules)) return role;
  if (isOlderAgentRole(role)) return grantCurrentRules(member, role, agentClusterRole(), what, out);
  throw new CliError(
    `${what} exists with rules other than the member agent's (is this the control cluster, or another gridfed's ` +
      `member?); gridfed leaves it untouched: delete it first if it is a stale agent`,
  );
}

/** An older gridfed's agent ClusterRole gets this version's rules (only rights are added). */
async function grantCurrentRules(
  member: CliClients,
  role: V1ClusterRole,
  current: V1ClusterRole,
  what: string,
  out: Output,
): Promise<V1ClusterRole> {
  const name = current.metadata?.name ?? '';
  const body = { ...current, metadata: { ...current.metadata, resourceVersion: role.metadata?.resourceVersion } };
  try {
    const replaced = await member.rbac.replaceClusterRole({ name, body });
    out.done(`${what} had an older gridfed's rules: granted this version's`);
    return replaced;
  } catch (err) {
    throw new CliError(`${what}: could not grant this version's rules: ${describeError(err)}`);
  }
}

/**
 * An opt-in ClusterRole (patch nodes, write Secret copies) and its binding; both owned by the
 * agent ClusterRole. An older one is brought up to date, one with other rules refused, as for the
 * agent ClusterRole.
 */
async function ensureOptInRole(
  member: CliClients,
  optIn: AgentOptIn,
  owner: V1OwnerReference,
  undo: UndoLog,
  out: Output,
  leaving: (obj: KubernetesObject) => boolean,
): Promise<void> {
  const { rbac } = member;
  const name = optIn.role;
  const what = `member ${member.cluster}: ClusterRole ${name}`;
  const role = await ensureObject(
    {
      what,
      create: () => rbac.createClusterRole({ body: optInClusterRole(optIn, owner) }),
      read: () => rbac.readClusterRole({ name }),
      remove: () => rbac.deleteClusterRole({ name }),
      leaving,
    },
    undo,
    out,
  );
  if (!hasAgentRules(role.rules, optIn.rules) && isOlderAgentRole(role, optIn.rules)) {
    await grantCurrentRules(member, role, optInClusterRole(optIn, owner), what, out);
  } else if (!hasAgentRules(role.rules, optIn.rules)) {
    throw new CliError(
      `${what} exists with rules other than ${optIn.grants}; gridfed leaves it untouched: delete it first`,
    );
  }
  await ensureObject(
    {
      what: `member ${member.cluster}: ClusterRoleBinding ${name}`,
      create: () => rbac.createClusterRoleBinding({ body: optInClusterRoleBinding(optIn, owner) }),
      read: () => rbac.readClusterRoleBinding({ name }),
      remove: () => rbac.deleteClusterRoleBinding({ name }),
      leaving,
    },
    undo,
    out,
  );
}

/** Waits (bounded) until the controller-manager put the token and CA into the token Secret. */
async function waitForToken(member: CliClients): Promise<AgentCredentials> {
  const ns = MEMBER_AGENT_NAMESPACE;
  const name = MEMBER_AGENT_TOKEN_SECRET;
  const deadline = Date.now() + TOKEN_WAIT_MS;
  for (;;) {
    const secret: V1Secret = await step(`member ${member.cluster}: read token Secret ${ns}/${name}`, () =>
      member.core.readNamespacedSecret({ namespace: ns, name }),
    );
    const credentials = tokenFromSecret(secret);
    if (credentials) return credentials;
    if (Date.now() >= deadline) {
      throw new CliError(
        `member ${member.cluster}: token Secret ${ns}/${name} has no data.token and data["ca.crt"] after ${TOKEN_WAIT_MS / 1000} s ` +
          `(is the member's kube-controller-manager running with --service-account-private-key-file and --root-ca-file?)`,
      );
    }
    await sleep(TOKEN_POLL_MS);
  }
}

const AGENT_CHECK_MS = 15_000;

/**
 * Proves the kubeconfig about to be stored works: the agent lists nodes with its token.
 * Retries 401/403 for a while: the apiserver's token and RBAC caches trail a fresh install.
 */
export async function verifyAgentAccess(memberName: string, kubeconfig: string, out: Output): Promise<void> {
  const agent = cliClients(kubeConfigFromString(kubeconfig), memberName);
  const deadline = Date.now() + AGENT_CHECK_MS;
  for (;;) {
    try {
      await agent.core.listNode({ limit: 1 });
      out.done(`member ${memberName}: the agent's token lists nodes`);
      return;
    } catch (err) {
      const code = statusCodeOf(err);
      if ((code !== 401 && code !== 403) || Date.now() >= deadline) {
        throw new CliError(`member ${memberName}: the agent's token cannot list nodes: ${describeError(err)}`);
      }
      await sleep(TOKEN_POLL_MS);
    }
  }
}
