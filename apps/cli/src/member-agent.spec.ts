import { describe, expect, it } from '@jest/globals';
import type { KubernetesObject } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
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
  MEMBER_AGENT_NODE_RULES,
  MEMBER_AGENT_SECRET_RULES,
  optInClusterRole,
  optInClusterRoleBinding,
  MEMBER_AGENT_RULES,
  ownedByOtherAgent,
  tokenFromSecret,
} from './member-agent.js';

const owner = agentOwnerReference('uid-1');

/** The objects of a reference copy under deploy/member. */
function referenceCopy(path: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(resolve(path), 'utf8')).map((d) => d.toJS() as KubernetesObject);
}

/** `obj` as applied by hand: without the owner references, whose uids exist only at run time. */
function withoutOwner<T extends KubernetesObject>(obj: T): T {
  const copy = structuredClone(obj);
  delete copy.metadata?.ownerReferences;
  return copy;
}
const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('the member agent ClusterRole', () => {
  it('grants exactly the least privilege the hub needs, and nothing on secrets', () => {
    expect(agentClusterRole().rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
      {
        apiGroups: ['apps'],
        resources: ['deployments', 'statefulsets'],
        verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
      },
      {
        apiGroups: [''],
        resources: ['services'],
        verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
      },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'create', 'delete'] },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles', 'clusterrolebindings'],
        resourceNames: ['gridfed:hub'],
        verbs: ['delete'],
      },
    ]);
  });

  it('never uses wildcards', () => {
    const all = MEMBER_AGENT_RULES.flatMap((r) => [...(r.apiGroups ?? []), ...(r.resources ?? []), ...r.verbs]);
    expect(all).not.toContain('*');
  });

  it('is named gridfed:hub and labelled as gridfed-managed', () => {
    expect(agentClusterRole().metadata).toEqual({
      name: 'gridfed:hub',
      labels: { 'app.kubernetes.io/managed-by': 'gridfed' },
    });
  });

  it('hands out copies: changing one ClusterRole body leaves the rules constant alone', () => {
    const role = agentClusterRole();
    role.rules?.[0]?.verbs.push('delete');
    expect(hasAgentRules(agentClusterRole().rules)).toBe(true);
  });
});

describe('the opt-in node management ClusterRole (register --manage-nodes)', () => {
  it('adds exactly patch on nodes, owned by the agent ClusterRole so unregister removes it', () => {
    expect(optInClusterRole(MANAGE_NODES, owner)).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'gridfed:hub-nodes',
        labels: { 'app.kubernetes.io/managed-by': 'gridfed' },
        ownerReferences: [owner],
      },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['patch'] }],
    });
  });

  it('is bound to the agent ServiceAccount, and owned like the rest', () => {
    const binding = optInClusterRoleBinding(MANAGE_NODES, owner);
    expect(binding.metadata).toMatchObject({ name: 'gridfed:hub-nodes', ownerReferences: [owner] });
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'gridfed:hub-nodes',
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'gridfed-hub', namespace: 'gridfed-system' }]);
  });

  it('leaves the base agent rules as they are: the base agent cannot patch nodes', () => {
    const nodeRules = MEMBER_AGENT_RULES.filter((r) => r.resources?.includes('nodes'));
    expect(nodeRules.flatMap((r) => r.verbs)).toEqual(['list', 'watch']);
    expect(hasAgentRules(optInClusterRole(MANAGE_NODES, owner).rules, MEMBER_AGENT_NODE_RULES)).toBe(true);
    expect(hasAgentRules(optInClusterRole(MANAGE_NODES, owner).rules)).toBe(false);
  });
});

describe('the opt-in Secret copies ClusterRole (register --manage-secrets)', () => {
  it('adds get, create, patch and delete on secrets, never list or watch, owned by the agent ClusterRole', () => {
    expect(optInClusterRole(MANAGE_SECRETS, owner)).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'gridfed:hub-secrets',
        labels: { 'app.kubernetes.io/managed-by': 'gridfed' },
        ownerReferences: [owner],
      },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'create', 'patch', 'delete'] }],
    });
    expect(optInClusterRoleBinding(MANAGE_SECRETS, owner).roleRef.name).toBe('gridfed:hub-secrets');
  });

  it('leaves the base agent without any right on Secrets', () => {
    expect(MEMBER_AGENT_RULES.filter((r) => r.resources?.includes('secrets'))).toEqual([]);
    expect(hasAgentRules(optInClusterRole(MANAGE_SECRETS, owner).rules, MEMBER_AGENT_SECRET_RULES)).toBe(true);
    expect(hasAgentRules(optInClusterRole(MANAGE_SECRETS, owner).rules, MEMBER_AGENT_NODE_RULES)).toBe(false);
  });
});

describe('hasAgentRules', () => {
  it('accepts the agent rules, also as the apiserver returns them', () => {
    expect(hasAgentRules(JSON.parse(JSON.stringify(MEMBER_AGENT_RULES)))).toBe(true);
  });

  it('refuses other rules: another role of the same name, or an extra verb', () => {
    expect(hasAgentRules([{ apiGroups: ['superedge.io'], resources: ['deploymentgrids'], verbs: ['get'] }])).toBe(
      false,
    );
    const widened = agentClusterRole().rules ?? [];
    widened[0]?.verbs.push('delete');
    expect(hasAgentRules(widened)).toBe(false);
    expect(hasAgentRules(undefined)).toBe(false);
  });
});

describe('isOlderAgentRole', () => {
  /** The agent ClusterRole as an older gridfed made it: one right fewer (no watch on configmaps). */
  function older() {
    const role = agentClusterRole();
    const rule = role.rules!.find((r) => r.resources?.includes('configmaps') && r.verbs.includes('watch'));
    if (!rule) throw new Error('the agent watches configmaps');
    rule.verbs = rule.verbs.filter((v) => v !== 'watch');
    return role;
  }

  it("takes gridfed's labelled role with fewer rights for an older agent, to bring up to date", () => {
    expect(isOlderAgentRole(older())).toBe(true);
    expect(isOlderAgentRole({ ...older(), rules: [] })).toBe(true);
    expect(isOlderAgentRole(agentClusterRole())).toBe(true);
  });

  it("refuses a role without gridfed's label, or one granting anything more: those are someone else's", () => {
    const unlabelled = older();
    unlabelled.metadata!.labels = {};
    expect(isOlderAgentRole(unlabelled)).toBe(false);
    const widened = older();
    widened.rules![0]!.verbs.push('delete');
    expect(isOlderAgentRole(widened)).toBe(false);
    const secrets = older();
    secrets.rules!.push({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] });
    expect(isOlderAgentRole(secrets)).toBe(false);
    const wildcard = older();
    wildcard.rules!.push({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
    expect(isOlderAgentRole(wildcard)).toBe(false);
    const urls = older();
    urls.rules!.push({ nonResourceURLs: ['/metrics'], verbs: ['get'] });
    expect(isOlderAgentRole(urls)).toBe(false);
  });

  it('checks an opt-in role against its own rules', () => {
    const nodes = optInClusterRole(MANAGE_NODES, owner);
    expect(isOlderAgentRole(nodes, MEMBER_AGENT_NODE_RULES)).toBe(true);
    expect(isOlderAgentRole(nodes, MEMBER_AGENT_SECRET_RULES)).toBe(false);
  });
});

describe('the agent objects owned by the ClusterRole', () => {
  it('each carry an owner reference to the ClusterRole, so deleting it removes them', () => {
    expect(owner).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      name: 'gridfed:hub',
      uid: 'uid-1',
    });
    const owned = [
      agentNamespace(owner),
      agentServiceAccount(owner),
      agentClusterRoleBinding(owner),
      agentTokenSecret(owner),
    ];
    for (const obj of owned) expect(obj.metadata?.ownerReferences).toEqual([owner]);
  });

  it('binds the ClusterRole to the ServiceAccount gridfed-system/gridfed-hub', () => {
    const binding = agentClusterRoleBinding(owner);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'gridfed:hub',
    });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'gridfed-hub', namespace: 'gridfed-system' }]);
  });

  it('asks for a long-lived token of that ServiceAccount', () => {
    const secret = agentTokenSecret(owner);
    expect(secret.type).toBe('kubernetes.io/service-account-token');
    expect(secret.metadata?.name).toBe('gridfed-hub-token');
    expect(secret.metadata?.namespace).toBe('gridfed-system');
    expect(secret.metadata?.annotations).toEqual({ 'kubernetes.io/service-account.name': 'gridfed-hub' });
    expect(secret.data).toBeUndefined();
  });
});

describe('tokenFromSecret', () => {
  it('waits for both the token and the CA', () => {
    expect(tokenFromSecret({ data: {} })).toBeUndefined();
    expect(tokenFromSecret({ data: { token: b64('t') } })).toBeUndefined();
    expect(tokenFromSecret({ data: { 'ca.crt': b64('ca') } })).toBeUndefined();
  });

  it('decodes the token and keeps the CA in base64, as a kubeconfig wants it', () => {
    expect(tokenFromSecret({ data: { token: b64('agent-token'), 'ca.crt': b64('PEM') } })).toEqual({
      token: 'agent-token',
      caData: b64('PEM'),
    });
  });
});

describe('deploy/member/agent.yaml, the copy for applying by hand', () => {
  it('holds exactly what register creates, less the owner references (their uids exist only at run time)', () => {
    expect(referenceCopy('deploy/member/agent.yaml')).toEqual([
      withoutOwner(agentNamespace(owner)),
      withoutOwner(agentServiceAccount(owner)),
      agentClusterRole(),
      withoutOwner(agentClusterRoleBinding(owner)),
      withoutOwner(agentTokenSecret(owner)),
    ]);
  });
});

describe('deploy/member/agent-manage-nodes.yaml, the opt-in applied by hand', () => {
  it('holds exactly what register --manage-nodes adds, less the owner references', () => {
    expect(referenceCopy('deploy/member/agent-manage-nodes.yaml')).toEqual([
      withoutOwner(optInClusterRole(MANAGE_NODES, owner)),
      withoutOwner(optInClusterRoleBinding(MANAGE_NODES, owner)),
    ]);
  });
});

describe('deploy/member/agent-manage-secrets.yaml, the opt-in applied by hand', () => {
  it('holds exactly what register --manage-secrets adds, less the owner references', () => {
    expect(referenceCopy('deploy/member/agent-manage-secrets.yaml')).toEqual([
      withoutOwner(optInClusterRole(MANAGE_SECRETS, owner)),
      withoutOwner(optInClusterRoleBinding(MANAGE_SECRETS, owner)),
    ]);
  });
});

describe('ownedByOtherAgent', () => {
  it("spots an earlier agent's object the garbage collector is about to delete", () => {
    const old = agentServiceAccount(agentOwnerReference('old-uid'));
    expect(ownedByOtherAgent(old, 'new-uid')).toBe(true);
    expect(ownedByOtherAgent(old, 'old-uid')).toBe(false);
  });

  it('keeps objects with no owner, or other owners (applied by hand, or not the agent)', () => {
    expect(ownedByOtherAgent({ metadata: { name: 'x' } }, 'uid')).toBe(false);
    const foreign = { metadata: { ownerReferences: [{ ...agentOwnerReference('u'), name: 'someone-else' }] } };
    expect(ownedByOtherAgent(foreign, 'uid')).toBe(false);
  });
});
