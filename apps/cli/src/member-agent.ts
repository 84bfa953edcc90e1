// What `gridfed register` creates in a member cluster: the identity the hub acts as there,
// with the least privilege its sync work needs. Pure builders; the I/O is in member-install.ts.
//
// The ClusterRole is the root of the install: every other agent object carries an owner
// reference to it, so deleting the ClusterRole (the one thing the agent may delete about
// itself) lets Kubernetes' garbage collector remove the rest. That is how `unregister`
// removes the agent with the agent's own, least-privilege credentials.
import type {
  KubernetesObject,
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Namespace,
  V1OwnerReference,
  V1PolicyRule,
  V1Secret,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import {
  MEMBER_AGENT_CLUSTER_ROLE,
  MEMBER_AGENT_NAMESPACE,
  MEMBER_AGENT_SERVICE_ACCOUNT,
  MEMBER_AGENT_TOKEN_SECRET,
} from '#gridfed/cluster-registry';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '#gridfed/grid-api';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_API_VERSION = `${RBAC_GROUP}/v1`;
// Server-side apply is a patch (a create when the object is new); nothing is ever PUT.
const WRITE_VERBS = ['get', 'list', 'watch', 'create', 'patch', 'delete'];
// Nodes are only listed and watched (the NodeUnits a member hosts come from their labels).
const WATCH_VERBS = ['list', 'watch'];

/** Annotation that ties a service-account-token Secret to its ServiceAccount. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';

export const AGENT_LABELS: Readonly<Record<string, string>> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };

/**
 * The hub's rights in a member. Namespaces may be deleted by RBAC's measure, but the hub
 * only deletes the ones it created itself (labelled gridfed.io/created-namespace): RBAC
 * cannot express that, the hub's code keeps it. The last rule lets the agent delete its
 * own ClusterRole (and binding) by name, and nothing else of RBAC: see the header.
 */
export const MEMBER_AGENT_RULES: readonly V1PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes'], verbs: WATCH_VERBS },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE_VERBS },
  { apiGroups: [''], resources: ['services'], verbs: WRITE_VERBS },
  // SiteConfig copies ({siteconfig}-{nodeunit}): listed and watched by label (GC, drift), applied, deleted.
  { apiGroups: [''], resources: ['configmaps'], verbs: WRITE_VERBS },
  { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
  {
    apiGroups: [RBAC_GROUP],
    resources: ['clusterroles', 'clusterrolebindings'],
    resourceNames: [MEMBER_AGENT_CLUSTER_ROLE],
    verbs: ['delete'],
  },
];

/** `gridfed register --manage-nodes`: the ClusterRole (and binding) that lets the hub patch nodes. */
export const MEMBER_AGENT_NODES_ROLE = 'gridfed:hub-nodes';

/**
 * The opt-in right: patch nodes, so the hub can set (and remove again) what fed NodeUnits put on
 * them (setnode labels, annotations, taints, `<nodegroup>: <nodeunit>`). Listing and watching
 * nodes the base rules grant already. A ClusterRole of its own, so the base agent stays as it is.
 */
export const MEMBER_AGENT_NODE_RULES: readonly V1PolicyRule[] = [
  { apiGroups: [''], resources: ['nodes'], verbs: ['patch'] },
];

/** `gridfed register --manage-secrets`: the ClusterRole (and binding) that lets the hub write Secret copies. */
export const MEMBER_AGENT_SECRETS_ROLE = 'gridfed:hub-secrets';

/**
 * The opt-in right for Secret SiteConfigs: get, create, patch and delete Secrets by name, and
 * neither list nor watch, so the hub cannot enumerate or stream the member's Secrets. It reads
 * only the copies it wrote or is about to write, by the names its ledger ConfigMap records
 * (libs/distribution secret-copy-ledger.ts). RBAC cannot name copies in advance (resourceNames
 * do not apply to create), so get/patch/delete are not narrowed by name; the hub's code is.
 */
export const MEMBER_AGENT_SECRET_RULES: readonly V1PolicyRule[] = [
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'patch', 'delete'] },
];

/** The owner reference every other agent object carries: the agent ClusterRole. */
export function agentOwnerReference(clusterRoleUid: string): V1OwnerReference {
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', name: MEMBER_AGENT_CLUSTER_ROLE, uid: clusterRoleUid };
}

export function agentClusterRole(): V1ClusterRole {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: { name: MEMBER_AGENT_CLUSTER_ROLE, labels: { ...AGENT_LABELS } },
    rules: MEMBER_AGENT_RULES.map((rule) => structuredClone(rule)),
  };
}

/** An opt-in of `register` (`--manage-nodes`, `--manage-secrets`): its ClusterRole name and rules. */
export interface AgentOptIn {
  role: string;
  rules: readonly V1PolicyRule[];
  /** What the rules grant, for messages ("patch nodes"). */
  grants: string;
}

export const MANAGE_NODES: AgentOptIn = {
  role: MEMBER_AGENT_NODES_ROLE,
  rules: MEMBER_AGENT_NODE_RULES,
  grants: 'patch nodes',
};
export const MANAGE_SECRETS: AgentOptIn = {
  role: MEMBER_AGENT_SECRETS_ROLE,
  rules: MEMBER_AGENT_SECRET_RULES,
  grants: 'get, create, patch and delete secrets',
};

/** Owned by the agent ClusterRole like everything else, so `unregister` removes it too. */
export function optInClusterRole(optIn: AgentOptIn, owner: V1OwnerReference): V1ClusterRole {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: { name: optIn.role, labels: { ...AGENT_LABELS }, ownerReferences: [owner] },
    rules: optIn.rules.map((rule) => structuredClone(rule)),
  };
}

export function optInClusterRoleBinding(optIn: AgentOptIn, owner: V1OwnerReference): V1ClusterRoleBinding {
  return bindingOf(optIn.role, owner);
}

export function agentNamespace(owner: V1OwnerReference): V1Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: MEMBER_AGENT_NAMESPACE, labels: { ...AGENT_LABELS }, ownerReferences: [owner] },
  };
}

export function agentServiceAccount(owner: V1OwnerReference): V1ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: MEMBER_AGENT_SERVICE_ACCOUNT,
      namespace: MEMBER_AGENT_NAMESPACE,
      labels: { ...AGENT_LABELS },
      ownerReferences: [owner],
    },
  };
}

export function agentClusterRoleBinding(owner: V1OwnerReference): V1ClusterRoleBinding {
  return bindingOf(MEMBER_AGENT_CLUSTER_ROLE, owner);
}

/** Binds ClusterRole `name` to the agent's ServiceAccount. */
function bindingOf(name: string, owner: V1OwnerReference): V1ClusterRoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...AGENT_LABELS }, ownerReferences: [owner] },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name: MEMBER_AGENT_SERVICE_ACCOUNT, namespace: MEMBER_AGENT_NAMESPACE }],
  };
}

/** A long-lived token for the ServiceAccount: the controller-manager fills `token` and `ca.crt`. */
export function agentTokenSecret(owner: V1OwnerReference): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: SERVICE_ACCOUNT_TOKEN_TYPE,
    metadata: {
      name: MEMBER_AGENT_TOKEN_SECRET,
      namespace: MEMBER_AGENT_NAMESPACE,
      labels: { ...AGENT_LABELS },
      annotations: { [SERVICE_ACCOUNT_NAME_ANNOTATION]: MEMBER_AGENT_SERVICE_ACCOUNT },
      ownerReferences: [owner],
    },
  };
}

/**
 * True when `obj` belongs to an agent ClusterRole other than the current one: an earlier
 * agent's object that the garbage collector is about to delete, not one to keep.
 */
export function ownedByOtherAgent(obj: KubernetesObject, clusterRoleUid: string): boolean {
  return (obj.metadata?.ownerReferences ?? []).some(
    (ref) =>
      ref.kind === 'ClusterRole' &&
      ref.apiVersion === RBAC_API_VERSION &&
      ref.name === MEMBER_AGENT_CLUSTER_ROLE &&
      ref.uid !== clusterRoleUid,
  );
}

/** True when `rules` grant exactly what the agent needs (an older or edited ClusterRole does not). */
export function hasAgentRules(
  rules: readonly V1PolicyRule[] | undefined,
  expected: readonly V1PolicyRule[] = MEMBER_AGENT_RULES,
): boolean {
  const normalize = (list: readonly V1PolicyRule[]): string =>
    JSON.stringify(
      list.map((r) => ({
        apiGroups: r.apiGroups ?? [],
        resources: r.resources ?? [],
        resourceNames: r.resourceNames ?? [],
        nonResourceURLs: r.nonResourceURLs ?? [],
        verbs: r.verbs,
      })),
    );
  return normalize(rules ?? []) === normalize(expected);
}

/** The token and CA once the controller-manager filled the token Secret, else undefined. */
export function tokenFromSecret(secret: V1Secret): { token: string; caData: string } | undefined {
  const token = secret.data?.['token'];
  const caData = secret.data?.['ca.crt'];
  if (!token || !caData) return undefined;
  return { token: Buffer.from(token, 'base64').toString('utf8'), caData };
}

/**
 * A ClusterRole an older gridfed made for its agent: gridfed's label, and rules that grant
 * nothing `expected` does not (later versions only add rights, e.g. `watch configmaps`).
 * `register` brings it up to `expected` instead of refusing it.
 */
export function isOlderAgentRole(role: V1ClusterRole, expected: readonly V1PolicyRule[] = MEMBER_AGENT_RULES): boolean {
  const labels = role.metadata?.labels ?? {};
  const labelled = Object.entries(AGENT_LABELS).every(([key, value]) => labels[key] === value);
  return labelled && (role.rules ?? []).every((rule) => grantedBy(rule, expected));
}

/** Every request `rule` allows, some rule of `rules` allows too. */
function grantedBy(rule: V1PolicyRule, rules: readonly V1PolicyRule[]): boolean {
  const has = (list: string[] | undefined, item: string): boolean => (list ?? []).some((x) => x === item || x === '*');
  if ((rule.nonResourceURLs ?? []).length > 0) {
    return rule.nonResourceURLs!.every((url) =>
      rule.verbs.every((verb) => rules.some((r) => has(r.nonResourceURLs, url) && has(r.verbs, verb))),
    );
  }
  const names = rule.resourceNames ?? [];
  const coversNames = (r: V1PolicyRule): boolean =>
    (r.resourceNames ?? []).length === 0 || (names.length > 0 && names.every((n) => r.resourceNames!.includes(n)));
  return (rule.apiGroups ?? []).every((group) =>
    (rule.resources ?? []).every((resource) =>
      rule.verbs.every((verb) =>
        rules.some(
          (r) => has(r.apiGroups, group) && has(r.resources, resource) && has(r.verbs, verb) && coversNames(r),
        ),
      ),
    ),
  );
}
