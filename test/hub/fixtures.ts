// What the hub e2e suites share: the fleet, a running hub, registered members,
// grids from deploy/examples, and polling reads of member objects.
import { afterAll, beforeAll } from '@jest/globals';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { execFile, execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import {
  GRID_GROUP,
  GRID_RESOURCES,
  GRID_VERSION,
  GRIDFED_GROUP,
  GRIDFED_VERSION,
  type AnyGrid,
} from '#gridfed/grid-api';
import { MEMBER_CLUSTER_PLURAL, REACHABLE_CONDITION, type MemberCluster } from '#gridfed/cluster-registry';
import { checkFleet } from '../cluster/jest/fleet-check.js';
import { fleetCluster, testFleetRoot } from '../cluster/jest/test-fleet.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { Cluster, Redis } from 'ioredis';
import { parseRedisUrl } from '#gridfed/distribution';
import { HubProcess } from '../../tools/local-hub/hub-process.js';
import { ensureNamespace } from '../../tools/local-hub/namespaces.js';
import { keepApiResponses } from '../security/api-responses.js';
import { noteHubState } from './hub-state-note.js';
import { recordFleetCredentials } from '../security/credentials.js';

export { ensureNamespace };

const run = promisify(execFile);

export interface Fleet {
  control: LocalCluster;
  member1: LocalCluster;
  member2: LocalCluster;
}

export async function openFleet(): Promise<Fleet> {
  const [control, member1, member2] = await Promise.all(['control', 'member-1', 'member-2'].map(fleetCluster));
  await checkFleet([control!, member1!, member2!]);
  return { control: control!, member1: member1!, member2: member2! };
}

/** Whether this test file's hubs use the Redis Cluster (the e2e-redis-cluster jest project). */
export const onRedisCluster = (): boolean => process.env['GRIDFED_TEST_REDIS'] === 'cluster';

/** The Redis the hubs of this test file use: the single redis-server, or the 3-master Redis Cluster. */
export function redisUrl(): string {
  const variable = onRedisCluster() ? 'GRIDFED_TEST_REDIS_CLUSTER_URL' : 'GRIDFED_TEST_REDIS_URL';
  const url = process.env[variable];
  if (!url) throw new Error(`${variable} is not set: the e2e global setup starts Redis`);
  return url;
}

/** A client of this test file's Redis (a Cluster client on the Redis Cluster). */
export function redisClient(): Redis | Cluster {
  const target = parseRedisUrl(redisUrl());
  return target.kind === 'single' ? new Redis(target.url) : new Cluster(target.seeds);
}

/** Empties the Redis of this test file (every master of a cluster). */
export async function flushRedis(): Promise<void> {
  const redis = redisClient();
  try {
    if (redis instanceof Redis) {
      await redis.flushall();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', resolve);
      redis.once('error', reject);
    });
    await Promise.all(redis.nodes('master').map((node) => node.flushall()));
  } finally {
    redis.disconnect();
  }
}

export function hubKubeconfig(): string {
  return join(testFleetRoot(), 'hub-kubeconfig');
}

export function startHub(name: string, env: Record<string, string> = {}): HubProcess {
  return new HubProcess({
    kubeconfig: hubKubeconfig(),
    redisUrl: redisUrl(),
    logFile: join(testFleetRoot(), `${name}${onRedisCluster() ? '-redis-cluster' : ''}.log`),
    env,
  });
}

/**
 * The sum of a metric on a hub's /metrics, over the samples whose labels contain `labels`
 * (e.g. `cluster="member-2"`); 0 when it has none. `token`: for a hub with HTTP_AUTH=kubernetes.
 */
export async function hubMetric(hubUrl: string, name: string, labels = '', token?: string): Promise<number> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const text = await (await fetch(`${hubUrl}/metrics`, { headers })).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)$`, 'gm'))]
    .filter((m) => (m[1] ?? '').includes(labels))
    .reduce((n, m) => n + Number(m[2]), 0);
}

/** The hub's requests to `cluster` so far, by verb and resource: `{ 'PATCH deployments': 3, ... }`. */
export async function hubRequestsTo(hubUrl: string, cluster: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${hubUrl}/metrics`)).text();
  const counts: Record<string, number> = {};
  const sample = /^gridfed_kube_requests_total\{cluster="([^"]*)",method="([^"]*)",resource="([^"]*)"\} (\S+)$/gm;
  for (const [, c, method, resource, value] of text.matchAll(sample))
    if (c === cluster) counts[`${method} ${resource}`] = Number(value);
  return counts;
}

const WRITE_VERBS = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** Of those, the requests that change something: create, replace, apply, delete. */
export function writesOf(requests: Record<string, number>): number {
  return Object.entries(requests)
    .filter(([key]) => WRITE_VERBS.includes(key.split(' ')[0] ?? ''))
    .reduce((n, [, value]) => n + value, 0);
}

/** Requests between two readings of hubRequestsTo, those that did not change left out. */
export function requestsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, value]) => [key, value - (before[key] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
}

export const hubWritesTo = async (hubUrl: string, cluster: string): Promise<number> =>
  writesOf(await hubRequestsTo(hubUrl, cluster));

/** The Reachable condition of a MemberCluster, as the hub last wrote it. */
export async function reachableCondition(fleet: Fleet, member: string) {
  const custom = fleet.control.kubeConfig().makeApiClient(CustomObjectsApi);
  const mc = (await custom.getClusterCustomObject({
    group: GRIDFED_GROUP,
    version: GRIDFED_VERSION,
    plural: MEMBER_CLUSTER_PLURAL,
    name: member,
  })) as MemberCluster;
  return mc.status?.conditions?.find((c) => c.type === REACHABLE_CONDITION);
}

/** The gridfed CLI as a user runs it (compiled by the global setup). */
export async function gridfed(fleet: Fleet, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [resolve('dist/apps/cli/src/main.js'), ...args], {
      env: { ...process.env, KUBECONFIG: fleet.control.kubeconfigPath },
    });
    return stdout;
  } catch (err) {
    throw new Error(`gridfed ${args.join(' ')}: ${(err as { stderr?: string }).stderr ?? String(err)}`, { cause: err });
  }
}

/** `args`: more flags of `gridfed register`, e.g. `--manage-nodes`. */
export async function registerMembers(fleet: Fleet, args: string[] = []): Promise<void> {
  for (const member of [fleet.member1, fleet.member2]) {
    await gridfed(fleet, 'register', member.name, '--kubeconfig', member.kubeconfigPath, ...args);
  }
}

export async function unregisterMembers(fleet: Fleet): Promise<void> {
  for (const member of [fleet.member1, fleet.member2]) {
    await gridfed(fleet, 'unregister', member.name).catch(() => undefined);
  }
}

/** A grid from deploy/examples, moved into `namespace` (and renamed if asked). */
export function example(file: string, namespace: string, name?: string): AnyGrid {
  const grid = parse(readFileSync(resolve('deploy/examples', file), 'utf8')) as AnyGrid;
  grid.metadata.namespace = namespace;
  if (name) grid.metadata.name = name;
  return grid;
}

export function gridApi(kc: KubeConfig) {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const target = (grid: AnyGrid) => ({
    group: GRID_GROUP,
    version: GRID_VERSION,
    plural: GRID_RESOURCES[grid.kind].plural,
    namespace: grid.metadata.namespace ?? 'default',
  });
  return {
    create: (grid: AnyGrid) => custom.createNamespacedCustomObject({ ...target(grid), body: grid }),
    get: async (grid: AnyGrid) =>
      (await custom.getNamespacedCustomObject({ ...target(grid), name: grid.metadata.name ?? '' })) as AnyGrid,
    replace: (grid: AnyGrid) =>
      custom.replaceNamespacedCustomObject({ ...target(grid), name: grid.metadata.name ?? '', body: grid }),
    /** Read-modify-write, again on 409: the hub writes grids too (finalizer, status). */
    update: async (grid: AnyGrid, mutate: (live: AnyGrid) => void): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        const name = grid.metadata.name ?? '';
        const live = (await custom.getNamespacedCustomObject({ ...target(grid), name })) as AnyGrid;
        mutate(live);
        try {
          await custom.replaceNamespacedCustomObject({ ...target(grid), name, body: live });
          return;
        } catch (err) {
          if ((err as { code?: number }).code !== 409 || attempt > 10) throw err;
        }
      }
    },
    delete: (grid: AnyGrid) => custom.deleteNamespacedCustomObject({ ...target(grid), name: grid.metadata.name ?? '' }),
    exists: async (grid: AnyGrid) => {
      try {
        await custom.getNamespacedCustomObject({ ...target(grid), name: grid.metadata.name ?? '' });
        return true;
      } catch {
        return false;
      }
    },
  };
}

export const apps = (c: LocalCluster) => c.kubeConfig().makeApiClient(AppsV1Api);
export const core = (c: LocalCluster) => c.kubeConfig().makeApiClient(CoreV1Api);

/** A Deployment in a cluster (a member's workload), undefined when it is not there. */
export function readDeployment(c: LocalCluster, namespace: string, name: string): Promise<V1Deployment | undefined> {
  return apps(c)
    .readNamespacedDeployment({ name, namespace })
    .catch(() => undefined);
}

export async function deploymentNames(c: LocalCluster, namespace: string): Promise<string[]> {
  return (await apps(c).listNamespacedDeployment({ namespace })).items.map((d) => d.metadata?.name ?? '').sort();
}

export interface HubSuite {
  fleet: Fleet;
  hub: HubProcess;
  grids: ReturnType<typeof gridApi>;
}

/**
 * One e2e file's hub: before the file, start a hub named `name`, register both members
 * and create `namespace` in the control cluster; after it, unregister (which removes what
 * the hub made in the members) and stop the hub. The handles are filled in by beforeAll.
 */
export interface HubSuiteOptions {
  flushRedis?: boolean;
  /** Environment of the hub process. */
  env?: Record<string, string>;
  /** More flags of `gridfed register` for both members, e.g. `--manage-nodes`. */
  registerArgs?: string[];
  /** After the members are registered. */
  setUp?: (suite: HubSuite) => Promise<void>;
  /** Before the members are unregistered (e.g. restart a killed apiserver). */
  tearDown?: (suite: HubSuite) => Promise<void>;
  /** Headers of the reads kept for the credential scan (a hub with HTTP_AUTH=kubernetes needs a token). */
  httpHeaders?: () => Record<string, string>;
}

export function hubSuite(name: string, namespace: string, options: HubSuiteOptions = {}): HubSuite {
  const suite = {} as HubSuite;
  beforeAll(async () => {
    suite.fleet = await openFleet();
    suite.grids = gridApi(suite.fleet.control.kubeConfig());
    if (options.flushRedis) await flushRedis();
    suite.hub = startHub(name, options.env);
    await suite.hub.start();
    await registerMembers(suite.fleet, options.registerArgs);
    await ensureNamespace(suite.fleet.control.kubeConfig(), namespace);
    await options.setUp?.(suite);
  }, 120_000);
  afterAll(async () => {
    // While its grids and members are there: the run's credential scan reads what it answered.
    if (suite.hub?.pid)
      await keepApiResponses(testFleetRoot(), suite.hub.url, options.httpHeaders?.()).catch((err: unknown) =>
        process.stderr.write(`${name}: API responses not kept for the credential scan: ${String(err)}\n`),
      );
    if (suite.hub?.pid) await noteHubState(name, suite.hub.url, options.httpHeaders?.()).catch(() => undefined);
    await options.tearDown?.(suite);
    // Before unregistering revokes them: the run's credential scan looks for these.
    await recordFleetCredentials(testFleetRoot());
    if (suite.fleet) await unregisterMembers(suite.fleet);
    await suite.hub?.stop();
  }, 120_000);
  return suite;
}

/** Debian's Chromium (installed by scripts/ensure-chromium.sh when missing), headless, for dashboard tests. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = execFileSync('bash', ['scripts/ensure-chromium.sh'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
