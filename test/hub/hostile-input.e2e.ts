// Issue 13, "Hostile and bad input": every row of bad-input-table.ts against the real fleet
// and a real hub. Each row makes its bad input, waits for the clear error where the table
// says it shows (naming the object and the field), and then checks that nothing else was
// disturbed: the healthy grid's member Deployments keep their resourceVersion and
// generation, and the hub keeps running and ready. No message may carry a member token.
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CustomObjectsApi, type V1Deployment } from '@kubernetes/client-node';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import {
  GRID_GROUP,
  GRID_VERSION,
  GRIDFED_API_VERSION,
  GRIDFED_GROUP,
  GRIDFED_VERSION,
  type AnyGrid,
  type DeploymentGrid,
} from '#gridfed/grid-api';
import {
  KUBECONFIG_SECRET_KEY,
  MEMBER_CLUSTER_PLURAL,
  REACHABLE_CONDITION,
  memberSecretName,
  type MemberCluster,
} from '#gridfed/cluster-registry';
import { describeError } from '#gridfed/kube';
import { eventually } from '../cluster/jest/eventually.js';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import {
  BAD_INPUT,
  LONG_NODE_UNIT,
  LONG_SERVICE_GRID,
  LONG_STATEFULSET_GRID,
  type BadInputRow,
} from './bad-input-table.js';
import { apps, core, ensureNamespace, example, hubSuite } from './fixtures.js';

const NS = 'hostile-input';
const HUB_NS = 'gridfed-system';
const CLI = resolve('dist/apps/cli/src/main.js');
const run = promisify(execFile);

const healthy = example('deploymentgrid-fed.yaml', NS, 'healthy') as DeploymentGrid;
const suite = hubSuite('hub-hostile-input', NS, {
  setUp: async (s) => {
    await s.grids.create(healthy);
  },
  tearDown: async (s) => {
    await s.grids.delete(healthy).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(healthy)).toBe(false), 60_000).catch(() => undefined);
  },
});

/** Undone after each row, last first. */
const cleanups: (() => Promise<unknown>)[] = [];
const later = (undo: () => Promise<unknown>): void => void cleanups.push(undo);
let workDir: string;
/** The member-1 agent's kubeconfig (as registered), the base of every hostile one. */
let agentKubeconfig: Record<string, unknown>;
let agentToken: string;
let baseline: Record<string, string>;

type Doc = Record<string, unknown>;

/** The mapping at `keys` below `doc` (list items by index), for editing manifests. */
const at = (doc: unknown, ...keys: (string | number)[]): Doc =>
  keys.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], doc) as Doc;
const list = (doc: unknown, key: string): Doc[] => at(doc)[key] as Doc[];

// ---------------------------------------------------------------- reading the fleet

const custom = (c: LocalCluster) => c.kubeConfig().makeApiClient(CustomObjectsApi);

/** The healthy grid's member Deployments: name -> resourceVersion/generation. */
async function healthyWorkloads(): Promise<Record<string, string>> {
  const read = async (c: LocalCluster, name: string) => {
    const d = await apps(c).readNamespacedDeployment({ namespace: NS, name });
    return `${d.metadata?.resourceVersion}/${d.metadata?.generation}`;
  };
  return {
    'healthy-zone1': await read(suite.fleet.member1, 'healthy-zone1'),
    'healthy-zone2': await read(suite.fleet.member2, 'healthy-zone2'),
  };
}

async function gridEvents(name: string): Promise<string> {
  const list = await core(suite.fleet.control).listNamespacedEvent({
    namespace: NS,
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items.map((e) => `${e.reason}: ${e.message}`).join('\n');
}

async function gridConditions(grid: AnyGrid): Promise<string> {
  const live = await suite.grids.get(grid);
  return (live.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`).join('\n');
}

const MC = { group: GRIDFED_GROUP, version: GRIDFED_VERSION, plural: MEMBER_CLUSTER_PLURAL };

async function memberCondition(name: string): Promise<string> {
  const mc = (await custom(suite.fleet.control).getClusterCustomObject({ ...MC, name })) as MemberCluster;
  const c = mc.status?.conditions?.find((x) => x.type === REACHABLE_CONDITION);
  return c ? `${c.status} ${c.reason}: ${c.message}` : '';
}

/**
 * The MemberCluster's refusal, then (once it is there, and a little later, so that anything
 * the hub might still do has had time) `check` on what the hostile input could have touched.
 */
function memberConditionThen(name: string, check: (text: string) => void): () => Promise<string> {
  return async () => {
    const text = await memberCondition(name);
    if (text) {
      await sleep(3000);
      check(text);
    }
    return text;
  };
}

// ---------------------------------------------------------------- making bad input

/** The seed's fed example as `name`, edited. */
function fedGrid(name: string, edit: (spec: Doc) => void = () => undefined): DeploymentGrid {
  const grid = example('deploymentgrid-fed.yaml', NS, name) as DeploymentGrid;
  edit(grid.spec as unknown as Doc);
  return grid;
}

/** Creates a grid the hub should refuse; deleted after the row. */
async function createGrid(grid: AnyGrid): Promise<void> {
  await suite.grids.create(grid);
  later(async () => {
    await suite.grids.delete(grid).catch(() => undefined);
    await eventually(async () => expect(await suite.grids.exists(grid)).toBe(false), 60_000);
  });
}

/** What the control apiserver says when it refuses `grid` (the row fails if it accepts it). */
async function refusal(grid: AnyGrid, fieldValidation?: string): Promise<string> {
  try {
    await custom(suite.fleet.control).createNamespacedCustomObject({
      group: GRID_GROUP,
      version: GRID_VERSION,
      plural: `${grid.kind.toLowerCase()}s`,
      namespace: NS,
      body: grid,
      ...(fieldValidation ? { fieldValidation } : {}),
    });
  } catch (err) {
    return describeError(err);
  }
  later(() => suite.grids.delete(grid).catch(() => undefined));
  return `the control apiserver accepted ${grid.kind} ${grid.metadata.name}`;
}

/** A node with `labels` in `member` for this row only. */
async function node(member: LocalCluster, name: string, labels: Record<string, string>): Promise<void> {
  await member.addNode({ name, labels });
  later(() => member.deleteNode(name).catch(() => undefined));
}

/** The member-1 agent kubeconfig, edited, as the Secret of a new MemberCluster `hostile-<id>`. */
async function hostileMember(id: string, edit: (doc: Doc) => void, raw?: string): Promise<string> {
  const name = `hostile-${id}`;
  const doc = structuredClone(agentKubeconfig) as Doc;
  edit(doc);
  await storeMember(name, { [KUBECONFIG_SECRET_KEY]: raw ?? stringify(doc) });
  return name;
}

async function storeMember(name: string, data: Record<string, string> | undefined): Promise<void> {
  const secret = memberSecretName(name);
  if (data) {
    const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    await core(suite.fleet.control).createNamespacedSecret({
      namespace: HUB_NS,
      body: { metadata: { name: secret, namespace: HUB_NS }, data: encoded },
    });
    later(() => core(suite.fleet.control).deleteNamespacedSecret({ namespace: HUB_NS, name: secret }));
  }
  await custom(suite.fleet.control).createClusterCustomObject({
    ...MC,
    body: {
      apiVersion: GRIDFED_API_VERSION,
      kind: 'MemberCluster',
      metadata: { name },
      spec: { secretRef: { name: secret, namespace: HUB_NS, key: KUBECONFIG_SECRET_KEY } },
    },
  });
  later(() => custom(suite.fleet.control).deleteClusterCustomObject({ ...MC, name }));
}

const user = (doc: unknown): Doc => at(doc, 'users', 0, 'user');
const cluster = (doc: unknown): Doc => at(doc, 'clusters', 0, 'cluster');

/**
 * A named pipe at `path` with a writer waiting on it: the writer touches `<path>.opened`
 * once anything opens the pipe to read. Proves a file path in a kubeconfig is never read.
 */
function watchedPath(name: string): { path: string; wasRead: () => boolean } {
  const path = join(workDir, name);
  rmSync(path, { force: true });
  rmSync(`${path}.opened`, { force: true });
  execFileSync('mkfifo', [path]);
  const writer: ChildProcess = spawn('sh', ['-c', 'echo x > "$1" && touch "$1.opened"', 'sh', path], {
    stdio: 'ignore',
  });
  later(async () => {
    writer.kill();
    rmSync(path, { force: true });
  });
  return { path, wasRead: () => existsSync(`${path}.opened`) };
}

/** A TCP listener that counts connections: a proxy or plain-http server nothing may reach. */
async function listener(): Promise<{ port: number; connections: () => number }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  later(() => new Promise((r) => server.close(r)));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, connections: () => count };
}

async function http(method: string, path: string, body?: string): Promise<string> {
  const res = await fetch(`${suite.hub.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  // No stack trace, whatever the answer.
  expect(text).not.toMatch(/\n\s+at |node_modules|\.js:\d+/);
  const json = JSON.parse(text) as { message?: string | string[]; errors?: { path: string; message: string }[] };
  const errors = json.errors?.map((e) => `${e.path} ${e.message}`) ?? [];
  const message = [json.message ?? []].flat();
  return `${res.status}: ${[...message, ...errors].join('; ')}`;
}

async function cli(...args: string[]): Promise<string> {
  try {
    await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, KUBECONFIG: suite.fleet.control.kubeconfigPath },
      timeout: 60_000,
    });
    return `gridfed ${args[0]} succeeded`;
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string };
    return `exit ${String(e.code)}: ${e.stderr ?? ''}`;
  }
}

/** A copy of member-1's admin kubeconfig with `edit` applied, as a file. */
function adminKubeconfigFile(name: string, edit: (doc: Doc) => void): string {
  const doc = parse(readFileSync(suite.fleet.member1.kubeconfigPath, 'utf8')) as Doc;
  edit(doc);
  const path = join(workDir, name);
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}

// ---------------------------------------------------------------- the rows

/** Each row: make the bad input, then return how to read the place its error shows. */
type Case = () => Promise<() => Promise<string>>;

/** What gridfed would change in an object it does not own: spec, labels, annotations, field managers. */
const untouched = (d: V1Deployment) => ({
  uid: d.metadata?.uid,
  generation: d.metadata?.generation,
  labels: d.metadata?.labels,
  annotations: d.metadata?.annotations,
  managers: (d.metadata?.managedFields ?? [])
    .map((f) => `${f.manager}/${f.operation}/${f.subresource ?? ''}`)
    .filter((m) => !m.endsWith('/status')),
  spec: d.spec,
});

const conditionsOf = (grid: AnyGrid) => async () => gridConditions(grid);
const eventsOf = (name: string) => async () => gridEvents(name);

const CASES: Record<string, Case> = {
  'uppercase-name': async () => {
    const text = await refusal(fedGrid('Web'));
    return async () => text;
  },
  'statefulset-name-too-long': async () => {
    const grid = example('statefulsetgrid.yaml', NS, LONG_STATEFULSET_GRID);
    grid.metadata.labels = { 'superedge.io/fed': 'yes' };
    await createGrid(grid);
    return eventsOf(LONG_STATEFULSET_GRID);
  },
  'service-name-too-long': async () => {
    await createGrid(example('servicegrid-fed.yaml', NS, LONG_SERVICE_GRID));
    return eventsOf(LONG_SERVICE_GRID);
  },
  'missing-pool-entry': async () => {
    await createGrid(fedGrid('no-pool', (spec) => (at(spec, 'templates')['zone1'] = 'canary')));
    return eventsOf('no-pool');
  },
  'templates-key-invalid': async () => {
    await createGrid(fedGrid('bad-key', (spec) => (at(spec, 'templates')['bad unit!'] = 'test1')));
    return eventsOf('bad-key');
  },
  'replicas-string': async () => {
    await createGrid(fedGrid('text-replicas', (spec) => (at(spec, 'templatePool', 'test1')['replicas'] = 'three')));
    return eventsOf('text-replicas');
  },
  'schema-type': async () => {
    const text = await refusal(fedGrid('typed', (spec) => (at(spec, 'templates')['zone1'] = 5)));
    return async () => text;
  },
  'unknown-spec-field': async () => {
    const grid = fedGrid('extra-field', (spec) => (spec['replica'] = 3));
    const text = await refusal(grid, 'Strict');
    // Without strict validation (kubectl's --validate=false) the apiserver prunes it: it never reaches the hub.
    await createGrid(grid);
    expect((await suite.grids.get(grid)).spec).not.toHaveProperty('replica');
    return async () => text;
  },
  'unknown-template-field': async () => {
    const grid = fedGrid('typo', (spec) => {
      at(spec, 'templatePool', 'test1', 'template', 'spec', 'containers', 0)['imagePullPolicyy'] = 'Always';
    });
    await createGrid(grid);
    return conditionsOf(grid);
  },
  'no-node-unit': async () => {
    const grid = fedGrid('nowhere', (spec) => (spec['gridUniqKey'] = 'no-such-key'));
    await createGrid(grid);
    return conditionsOf(grid);
  },
  'member-rejects-template': async () => {
    const grid = fedGrid('rejected', (spec) => {
      at(spec, 'templatePool', 'test1', 'template', 'spec', 'containers', 0)['name'] = 'Echo_1';
    });
    await createGrid(grid);
    return conditionsOf(grid);
  },
  'pod-label-invalid': async () => {
    const grid = fedGrid('bad-label', (spec) => {
      at(spec, 'templatePool', 'test1', 'template', 'metadata', 'labels')['hostile'] = 'bad value!';
    });
    await createGrid(grid);
    return conditionsOf(grid);
  },
  'huge-template': async () => {
    const grid = fedGrid('huge', (spec) => {
      at(spec, 'templatePool', 'test1', 'template', 'metadata')['annotations'] = { blob: 'x'.repeat(300 * 1024) };
    });
    await createGrid(grid);
    return conditionsOf(grid);
  },
  'large-grid': async () => {
    const grid = fedGrid('large', (spec) => {
      const container = at(spec, 'templatePool', 'test1', 'template', 'spec', 'containers', 0);
      container['env'] = [{ name: 'BLOB', value: 'x'.repeat(1024 * 1024) }];
    });
    await createGrid(grid);
    return conditionsOf(grid);
  },
  'over-size-limit': async () => {
    const grid = fedGrid('gigantic', (spec) => {
      at(spec, 'template', 'template', 'metadata')['annotations'] = { blob: 'x'.repeat(2 * 1024 * 1024) };
    });
    const text = await refusal(grid);
    return async () => text;
  },
  'foreign-object': async () => {
    const member = suite.fleet.member1;
    await ensureNamespace(member.kubeConfig(), NS);
    const foreign: V1Deployment = {
      metadata: { name: 'foreign-zone1', namespace: NS, labels: { team: 'theirs' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'theirs' } },
        template: { metadata: { labels: { app: 'theirs' } }, spec: { containers: [{ name: 'c', image: 'theirs:1' }] } },
      },
    };
    await apps(member).createNamespacedDeployment({ namespace: NS, body: foreign });
    const readForeign = () => apps(member).readNamespacedDeployment({ namespace: NS, name: 'foreign-zone1' });
    // Settled first: the member's Deployment controller adds its revision annotation.
    const before = await eventually(async () => {
      const live = await readForeign();
      expect(live.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBeDefined();
      return untouched(live);
    }, 30_000);
    later(() => apps(member).deleteNamespacedDeployment({ namespace: NS, name: 'foreign-zone1' }));
    const grid = fedGrid('foreign');
    await createGrid(grid);
    return async () => {
      const text = await gridEvents('foreign');
      if (!text.includes('Conflict')) return text;
      expect(await gridConditions(grid)).toContain('NoConflicts=False UnownedObjectInTheWay');
      // Untouched while the grid exists, and still there once it is deleted.
      // (Its resourceVersion moves with the status the member's controllers write; spec and metadata do not.)
      expect(untouched(await readForeign())).toEqual(before);
      await suite.grids.delete(grid);
      await eventually(async () => expect(await suite.grids.exists(grid)).toBe(false), 60_000);
      expect(untouched(await readForeign())).toEqual(before);
      return text;
    };
  },
  'nodeunit-not-dns-label': async () => {
    await node(suite.fleet.member2, 'hostile-odd', { 'hostile-zone': 'Rack_7' });
    const grid = fedGrid('odd', (spec) => {
      spec['gridUniqKey'] = 'hostile-zone';
      delete spec['templates'];
    });
    await createGrid(grid);
    return async () => {
      const state = (await suite.grids.get(grid)).status?.states?.['Rack_7'];
      const names = (await apps(suite.fleet.member2).listNamespacedDeployment({ namespace: NS })).items
        .map((d) => d.metadata?.name ?? '')
        .filter((n) => n.startsWith('odd-'));
      return state && names.length === 1 ? `states.Rack_7 is Deployment ${NS}/${names[0]}` : 'not yet';
    };
  },
  'nodeunit-too-long': async () => {
    await node(suite.fleet.member2, 'hostile-long', { 'hostile-rack': LONG_NODE_UNIT });
    const grid = example('statefulsetgrid.yaml', NS, 'tiny');
    grid.metadata.labels = { 'superedge.io/fed': 'yes' };
    grid.spec.gridUniqKey = 'hostile-rack';
    await createGrid(grid);
    return eventsOf('tiny');
  },
  'kubeconfig-exec': async () => {
    const marker = join(workDir, 'exec-ran');
    rmSync(marker, { force: true });
    const name = await hostileMember('exec', (doc) => {
      delete user(doc)['token'];
      user(doc)['exec'] = {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: '/bin/sh',
        args: [
          '-c',
          `touch ${marker}; echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}'`,
        ],
        interactiveMode: 'Never',
      };
    });
    return async () => {
      const text = await memberCondition(name);
      if (text) {
        await sleep(3000); // a probe would have run the plugin by now
        expect(existsSync(marker)).toBe(false);
      }
      return text;
    };
  },
  'kubeconfig-auth-provider': async () => {
    const name = await hostileMember('auth-provider', (doc) => {
      delete user(doc)['token'];
      user(doc)['auth-provider'] = { name: 'oidc', config: { 'idp-issuer-url': 'https://127.0.0.1:1' } };
    });
    return async () => memberCondition(name);
  },
  'kubeconfig-token-file': async () => {
    const file = watchedPath('token-file');
    const name = await hostileMember('token-file', (doc) => {
      delete user(doc)['token'];
      user(doc)['token-file'] = file.path;
    });
    return memberConditionThen(name, () => {
      expect(file.wasRead()).toBe(false);
    });
  },
  'kubeconfig-client-cert-file': async () => {
    const [cert, key] = [watchedPath('client.crt'), watchedPath('client.key')];
    const name = await hostileMember('cert-file', (doc) => {
      delete user(doc)['token'];
      user(doc)['client-certificate'] = cert.path;
      user(doc)['client-key'] = key.path;
    });
    return memberConditionThen(name, (text) => {
      expect([cert.wasRead(), key.wasRead()]).toEqual([false, false]);
      expect(text).toContain('users[0].user.client-key is a file path');
    });
  },
  'kubeconfig-ca-file': async () => {
    const ca = watchedPath('ca.crt');
    const name = await hostileMember('ca-file', (doc) => {
      delete cluster(doc)['certificate-authority-data'];
      cluster(doc)['certificate-authority'] = ca.path;
    });
    return memberConditionThen(name, () => {
      expect(ca.wasRead()).toBe(false);
    });
  },
  'kubeconfig-proxy': async () => {
    const proxy = await listener();
    const name = await hostileMember('proxy', (doc) => {
      cluster(doc)['proxy-url'] = `http://127.0.0.1:${proxy.port}`;
    });
    return memberConditionThen(name, () => {
      expect(proxy.connections()).toBe(0);
    });
  },
  'kubeconfig-insecure': async () => {
    const name = await hostileMember('insecure', (doc) => {
      delete cluster(doc)['certificate-authority-data'];
      cluster(doc)['insecure-skip-tls-verify'] = true;
    });
    return async () => memberCondition(name);
  },
  'kubeconfig-two-clusters': async () => {
    const elsewhere = await listener();
    const name = await hostileMember('two-clusters', (doc) => {
      list(doc, 'clusters').push({ name: 'elsewhere', cluster: { server: `https://127.0.0.1:${elsewhere.port}` } });
      list(doc, 'contexts').push({
        name: 'elsewhere',
        context: { cluster: 'elsewhere', user: at(doc, 'users', 0)['name'] },
      });
      doc['current-context'] = 'elsewhere';
    });
    return memberConditionThen(name, (text) => {
      expect(elsewhere.connections()).toBe(0);
      expect(text).toContain('contexts must have exactly one entry (it has 2 entries)');
    });
  },
  'kubeconfig-http': async () => {
    const plain = await listener();
    const name = await hostileMember('http', (doc) => {
      cluster(doc)['server'] = `http://127.0.0.1:${plain.port}`;
    });
    return memberConditionThen(name, () => {
      expect(plain.connections()).toBe(0);
    });
  },
  'kubeconfig-malformed': async () => {
    const name = await hostileMember('malformed', () => undefined, `users: [\n  token: ${agentToken}\n  : : :`);
    return async () => memberCondition(name);
  },
  'secret-no-key': async () => {
    await storeMember('hostile-no-key', { config: stringify(agentKubeconfig) });
    return async () => memberCondition('hostile-no-key');
  },
  'secret-missing': async () => {
    await storeMember('hostile-no-secret', undefined);
    return async () => memberCondition('hostile-no-secret');
  },
  'secret-other-namespace': async () => {
    const name = 'hostile-other-ns';
    await custom(suite.fleet.control).createClusterCustomObject({
      ...MC,
      body: {
        apiVersion: GRIDFED_API_VERSION,
        kind: 'MemberCluster',
        metadata: { name },
        spec: { secretRef: { name: 'anything', namespace: 'kube-system', key: KUBECONFIG_SECRET_KEY } },
      },
    });
    later(() => custom(suite.fleet.control).deleteClusterCustomObject({ ...MC, name }));
    return async () => memberCondition(name);
  },
  'api-bad-json': async () => {
    const text = await http('POST', '/api/diff', '{"apiVersion": "superedge.io/v1", kind: }');
    return async () => text;
  },
  'api-oversize': async () => {
    const text = await http('POST', '/api/diff', JSON.stringify({ blob: 'x'.repeat(3 * 1024 * 1024) }));
    return async () => text;
  },
  'api-invalid-grid': async () => {
    const grid = fedGrid('preview');
    delete at(grid, 'spec')['gridUniqKey'];
    const text = await http('POST', '/api/diff', JSON.stringify(grid));
    return async () => text;
  },
  'api-traversal': async () => {
    const text = await http('GET', '/api/grids/DeploymentGrid/..%2F..%2Fetc/passwd');
    return async () => text;
  },
  'api-bad-name': async () => {
    const text = await http('GET', '/api/grids/DeploymentGrid/default/Not_A_Name');
    return async () => text;
  },
  'api-bad-kind': async () => {
    const text = await http('GET', '/api/grids?kind=Pod');
    return async () => text;
  },
  'api-unknown-query': async () => {
    const text = await http('GET', '/api/grids?foo=bar');
    return async () => text;
  },
  'cli-bad-name': async () => {
    const text = await cli('register', 'Edge_1', '--kubeconfig', suite.fleet.member1.kubeconfigPath);
    return async () => text;
  },
  'cli-malformed-kubeconfig': async () => {
    const path = join(workDir, 'malformed.kubeconfig');
    writeFileSync(path, `clusters: [\n  token: ${agentToken}\n  : : :`, { mode: 0o600 });
    const text = await cli('register', 'hostile-cli', '--kubeconfig', path);
    return async () => text;
  },
  'cli-missing-kubeconfig': async () => {
    const text = await cli('register', 'hostile-cli', '--kubeconfig', join(workDir, 'no-such.kubeconfig'));
    return async () => text;
  },
  'cli-proxy': async () => {
    const path = adminKubeconfigFile('proxy.kubeconfig', (doc) => {
      cluster(doc)['proxy-url'] = 'http://127.0.0.1:1';
    });
    const text = await cli('register', 'hostile-cli', '--kubeconfig', path);
    return async () => text;
  },
};

// ---------------------------------------------------------------- the table

beforeAll(async () => {
  workDir = join(testFleetRoot(), 'hostile-input');
  mkdirSync(workDir, { recursive: true });
  const secret = await core(suite.fleet.control).readNamespacedSecret({
    namespace: HUB_NS,
    name: memberSecretName('member-1'),
  });
  const text = Buffer.from(secret.data?.[KUBECONFIG_SECRET_KEY] ?? '', 'base64').toString('utf8');
  agentKubeconfig = parse(text) as Record<string, unknown>;
  agentToken = String(user(agentKubeconfig)['token']);
  expect(agentToken).toBeTruthy();
  // The healthy grid runs everywhere and is settled before any bad input arrives.
  await eventually(async () => {
    for (const [c, name] of [
      [suite.fleet.member1, 'healthy-zone1'],
      [suite.fleet.member2, 'healthy-zone2'],
    ] as const) {
      const d = await apps(c).readNamespacedDeployment({ namespace: NS, name });
      expect(d.status?.readyReplicas).toBe(d.spec?.replicas);
      expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
    }
  }, 120_000);
  await sleep(2000);
  baseline = await healthyWorkloads();
}, 180_000);

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => undefined);
}, 120_000);

describe('bad and hostile input', () => {
  it('has a case for every row of the table and a row for every case', () => {
    expect(Object.keys(CASES).sort()).toEqual(BAD_INPUT.map((r) => r.id).sort());
  });

  it.each(BAD_INPUT.map((r) => [r.id, r] as const))('%s', async (_id, row: BadInputRow) => {
    const observe = await CASES[row.id]!();
    const text = await eventually(async () => {
      const seen = await observe();
      expect(seen).toContain(row.fragment);
      return seen;
    }, 60_000);
    expect(text).not.toContain(agentToken);
    // One sentence, never a client's dump of the response (headers, body).
    expect(text).not.toMatch(/Headers: |HTTP-Code:/);
    // Nothing else disturbed: the healthy grid's member workloads as they were, the hub up and ready.
    expect(await healthyWorkloads()).toEqual(baseline);
    expect(suite.hub.pid).toBeDefined();
    expect((await fetch(`${suite.hub.url}/readyz`)).status).toBe(200);
  });

  it("the hub's log of all of it carries no member token and no dump of a response", () => {
    const log = readFileSync(join(testFleetRoot(), 'hub-hostile-input.log'), 'utf8');
    // JSON lines: the quotes in messages are escaped.
    expect(log).toContain('member hostile-exec: Secret gridfed-system/member-hostile-exec key');
    expect(log).toContain('users[0].user.exec is not allowed');
    expect(log).not.toContain(agentToken);
    expect(log).not.toMatch(/Headers: |HTTP-Code:/);
  });
});
