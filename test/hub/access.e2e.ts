// Access control of the hub's HTTP surface on the real control apiserver (HTTP_AUTH=kubernetes):
// bearer tokens of real ServiceAccounts (TokenRequest API), checked by TokenReview, and
// RBAC Roles and ClusterRoles answered by SubjectAccessReview. Health stays open, everything
// else is 401 without a valid token and 403 without the permission, with no data; lists
// show only what the requester may get or list; no token ever shows in a response or log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import {
  NODE_GROUP_RESOURCE,
  NODE_UNIT_RESOURCE,
  SITE_API_VERSION,
  SITE_GROUP,
  SITE_VERSION,
  type NodeGroup,
  type NodeUnit,
} from '#gridfed/site-api';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { eventually } from '../cluster/jest/eventually.js';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import { kubectl } from '../../tools/local-hub/kubectl.js';
import { recordCredentials } from '../security/credentials.js';
import { ensureNamespace, example, gridfed, hubMetric, hubSuite, launchBrowser, startHub } from './fixtures.js';

const NS_A = 'access-a';
const NS_B = 'access-b';
const gridA = example('deploymentgrid-fed.yaml', NS_A, 'web-a');
const gridB = example('deploymentgrid-fed.yaml', NS_B, 'web-b');
/** A NodeUnit of the control cluster (not fed: the hub only shows it). */
const SITE = 'access-site';
const siteTarget = { group: SITE_GROUP, version: SITE_VERSION, plural: NODE_UNIT_RESOURCE.plural };
const site: NodeUnit = {
  apiVersion: SITE_API_VERSION,
  kind: 'NodeUnit',
  metadata: { name: SITE },
  spec: { type: 'edge', selector: { matchLabels: { site: SITE } } },
};
/** A NodeGroup listing it (not fed either). */
const GROUP = 'access-group';
const groupTarget = { ...siteTarget, plural: NODE_GROUP_RESOURCE.plural };
const group: NodeGroup = {
  apiVersion: SITE_API_VERSION,
  kind: 'NodeGroup',
  metadata: { name: GROUP },
  spec: { nodeunits: [SITE] },
};
/** The ServiceAccounts whose tokens call the hub, all in NS_A. */
const ACCOUNTS = ['reader-a', 'viewer', 'metrics', 'nobody'] as const;
type Account = (typeof ACCOUNTS)[number];
const tokens = {} as Record<Account, string>;
const GARBAGE = 'not-a-token.x9Q2hZ7kLp';
/** Every token this file made, for the scan of responses and logs. */
const issued: string[] = [GARBAGE];

const suite = hubSuite('hub-access', NS_A, {
  env: { HTTP_AUTH: 'kubernetes', HTTP_AUTH_CACHE_SECONDS: '10' },
  setUp: async (s) => {
    const kc = s.fleet.control.kubeConfig();
    await ensureNamespace(kc, NS_B);
    await s.grids.create(gridA);
    await s.grids.create(gridB);
    await kc.makeApiClient(CustomObjectsApi).createClusterCustomObject({ ...siteTarget, body: site });
    await kc.makeApiClient(CustomObjectsApi).createClusterCustomObject({ ...groupTarget, body: group });
    await grantRoles(kc, s.fleet.control.kubeconfigPath);
    for (const account of ACCOUNTS) tokens[account] = await serviceAccountToken(kc, account);
  },
  // The run's credential scan reads what this hub answers the viewer (everything it shows).
  httpHeaders: () => ({ authorization: `Bearer ${tokens.viewer}` }),
  tearDown: async (s) => {
    await s.grids.delete(gridA).catch(() => undefined);
    await s.grids.delete(gridB).catch(() => undefined);
    await s.fleet.control
      .kubeConfig()
      .makeApiClient(CustomObjectsApi)
      .deleteClusterCustomObject({ ...siteTarget, name: SITE })
      .catch(() => undefined);
    await s.fleet.control
      .kubeConfig()
      .makeApiClient(CustomObjectsApi)
      .deleteClusterCustomObject({ ...groupTarget, name: GROUP })
      .catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(gridA)).toBe(false), 30_000).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(gridB)).toBe(false), 30_000).catch(() => undefined);
    await revokeRoles(s.fleet.control.kubeConfig());
  },
});

/**
 * reader-a: get/list grids in NS_A (a Role) and get MemberCluster member-1 by name;
 * viewer: the shipped gridfed:viewer ClusterRole; metrics: the shipped gridfed:metrics-reader;
 * nobody: a ServiceAccount with no binding.
 */
async function grantRoles(kc: KubeConfig, adminKubeconfig: string): Promise<void> {
  await kubectl(adminKubeconfig, 'apply', '--server-side', '-f', resolve('deploy/hub/access-roles.yaml'));
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  for (const name of ACCOUNTS)
    await core.createNamespacedServiceAccount({ namespace: NS_A, body: { metadata: { name } } }).catch(ignoreExists);
  const subject = (name: Account) => [{ kind: 'ServiceAccount', name, namespace: NS_A }];
  await rbac
    .createNamespacedRole({
      namespace: NS_A,
      body: {
        metadata: { name: 'grid-reader' },
        rules: [
          { apiGroups: ['superedge.io'], resources: ['deploymentgrids', 'servicegrids'], verbs: ['get', 'list'] },
        ],
      },
    })
    .catch(ignoreExists);
  await rbac
    .createNamespacedRoleBinding({
      namespace: NS_A,
      body: {
        metadata: { name: 'reader-a' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'grid-reader' },
        subjects: subject('reader-a'),
      },
    })
    .catch(ignoreExists);
  await rbac
    .createClusterRole({
      body: {
        metadata: { name: 'access-e2e:member-1' },
        rules: [
          { apiGroups: ['gridfed.io'], resources: ['memberclusters'], resourceNames: ['member-1'], verbs: ['get'] },
        ],
      },
    })
    .catch(ignoreExists);
  const bindings: [string, string, Account][] = [
    ['access-e2e:reader-a-member-1', 'access-e2e:member-1', 'reader-a'],
    ['access-e2e:viewer', 'gridfed:viewer', 'viewer'],
    ['access-e2e:metrics', 'gridfed:metrics-reader', 'metrics'],
  ];
  for (const [name, role, account] of bindings)
    await rbac
      .createClusterRoleBinding({
        body: {
          metadata: { name },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
          subjects: subject(account),
        },
      })
      .catch(ignoreExists);
}

async function revokeRoles(kc: KubeConfig): Promise<void> {
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  for (const name of ['access-e2e:reader-a-member-1', 'access-e2e:viewer', 'access-e2e:metrics'])
    await rbac.deleteClusterRoleBinding({ name }).catch(() => undefined);
  await rbac.deleteClusterRole({ name: 'access-e2e:member-1' }).catch(() => undefined);
}

function ignoreExists(err: unknown): void {
  if ((err as { code?: number }).code !== 409) throw err;
}

/** A short-lived token of the ServiceAccount, as `kubectl create token` makes it. */
async function serviceAccountToken(kc: KubeConfig, name: Account): Promise<string> {
  const request = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name,
    namespace: NS_A,
    body: { spec: { expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`no token for ServiceAccount ${NS_A}/${name}`);
  issued.push(token);
  recordCredentials(testFleetRoot(), [token]);
  return token;
}

interface Answer {
  status: number;
  body: string;
  headers: Headers;
}
/** Every body the hub answered in this file, scanned for tokens at the end. */
const bodies: string[] = [];

async function call(path: string, token?: string, init: RequestInit = {}): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  const res = await fetch(`${suite.hub.url}${path}`, { ...init, headers, signal: AbortSignal.timeout(15_000) });
  const body = await res.text();
  bodies.push(body);
  return { status: res.status, body, headers: res.headers };
}

const json = <T>(a: Answer): T => JSON.parse(a.body) as T;
const gridNames = (a: Answer) => json<{ namespace: string; name: string }[]>(a).map((g) => `${g.namespace}/${g.name}`);

/**
 * A refusal carries its status and a message, nothing else: no grid, member, NodeUnit or
 * metric, except the name of what was asked for (`asked`), which a 403 says it refuses.
 */
function expectNoData(a: Answer, status: number, asked?: string): void {
  expect(a.status).toBe(status);
  expect(Object.keys(json<object>(a)).sort()).toEqual(['error', 'message', 'statusCode']);
  for (const secret of [
    'web-a',
    'web-b',
    'member-1',
    'member-2',
    'gridfed_',
    'zone1',
    'openapi',
    'nodeUnits',
    SITE,
    GROUP,
  ])
    if (secret !== asked) expect(a.body).not.toContain(secret);
}

const PROTECTED = [
  '/api/grids',
  '/api/clusters',
  '/api/queues',
  `/api/grids/DeploymentGrid/${NS_A}/web-a`,
  '/api/nodeunits',
  `/api/nodeunits/${SITE}`,
  '/api/nodegroups',
  '/api/docs',
  '/api/openapi.json',
  '/queues',
  '/queues/api/queues',
  '/metrics',
  '/Metrics',
  '/no-such-page',
];

describe('without a valid token', () => {
  it.each(PROTECTED)('answers 401 with no data on %s when no token is sent', async (path) => {
    const a = await call(path);
    expectNoData(a, 401);
    expect(a.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each(PROTECTED)('answers 401 with no data on %s for a token the control cluster rejects', async (path) => {
    expectNoData(await call(path, GARBAGE), 401);
  });

  it('answers 401 to a POST of a grid manifest to /api/diff', async () => {
    expectNoData(await call('/api/diff', undefined, postJson(gridA)), 401);
  });

  it('answers 401 before it reads a body: a malformed one gets no parser error', async () => {
    const malformed = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind": ' };
    expectNoData(await call('/api/diff', undefined, malformed), 401);
  });
});

describe('open endpoints', () => {
  it.each(['/healthz', '/readyz'])('%s answers without a token', async (path) => {
    expect((await call(path)).status).toBe(200);
  });

  it('/dashboard serves its page, which holds no data, and its sign-in form', async () => {
    const a = await call('/dashboard');
    expect(a.status).toBe(200);
    expect(a.body).toContain('id="login"');
    for (const secret of ['web-a', 'member-1', NS_A]) expect(a.body).not.toContain(secret);
  });
});

describe('a ServiceAccount allowed to get and list grids in one namespace', () => {
  it('sees the grids of that namespace and not those of another', async () => {
    await eventually(async () =>
      expect(gridNames(await call('/api/grids', tokens['reader-a']))).toEqual([`${NS_A}/web-a`]),
    );
    expect(json<unknown[]>(await call(`/api/grids?namespace=${NS_B}`, tokens['reader-a']))).toEqual([]);
  });

  it('gets a grid of its namespace and is refused one of the other with 403 and no data', async () => {
    const own = await call(`/api/grids/DeploymentGrid/${NS_A}/web-a`, tokens['reader-a']);
    expect(own.status).toBe(200);
    expect(json<{ name: string }>(own).name).toBe('web-a');
    expectNoData(await call(`/api/grids/DeploymentGrid/${NS_B}/web-b`, tokens['reader-a']), 403, 'web-b');
    // 403 before 404: whether a grid exists is not told to one who may not get it.
    expectNoData(await call(`/api/grids/DeploymentGrid/${NS_B}/no-such-grid`, tokens['reader-a']), 403);
  });

  it('sees only the MemberCluster it may get, in the cluster list and the queue list', async () => {
    await eventually(async () =>
      expect(json<{ name: string }[]>(await call('/api/clusters', tokens['reader-a'])).map((c) => c.name)).toEqual([
        'member-1',
      ]),
    );
    expect(json<{ member: string }[]>(await call('/api/queues', tokens['reader-a'])).map((q) => q.member)).toEqual([
      'member-1',
    ]);
  });

  it('previews its own grid, showing only its members, and is refused the preview of the other', async () => {
    const own = await call('/api/diff', tokens['reader-a'], postJson(gridA));
    expect(own.status).toBe(200);
    expect(json<{ members: { cluster: string }[] }>(own).members.map((m) => m.cluster)).toEqual(['member-1']);
    expectNoData(await call('/api/diff', tokens['reader-a'], postJson(gridB)), 403, 'web-b');
  });

  it('reads the OpenAPI document (any authenticated requester) but not /metrics or /queues', async () => {
    expect((await call('/api/openapi.json', tokens['reader-a'])).status).toBe(200);
    expectNoData(await call('/metrics', tokens['reader-a']), 403);
    expectNoData(await call('/queues', tokens['reader-a']), 403);
  });
});

describe('NodeUnits and NodeGroups', () => {
  const siteNames = (a: Answer) => json<{ name: string }[]>(a).map((u) => u.name);

  it('are listed, and shown one by one, to a ServiceAccount bound to gridfed:viewer', async () => {
    await eventually(
      async () => expect(siteNames(await call('/api/nodeunits', tokens.viewer))).toContain(SITE),
      20_000,
    );
    const one = await call(`/api/nodeunits/${SITE}`, tokens.viewer);
    expect(one.status).toBe(200);
    expect(json<object>(one)).toMatchObject({ name: SITE, fed: false, members: [], nodesPerMember: [] });
    await eventually(
      async () => expect(siteNames(await call('/api/nodegroups', tokens.viewer))).toContain(GROUP),
      20_000,
    );
    const oneGroup = await call(`/api/nodegroups/${GROUP}`, tokens.viewer);
    expect(oneGroup.status).toBe(200);
    expect(json<object>(oneGroup)).toMatchObject({ name: GROUP, fed: false, workloads: [] });
  });

  it('are not shown to a token without a NodeUnit permission: empty lists, 403 with no data for one by name', async () => {
    for (const account of ['nobody', 'reader-a', 'metrics'] as const) {
      const list = await call('/api/nodeunits', tokens[account]);
      expect([list.status, json<unknown[]>(list)]).toEqual([200, []]);
      expect(json<unknown[]>(await call('/api/nodegroups', tokens[account]))).toEqual([]);
      expectNoData(await call(`/api/nodeunits/${SITE}`, tokens[account]), 403, SITE);
      expectNoData(await call(`/api/nodegroups/${GROUP}`, tokens[account]), 403, GROUP);
    }
    // Before the lookup: a NodeUnit that does not exist is refused the same way, not told missing.
    expectNoData(await call('/api/nodeunits/no-such-site', tokens.nobody), 403);
    expectNoData(await call('/api/nodegroups/no-such-group', tokens.nobody), 403);
  });
});

describe('/metrics (a non-resource SubjectAccessReview, as kube-rbac-proxy)', () => {
  it('refuses a ServiceAccount with no permission with 403 and no data', async () => {
    expectNoData(await call('/metrics', tokens.nobody), 403);
    expect(json<unknown[]>(await call('/api/grids', tokens.nobody))).toEqual([]);
    expect(json<unknown[]>(await call('/api/clusters', tokens.nobody))).toEqual([]);
  });

  it('serves a ServiceAccount bound to gridfed:metrics-reader, which sees no grid', async () => {
    const a = await call('/metrics', tokens.metrics);
    expect(a.status).toBe(200);
    expect(a.body).toContain('gridfed_kube_requests_total');
    expect(json<unknown[]>(await call('/api/grids', tokens.metrics))).toEqual([]);
  });

  it('reviews a polling requester once per cache period, not once per request', async () => {
    const reviews = (resource: string) =>
      hubMetric(suite.hub.url, 'gridfed_kube_requests_total', `resource="${resource}"`, tokens.metrics);
    await call('/api/grids', tokens.viewer);
    const [tokenReviews, accessReviews] = [await reviews('tokenreviews'), await reviews('subjectaccessreviews')];
    for (let i = 0; i < 20; i++) await call('/api/grids', tokens.viewer);
    // The metrics reader's own calls are cached too: at most one more TokenReview of its token.
    expect((await reviews('tokenreviews')) - tokenReviews).toBeLessThanOrEqual(1);
    expect((await reviews('subjectaccessreviews')) - accessReviews).toBeLessThanOrEqual(1);
  });
});

describe('the queue board (bull-board, read-only)', () => {
  it('is served to a requester allowed get on /queues', async () => {
    const page = await call('/queues', tokens.viewer);
    expect(page.status).toBe(200);
    expect(page.body).toContain('gridfed queues');
    const api = await call('/queues/api/queues', tokens.viewer);
    expect(api.status).toBe(200);
    expect(api.body).toContain('sync-member-1');
  });

  it('refuses every action that could change a queue, even to that requester', async () => {
    expectNoData(await call('/queues/api/queues/pause', tokens.viewer, { method: 'PUT' }), 403);
    expectNoData(await call('/queues/api/queues/sync-member-1/clean/failed', tokens.viewer, { method: 'PUT' }), 403);
    expectNoData(await call('/queues/api/queues/sync-member-1/add', tokens.viewer, postJson({ name: 'x' })), 403);
  });

  it('refuses a requester without the permission', async () => {
    expectNoData(await call('/queues', tokens.nobody), 403);
    expectNoData(await call('/queues/api/queues', tokens.nobody), 403);
  });
});

describe('a control apiserver that cannot answer', () => {
  it('gets 503 with no data for a token not yet reviewed; one reviewed within the cache period still works', async () => {
    const kc = suite.fleet.control.kubeConfig();
    const fresh = await serviceAccountToken(kc, 'viewer');
    expect((await call('/api/grids', tokens['reader-a'])).status).toBe(200);
    await suite.fleet.control.stopApiserver();
    try {
      expect(gridNames(await call('/api/grids', tokens['reader-a']))).toEqual([`${NS_A}/web-a`]);
      expectNoData(await call('/api/grids', fresh), 503);
    } finally {
      await suite.fleet.control.startApiserver();
      await suite.fleet.control.restartControllerManager();
    }
    expect((await call('/api/grids', fresh)).status).toBe(200);
  });
});

describe('the dashboard in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('asks for a token, then shows only what the signed-in ServiceAccount may see', async () => {
    const page = await browser.newPage();
    await page.goto(`${suite.hub.url}/dashboard`);
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.locator('td[data-grid]').count()).toBe(0);
    await page.screenshot({ path: '.gridfed/dashboard-sign-in.png' });
    await page.fill('#token', tokens['reader-a']);
    await page.click('#login button');
    await page.locator('td[data-grid="web-a"]').first().waitFor();
    await page.locator('[data-cluster="member-1"]').waitFor();
    expect(await page.locator('#login').isVisible()).toBe(false);
    expect(await page.locator('td[data-grid="web-b"]').count()).toBe(0);
    expect(await page.locator('[data-cluster="member-2"]').count()).toBe(0);
    expect(await page.locator('#nodeunits').innerText()).toBe('no NodeUnit');
    expect(await page.locator('#nodegroups').innerText()).toBe('no NodeGroup');
    await page.screenshot({ path: '.gridfed/dashboard-signed-in.png' });
    await page.click('#signout');
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.locator('td[data-grid]').count()).toBe(0);
    await page.close();
  });
});

describe('the CLI', () => {
  it('sends $GRIDFED_HUB_TOKEN to the hub, and says how to get a token when it has none', async () => {
    const status = () => gridfed(suite.fleet, 'status', 'dg', '-n', NS_A, '--hub', suite.hub.url, '-o', 'json');
    await expect(status()).rejects.toThrow(/HTTP 401 .*set GRIDFED_HUB_TOKEN/);
    process.env['GRIDFED_HUB_TOKEN'] = tokens['reader-a'];
    try {
      expect(JSON.parse(await status())).toMatchObject([{ namespace: NS_A, name: 'web-a' }]);
    } finally {
      delete process.env['GRIDFED_HUB_TOKEN'];
    }
  });
});

describe('credentials', () => {
  it('no token appears in any response body or in the hub log', () => {
    const log = readFileSync(join(testFleetRoot(), 'hub-access.log'), 'utf8');
    expect(bodies.length).toBeGreaterThan(50);
    expect(issued).toHaveLength(ACCOUNTS.length + 2);
    for (const token of issued) {
      expect(bodies.filter((b) => b.includes(token))).toEqual([]);
      expect(log.includes(token)).toBe(false);
    }
  });
});

describe('the no-authentication mode', () => {
  it('refuses to start on a non-loopback address, naming HTTP_AUTH and HTTP_HOST', async () => {
    const hub = startHub('hub-access-open', { HTTP_AUTH: 'none', HTTP_HOST: '0.0.0.0' });
    await expect(hub.start()).rejects.toThrow();
    await hub.stop();
    const log = readFileSync(join(testFleetRoot(), 'hub-access-open.log'), 'utf8');
    expect(log).toMatch(/HTTP_AUTH: none .* loopback HTTP_HOST .* but HTTP_HOST is 0\.0\.0\.0/);
  });

  it('on loopback, answers without a token and says so in its log', async () => {
    const hub = startHub('hub-access-local', { HTTP_AUTH: 'none' });
    try {
      await hub.start();
      expect((await fetch(`${hub.url}/api/clusters`)).status).toBe(200);
      expect((await fetch(`${hub.url}/metrics`)).status).toBe(200);
    } finally {
      await hub.stop();
    }
    const log = readFileSync(join(testFleetRoot(), 'hub-access-local.log'), 'utf8');
    expect(log).toMatch(/HTTP_AUTH=none: no authentication/);
  });
});

function postJson(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
