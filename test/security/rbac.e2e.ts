// Least privilege, checked on the real apiservers: what the hub's ServiceAccount may do in
// the control cluster, and what the member agent (the identity `gridfed register` gives
// the hub in a member) may do there, as SelfSubjectRulesReview reports it. Rights every
// authenticated identity has (discovery, self reviews) are measured on an identity with
// no binding and left out. Anything else must be listed, with its reason, in rbac-allowlist.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1NonResourceRule,
  type V1ResourceRule,
} from '@kubernetes/client-node';
import {
  DEFAULT_HUB_NAMESPACE,
  KUBECONFIG_SECRET_KEY,
  MEMBER_CLUSTER_PLURAL,
  memberSecretName,
  type MemberCluster,
} from '#gridfed/cluster-registry';
import { GRIDFED_GROUP, GRIDFED_VERSION } from '#gridfed/grid-api';
import { isNotFound } from '#gridfed/kube';
import { gridfed, hubKubeconfig, openFleet, type Fleet } from '../hub/fixtures.js';
import { eventually } from '../cluster/jest/eventually.js';
import {
  HUB_CONTROL_CLUSTER,
  HUB_CONTROL_OWN_NAMESPACE,
  MEMBER_AGENT,
  MEMBER_AGENT_MANAGE_NODES,
  MEMBER_AGENT_MANAGE_SECRETS,
} from './rbac-allowlist.js';

/** One line per verb and resource (or URL): "<verb> <group>/<resource>[:<name>]" or "<verb> url:<path>". */
function permissions(resourceRules: V1ResourceRule[], nonResourceRules: V1NonResourceRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of resourceRules)
    for (const verb of r.verbs)
      for (const group of r.apiGroups ?? [''])
        for (const resource of r.resources ?? [])
          for (const name of r.resourceNames?.length ? r.resourceNames : [undefined])
            out.add(`${verb} ${group || 'core'}/${resource}${name ? `:${name}` : ''}`);
  for (const r of nonResourceRules)
    for (const verb of r.verbs) for (const url of r.nonResourceURLs ?? []) out.add(`${verb} url:${url}`);
  return out;
}

async function rulesIn(kc: KubeConfig, namespace: string): Promise<Set<string>> {
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectRulesReview({
    body: { spec: { namespace } },
  });
  expect(review.status?.incomplete).toBe(false);
  return permissions(review.status?.resourceRules ?? [], review.status?.nonResourceRules ?? []);
}

/** A kubeconfig for `server`/`caData` acting with `token`. */
function tokenConfig(base: KubeConfig, token: string): KubeConfig {
  const cluster = base.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: cluster.server, caData: cluster.caData, skipTLSVerify: false }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

/** What an identity with no binding may do in `kc`'s cluster: every authenticated user has it. */
async function baseline(admin: KubeConfig, namespace: string): Promise<Set<string>> {
  const core = admin.makeApiClient(CoreV1Api);
  const name = 'gridfed-rbac-baseline';
  await core
    .createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name } } })
    .catch(() => undefined);
  const request = await core.createNamespacedServiceAccountToken({
    namespace: 'default',
    name,
    body: { spec: { audiences: [] } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token issued for default/${name}`);
  return rulesIn(tokenConfig(admin, token), namespace);
}

function beyond(granted: Set<string>, common: Set<string>): string[] {
  return [...granted].filter((p) => !common.has(p)).sort();
}

/** Fails naming each right granted without a reason, and each listed one no longer granted. */
function expectExactly(who: string, granted: string[], allowed: Record<string, string>): void {
  const unexplained = granted.filter((p) => !(p in allowed));
  const stale = Object.keys(allowed).filter((p) => !granted.includes(p));
  expect({ who, grantedWithoutReasonInRbacAllowlist: unexplained, listedButNotGranted: stale }).toEqual({
    who,
    grantedWithoutReasonInRbacAllowlist: [],
    listedButNotGranted: [],
  });
}

describe('least privilege', () => {
  let fleet: Fleet;
  const hub = new KubeConfig();

  beforeAll(async () => {
    fleet = await openFleet();
    hub.loadFromFile(hubKubeconfig());
    await gridfed(fleet, 'register', 'member-1', '--kubeconfig', fleet.member1.kubeconfigPath);
  });
  afterAll(async () => {
    await gridfed(fleet, 'unregister', 'member-1').catch(() => undefined);
  });

  it("the hub's ServiceAccount in the control cluster holds exactly the listed rights", async () => {
    const admin = fleet.control.kubeConfig();
    const common = await baseline(admin, 'default');
    const clusterWide = beyond(await rulesIn(hub, 'default'), common);
    expectExactly('hub in the control cluster, any namespace', clusterWide, HUB_CONTROL_CLUSTER);
    const own = beyond(await rulesIn(hub, DEFAULT_HUB_NAMESPACE), new Set([...common, ...clusterWide]));
    expectExactly(`hub in ${DEFAULT_HUB_NAMESPACE}`, own, HUB_CONTROL_OWN_NAMESPACE);
  });

  it('the member agent holds exactly the listed rights in the member', async () => {
    const agent = await agentKubeConfig('member-1');
    const common = await baseline(fleet.member1.kubeConfig(), 'default');
    const granted = beyond(await rulesIn(agent, 'default'), common);
    expectExactly('member agent in member-1', granted, MEMBER_AGENT);
  });

  const optIns = [
    { flag: '--manage-nodes', rights: MEMBER_AGENT_MANAGE_NODES, field: 'manageNodes', role: 'gridfed:hub-nodes' },
    {
      flag: '--manage-secrets',
      rights: MEMBER_AGENT_MANAGE_SECRETS,
      field: 'manageSecrets',
      role: 'gridfed:hub-secrets',
    },
  ] as const;
  it.each(optIns)(
    'register $flag adds exactly the opt-in rights and says so; unregister takes them away',
    async ({ flag, rights, field, role }) => {
      const rbac = fleet.member2.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
      await gridfed(fleet, 'register', 'member-2', '--kubeconfig', fleet.member2.kubeconfigPath, flag);
      try {
        const common = await baseline(fleet.member2.kubeConfig(), 'default');
        const granted = beyond(await rulesIn(await agentKubeConfig('member-2'), 'default'), common);
        expectExactly(`member agent in member-2 (${flag})`, granted, { ...MEMBER_AGENT, ...rights });
        const mc = (await fleet.control.kubeConfig().makeApiClient(CustomObjectsApi).getClusterCustomObject({
          group: GRIDFED_GROUP,
          version: GRIDFED_VERSION,
          plural: MEMBER_CLUSTER_PLURAL,
          name: 'member-2',
        })) as MemberCluster;
        expect(mc.spec[field]).toBe(true);
      } finally {
        await gridfed(fleet, 'unregister', 'member-2');
      }
      // Owned by the agent ClusterRole, which unregister deleted: the garbage collector removes them.
      await eventually(async () => {
        for (const read of [
          () => rbac.readClusterRole({ name: role }),
          () => rbac.readClusterRoleBinding({ name: role }),
        ]) {
          const gone = await read().then(
            () => false,
            (err: unknown) => isNotFound(err),
          );
          if (!gone) throw new Error(`${role} is still in member-2`);
        }
      }, 60_000);
    },
  );

  /** The agent's kubeconfig for `member`, as register stored it in the control cluster. */
  async function agentKubeConfig(member: string): Promise<KubeConfig> {
    const secret = await fleet.control
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .readNamespacedSecret({ namespace: DEFAULT_HUB_NAMESPACE, name: memberSecretName(member) });
    const agent = new KubeConfig();
    agent.loadFromString(Buffer.from(secret.data![KUBECONFIG_SECRET_KEY]!, 'base64').toString('utf8'));
    return agent;
  }
});
