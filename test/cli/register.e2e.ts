// `gridfed register / clusters / unregister` as a user runs them, against the shared fleet:
// the agent really has least privilege (RBAC is enforced in these clusters), failures leave
// nothing half-made, and unregister removes what gridfed created.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1Deployment,
  type V1ObjectMeta,
} from '@kubernetes/client-node';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import {
  DEFAULT_HUB_NAMESPACE,
  MEMBER_AGENT_CLUSTER_ROLE,
  MEMBER_AGENT_NAMESPACE,
  MEMBER_AGENT_SERVICE_ACCOUNT,
  MEMBER_AGENT_TOKEN_SECRET,
  MEMBER_CLUSTER_PLURAL,
  type MemberCluster,
} from '#gridfed/cluster-registry';
import {
  CREATED_NAMESPACE_LABEL,
  GRIDFED_GROUP,
  GRIDFED_VERSION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
} from '#gridfed/grid-api';
import { eventually } from '../cluster/jest/eventually.js';
import { fleetCluster, testFleetRoot } from '../cluster/jest/test-fleet.js';
import { ensureKubeBinaries } from '../../tools/local-cluster/src/binaries.js';
import { freePort } from '../../tools/local-cluster/src/net.js';
import { recordCredentials } from '../security/credentials.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';

const CLI = resolve('dist/apps/cli/src/main.js');
const MEMBER = 'member-1';
const SECRET = `member-${MEMBER}`;
const HUB_NS = 'gridfed-system';
const MC = { group: GRIDFED_GROUP, version: GRIDFED_VERSION, plural: MEMBER_CLUSTER_PLURAL };
const run = promisify(execFile);
// Each command takes seconds; waits for the garbage and namespace controllers up to a minute.
jest.setTimeout(180_000);

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

let control: LocalCluster;
let member: LocalCluster;
let workDir: string;

/** Runs the compiled CLI with KUBECONFIG at the control cluster; never throws. */
async function gridfed(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, KUBECONFIG: control.kubeconfigPath },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const registerArgs = (...extra: string[]): string[] => [
  'register',
  MEMBER,
  '--kubeconfig',
  member.kubeconfigPath,
  ...extra,
];

/** Whether code is 0, with the CLI's output in the failure message when it is not. */
function expectSuccess(result: CliRun): void {
  if (result.code !== 0) throw new Error(`gridfed failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
}

const controlCore = (): CoreV1Api => control.kubeConfig().makeApiClient(CoreV1Api);
const controlCustom = (): CustomObjectsApi => control.kubeConfig().makeApiClient(CustomObjectsApi);

async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if ((err as { code?: unknown }).code === 404) return undefined;
    throw err;
  }
}

/** The registration in the control cluster, as resourceVersions (undefined when absent). */
async function registration(): Promise<{ memberCluster?: string; secret?: string }> {
  const mc = (await orUndefined(() => controlCustom().getClusterCustomObject({ ...MC, name: MEMBER }))) as
    MemberCluster | undefined;
  const secret = await orUndefined(() => controlCore().readNamespacedSecret({ namespace: HUB_NS, name: SECRET }));
  return { memberCluster: mc?.metadata.resourceVersion, secret: secret?.metadata?.resourceVersion };
}

/** The agent objects in the member, read as the member's admin: kind/name -> metadata. */
async function agentMetadata(): Promise<Record<string, V1ObjectMeta>> {
  const kc = member.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const ns = MEMBER_AGENT_NAMESPACE;
  const reads = {
    [`Namespace ${ns}`]: () => core.readNamespace({ name: ns }),
    [`ServiceAccount ${MEMBER_AGENT_SERVICE_ACCOUNT}`]: () =>
      core.readNamespacedServiceAccount({ namespace: ns, name: MEMBER_AGENT_SERVICE_ACCOUNT }),
    [`Secret ${MEMBER_AGENT_TOKEN_SECRET}`]: () =>
      core.readNamespacedSecret({ namespace: ns, name: MEMBER_AGENT_TOKEN_SECRET }),
    [`ClusterRole ${MEMBER_AGENT_CLUSTER_ROLE}`]: () => rbac.readClusterRole({ name: MEMBER_AGENT_CLUSTER_ROLE }),
    [`ClusterRoleBinding ${MEMBER_AGENT_CLUSTER_ROLE}`]: () =>
      rbac.readClusterRoleBinding({ name: MEMBER_AGENT_CLUSTER_ROLE }),
  };
  const found: Record<string, V1ObjectMeta> = {};
  for (const [what, read] of Object.entries(reads)) {
    const obj = await orUndefined(read);
    if (obj?.metadata) found[what] = obj.metadata;
  }
  return found;
}

/** The agent objects in the member: kind/name -> uid. */
async function agentObjects(): Promise<Record<string, string>> {
  const metadata = await agentMetadata();
  return Object.fromEntries(Object.entries(metadata).map(([what, meta]) => [what, meta.uid ?? '']));
}

const waitAgentGone = (): Promise<void> => eventually(async () => expect(await agentObjects()).toEqual({}), 60_000);

/** A kubeconfig for the control cluster as an identity that may read registrations and create nothing. */
async function readOnlyControlKubeconfig(): Promise<string> {
  const name = 'gridfed-test-read-only';
  const namespace = DEFAULT_HUB_NAMESPACE;
  const rbac = control.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
  const subjects = [{ kind: 'ServiceAccount', name, namespace }];
  const ignoreExisting = (err: unknown): void => {
    if ((err as { code?: number }).code !== 409) throw err;
  };
  await controlCore()
    .createNamespacedServiceAccount({ namespace, body: { metadata: { name } } })
    .catch(ignoreExisting);
  await rbac
    .createClusterRole({
      body: {
        metadata: { name },
        rules: [{ apiGroups: [GRIDFED_GROUP], resources: [MEMBER_CLUSTER_PLURAL], verbs: ['get', 'list'] }],
      },
    })
    .catch(ignoreExisting);
  await rbac
    .createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects,
      },
    })
    .catch(ignoreExisting);
  await rbac
    .createNamespacedRole({
      namespace,
      body: { metadata: { name }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
    })
    .catch(ignoreExisting);
  await rbac
    .createNamespacedRoleBinding({
      namespace,
      body: { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects },
    })
    .catch(ignoreExisting);
  const issued = await controlCore().createNamespacedServiceAccountToken({
    namespace,
    name,
    body: { spec: { audiences: [] } },
  });
  const token = issued.status?.token ?? '';
  recordCredentials(testFleetRoot(), [token]);
  const cluster = control.kubeConfig().getCurrentCluster()!;
  const file = join(testFleetRoot(), 'read-only.kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'control', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } },
      ],
      users: [{ name, user: { token } }],
      contexts: [{ name, context: { cluster: 'control', user: name } }],
      'current-context': name,
    }),
    { mode: 0o600 },
  );
  return file;
}

/** The kubeconfig register stored in the control cluster. */
async function storedKubeconfig(): Promise<{ text: string; kc: KubeConfig }> {
  const secret = await controlCore().readNamespacedSecret({ namespace: HUB_NS, name: SECRET });
  const data = secret.data?.['kubeconfig'];
  if (!data) throw new Error(`Secret ${HUB_NS}/${SECRET} has no key kubeconfig`);
  const text = Buffer.from(data, 'base64').toString('utf8');
  const kc = new KubeConfig();
  kc.loadFromString(text);
  return { text, kc };
}

function deployment(name: string, labels: Record<string, string>): V1Deployment {
  const selector = { app: name };
  return {
    metadata: { name, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: { metadata: { labels: selector }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
    },
  };
}

const MANAGED = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };

/** A copy of the member's kubeconfig that points at another server. */
function kubeconfigWithServer(name: string, server: string): string {
  const doc = parse(readFileSync(member.kubeconfigPath, 'utf8')) as { clusters: { cluster: { server: string } }[] };
  for (const c of doc.clusters) c.cluster.server = server;
  const path = join(workDir, name);
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}

/** A TCP server that accepts connections and never says a word: a hung apiserver. */
function silentServer(): Promise<{ server: Server; port: number }> {
  return new Promise((resolveServer) => {
    const server = createServer(() => undefined);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolveServer({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: the e2e global setup compiles it (tsc -p tsconfig.build.json)`);
  [control, member] = await Promise.all([fleetCluster('control'), fleetCluster(MEMBER)]);
  workDir = join(testFleetRoot(), 'cli-e2e');
  mkdirSync(workDir, { recursive: true });
  const kubectl = ensureKubeBinaries().kubectl;
  const crd = resolve('deploy/crds/membercluster.yaml');
  execFileSync(kubectl, [
    '--kubeconfig',
    control.kubeconfigPath,
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    crd,
  ]);
  execFileSync(kubectl, ['--kubeconfig', control.kubeconfigPath, 'wait', '--for=condition=Established', '-f', crd]);
  // Another suite may have left member-1 registered: start from a member gridfed never touched.
  if ((await registration()).memberCluster) expectSuccess(await gridfed('unregister', MEMBER));
  await waitAgentGone();
});

afterAll(async () => {
  if (!member) return;
  const kc = member.kubeConfig();
  await orUndefined(() =>
    kc.makeApiClient(AppsV1Api).deleteNamespacedDeployment({ namespace: 'default', name: 'not-gridfeds' }),
  );
  await orUndefined(() => kc.makeApiClient(CoreV1Api).deleteNamespace({ name: 'cli-e2e-users-own' }));
});

describe('gridfed register: failures leave nothing half-made', () => {
  it('a context the member kubeconfig lacks is refused, naming the contexts it has, before anything changes', async () => {
    const result = await gridfed(...registerArgs('--context', 'no-such-context'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`has no context "no-such-context" (it has: ${MEMBER})`);
    expect(await registration()).toEqual({});
    expect(await agentObjects()).toEqual({});
  });

  it.each([
    ['a port fetch refuses', async () => ({ server: 'https://127.0.0.1:1', close: () => undefined })],
    ['a closed port', async () => ({ server: `https://127.0.0.1:${await freePort()}`, close: () => undefined })],
    [
      'an apiserver that accepts and never answers',
      async () => {
        const { server, port } = await silentServer();
        return { server: `https://127.0.0.1:${port}`, close: () => server.close() };
      },
    ],
  ])('an unreachable member (%s) fails within seconds, naming the server', async (_case, start) => {
    const { server, close } = await start();
    try {
      const kubeconfig = kubeconfigWithServer('unreachable.kubeconfig', server);
      const started = Date.now();
      const result = await gridfed('register', MEMBER, '--kubeconfig', kubeconfig);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`member ${MEMBER} at ${server} is not reachable`);
    } finally {
      close();
    }
    expect(await registration()).toEqual({});
    expect(await agentObjects()).toEqual({});
  });

  it('a failure after the member was changed undoes the member objects this run created', async () => {
    // An identity that may read MemberClusters and Secrets but create nothing: register gets
    // past its checks and the member install, then fails in the control cluster.
    const result = await gridfed(...registerArgs('--control-kubeconfig', await readOnlyControlKubeconfig()));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`created member ${MEMBER}: ClusterRole ${MEMBER_AGENT_CLUSTER_ROLE}`);
    expect(result.stderr).toMatch(/register member-1 failed: create control: .*forbidden/);
    expect(result.stderr).toContain('rolled back (deleted)');
    expect(await agentObjects()).toEqual({});
    expect(await registration()).toEqual({});
  });
});

describe('gridfed register, clusters, unregister', () => {
  let adminToken: string | undefined;

  it('registers the member: MemberCluster and Secret in control, agent in the member', async () => {
    adminToken = member.kubeConfig().getCurrentUser()?.token;
    const result = await gridfed(...registerArgs('--description', 'cli e2e'));
    expectSuccess(result);
    expect(result.stdout).toContain(`registered member cluster ${MEMBER}`);
    const mc = (await controlCustom().getClusterCustomObject({ ...MC, name: MEMBER })) as MemberCluster;
    expect(mc.spec).toEqual({
      secretRef: { name: SECRET, namespace: HUB_NS, key: 'kubeconfig' },
      description: 'cli e2e',
    });
    expect(Object.keys(await agentObjects()).sort()).toEqual([
      `ClusterRole ${MEMBER_AGENT_CLUSTER_ROLE}`,
      `ClusterRoleBinding ${MEMBER_AGENT_CLUSTER_ROLE}`,
      `Namespace ${MEMBER_AGENT_NAMESPACE}`,
      `Secret ${MEMBER_AGENT_TOKEN_SECRET}`,
      `ServiceAccount ${MEMBER_AGENT_SERVICE_ACCOUNT}`,
    ]);
  });

  it("stores a kubeconfig with the agent's token, never the admin's, and prints no credential", async () => {
    const { text, kc } = await storedKubeconfig();
    const token = kc.getCurrentUser()?.token;
    expect(adminToken).toBeTruthy();
    expect(token).toBeTruthy();
    expect(token).not.toBe(adminToken);
    expect(text).not.toContain(adminToken);
    expect(kc.getCurrentCluster()?.server).toBe(member.server);
    const again = await gridfed('clusters', '-o', 'yaml');
    expect(`${again.stdout}${again.stderr}`).not.toContain(token);
  });

  it('the stored kubeconfig lists nodes and creates Deployments in the member, but cannot read Secrets', async () => {
    const { kc } = await storedKubeconfig();
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual(['member-1-node-1', 'member-1-node-2']);
    await kc
      .makeApiClient(AppsV1Api)
      .createNamespacedDeployment({ namespace: 'default', body: deployment('made-by-hub', MANAGED) });
    const core = kc.makeApiClient(CoreV1Api);
    await expect(core.listSecretForAllNamespaces()).rejects.toMatchObject({ code: 403 });
    await expect(
      core.readNamespacedSecret({ namespace: MEMBER_AGENT_NAMESPACE, name: MEMBER_AGENT_TOKEN_SECRET }),
    ).rejects.toMatchObject({ code: 403 });
    await expect(kc.makeApiClient(RbacAuthorizationV1Api).listClusterRole()).rejects.toMatchObject({ code: 403 });
  });

  it('gridfed clusters lists the member, as a table and as JSON', async () => {
    const table = await gridfed('clusters');
    expectSuccess(table);
    const [header, ...rows] = table.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'REACHABLE', 'VERSION', 'NODEUNITS', 'OWNER', 'AGE']);
    expect(rows.map((r) => r.split(/\s+/)[0])).toContain(MEMBER);
    const json = await gridfed('clusters', '-o', 'json');
    expectSuccess(json);
    const list = JSON.parse(json.stdout) as { items: MemberCluster[] };
    expect(list.items.map((i) => i.metadata.name)).toContain(MEMBER);
  });

  it('registering the same name again fails and changes nothing', async () => {
    const [before, agentBefore] = [await registration(), await agentObjects()];
    const result = await gridfed(...registerArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`MemberCluster "${MEMBER}" already exists`);
    expect(await registration()).toEqual(before);
    expect(await agentObjects()).toEqual(agentBefore);
  });

  it('unregister removes what gridfed created in the member, keeps the rest, and removes the registration', async () => {
    const { kc: agent } = await storedKubeconfig();
    const agentCore = agent.makeApiClient(CoreV1Api);
    await agentCore.createNamespace({
      body: { metadata: { name: 'cli-e2e-hub-made', labels: { ...MANAGED, [CREATED_NAMESPACE_LABEL]: 'true' } } },
    });
    const admin = member.kubeConfig();
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'cli-e2e-users-own' } } });
    await admin
      .makeApiClient(AppsV1Api)
      .createNamespacedDeployment({ namespace: 'default', body: deployment('not-gridfeds', {}) });

    const result = await gridfed('unregister', MEMBER);
    expectSuccess(result);
    expect(await registration()).toEqual({});
    await waitAgentGone();
    const apps = admin.makeApiClient(AppsV1Api);
    const core = admin.makeApiClient(CoreV1Api);
    const deployments = (await apps.listNamespacedDeployment({ namespace: 'default' })).items.map(
      (d) => d.metadata?.name,
    );
    expect(deployments).toContain('not-gridfeds');
    expect(deployments).not.toContain('made-by-hub');
    await eventually(async () => {
      const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
      expect(names).toContain('cli-e2e-users-own');
      expect(names).not.toContain('cli-e2e-hub-made');
    }, 60_000);
  });

  it('an unknown name is a clear error', async () => {
    const result = await gridfed('unregister', MEMBER);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`MemberCluster "${MEMBER}" is not registered`);
  });

  it('unregister --orphan removes the registration and leaves the member untouched', async () => {
    expectSuccess(await gridfed(...registerArgs()));
    const { kc: agent } = await storedKubeconfig();
    await agent
      .makeApiClient(AppsV1Api)
      .createNamespacedDeployment({ namespace: 'default', body: deployment('orphaned', MANAGED) });
    const agentBefore = await agentObjects();
    expect(Object.keys(agentBefore)).toHaveLength(5);

    const result = await gridfed('unregister', MEMBER, '--orphan');
    expectSuccess(result);
    expect(await registration()).toEqual({});
    expect(await agentObjects()).toEqual(agentBefore);
    const apps = member.kubeConfig().makeApiClient(AppsV1Api);
    expect((await apps.readNamespacedDeployment({ namespace: 'default', name: 'orphaned' })).metadata?.name).toBe(
      'orphaned',
    );
  });

  it('an orphaned member registers again, reusing its agent', async () => {
    const agentBefore = await agentObjects();
    const result = await gridfed(...registerArgs());
    expectSuccess(result);
    expect(result.stdout).toContain(`ClusterRole ${MEMBER_AGENT_CLUSTER_ROLE} already exists: kept`);
    expect(await agentObjects()).toEqual(agentBefore);
  });

  it("an older gridfed's agent ClusterRole (one right fewer) is granted this version's rules, not refused", async () => {
    expectSuccess(await gridfed('unregister', MEMBER, '--orphan'));
    const rbac = member.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    const name = MEMBER_AGENT_CLUSTER_ROLE;
    const role = await rbac.readClusterRole({ name });
    const current = structuredClone(role.rules);
    const older = (role.rules ?? []).map((r) =>
      r.resources?.includes('configmaps') ? { ...r, verbs: r.verbs.filter((v) => v !== 'watch') } : r,
    );
    expect(older).not.toEqual(current);
    await rbac.replaceClusterRole({ name, body: { ...role, rules: older } });

    const result = await gridfed(...registerArgs());
    expectSuccess(result);
    expect(result.stdout).toContain(`ClusterRole ${name} had an older gridfed's rules: granted this version's`);
    const after = await rbac.readClusterRole({ name });
    expect(after.rules).toEqual(current);
    expect(after.metadata?.uid).toBe(role.metadata?.uid);
  });

  it('register right after unregister waits for the old agent to go and installs a new one that stays', async () => {
    const agentBefore = await agentObjects();
    expectSuccess(await gridfed('unregister', MEMBER));
    expectSuccess(await gridfed(...registerArgs()));
    const metadata = await agentMetadata();
    const role = metadata[`ClusterRole ${MEMBER_AGENT_CLUSTER_ROLE}`];
    expect(Object.keys(metadata)).toHaveLength(5);
    for (const [what, meta] of Object.entries(metadata)) {
      expect([what, meta.uid]).not.toEqual([what, agentBefore[what]]);
      expect(meta.deletionTimestamp).toBeUndefined();
      if (meta !== role) expect([what, meta.ownerReferences?.map((r) => r.uid)]).toEqual([what, [role?.uid]]);
    }
    // Nothing the garbage collector still had to remove was kept: the agent works a while later.
    await new Promise((done) => setTimeout(done, 3000));
    const { kc } = await storedKubeconfig();
    expect((await kc.makeApiClient(CoreV1Api).listNode()).items).toHaveLength(2);
  });

  it('a last unregister leaves the member as gridfed found it', async () => {
    expectSuccess(await gridfed('unregister', MEMBER));
    await waitAgentGone();
    const apps = member.kubeConfig().makeApiClient(AppsV1Api);
    await expect(apps.readNamespacedDeployment({ namespace: 'default', name: 'orphaned' })).rejects.toMatchObject({
      code: 404,
    });
    expect(await registration()).toEqual({});
  });
});
