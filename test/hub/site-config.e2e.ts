// Per-site configuration on real clusters: a SiteConfig's per-NodeUnit ConfigMap reaches
// the member hosting each NodeUnit and that NodeUnit's workload points at it; an override
// change rolls only that site; a NodeUnit without its override is a clear error and gets
// neither a workload nor an empty ConfigMap; a deleted SiteConfig takes exactly its copies
// away. A Secret SiteConfig's value is recorded for the run's credential scan.
import { describe, expect, it } from '@jest/globals';
import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL, SITE_CONFIG_HASH_ANNOTATION, type DeploymentGrid } from '#gridfed/grid-api';
import type { SiteConfig } from '#gridfed/site-config';
import { recordCredentials } from '../security/credentials.js';
import { eventually } from '../cluster/jest/eventually.js';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { apps, core, hubSuite } from './fixtures.js';
import { readConfigMap, siteConfigApi } from './site-config-api.js';

const NS = 'site-config';
const KEY = 'scsite';
// NodeUnits a and c in member-1, b in member-2; c has no override.
const NODES = {
  member1: [
    ['sc-a', 'a'],
    ['sc-c', 'c'],
  ],
  member2: [['sc-b', 'b']],
} as const;
const DB_PASSWORD = `sc-e2e-db-password-${process.pid}-${Date.now()}`;

const suite = hubSuite('hub-site-config', NS, {
  setUp: async (s) => {
    for (const [member, nodes] of [
      [s.fleet.member1, NODES.member1],
      [s.fleet.member2, NODES.member2],
    ] as const) {
      for (const [name, unit] of nodes) await member.addNode({ name, labels: { [KEY]: unit } }, { ifMissing: true });
    }
    recordCredentials(testFleetRoot(), [DB_PASSWORD, Buffer.from(DB_PASSWORD).toString('base64')]);
    await core(s.fleet.control).createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'shop-db' }, stringData: { 'db-password': DB_PASSWORD } },
    });
  },
  tearDown: async (s) => {
    await s.grids.delete(grid).catch(() => undefined);
    for (const name of ['shop-config', 'shop-credentials'])
      await siteConfigs()
        .delete(name)
        .catch(() => undefined);
    for (const [name] of NODES.member1) await s.fleet.member1.deleteNode(name).catch(() => undefined);
    for (const [name] of NODES.member2) await s.fleet.member2.deleteNode(name).catch(() => undefined);
  },
});

const shopConfig: SiteConfig = {
  apiVersion: 'gridfed.io/v1alpha1',
  kind: 'SiteConfig',
  metadata: { name: 'shop-config', namespace: NS },
  spec: {
    gridUniqKey: KEY,
    type: 'ConfigMap',
    required: ['shop-id'],
    defaults: { data: { 'log-level': 'info' } },
    nodeUnits: { a: { data: { 'shop-id': 'a-1' } }, b: { data: { 'shop-id': 'b-1' } } },
  },
};

const shopCredentials: SiteConfig = {
  apiVersion: 'gridfed.io/v1alpha1',
  kind: 'SiteConfig',
  metadata: { name: 'shop-credentials', namespace: NS },
  spec: { gridUniqKey: KEY, type: 'Secret', defaults: { secretRefs: [{ name: 'shop-db' }] } },
};

const grid: DeploymentGrid = {
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'shop', namespace: NS, labels: { 'superedge.io/fed': 'yes' } },
  spec: {
    gridUniqKey: KEY,
    template: {
      replicas: 1,
      selector: { matchLabels: { app: 'shop' } },
      template: {
        metadata: { labels: { app: 'shop' } },
        spec: {
          volumes: [{ name: 'config', configMap: { name: 'shop-config' } }],
          containers: [
            {
              name: 'shop',
              image: 'superedge/echoserver:2.2',
              env: [
                { name: 'SHOP_ID', valueFrom: { configMapKeyRef: { name: 'shop-config', key: 'shop-id' } } },
                {
                  name: 'DB_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'shop-credentials', key: 'db-password', optional: true } },
                },
              ],
            },
          ],
        },
      },
    },
  },
};

function siteConfigs() {
  return siteConfigApi(suite.fleet.control.kubeConfig(), NS);
}

function configMap(member: LocalCluster, name: string): Promise<V1ConfigMap | undefined> {
  return readConfigMap(member.kubeConfig(), NS, name);
}

async function deployment(member: LocalCluster, name: string): Promise<V1Deployment | undefined> {
  return apps(member)
    .readNamespacedDeployment({ name, namespace: NS })
    .catch(() => undefined);
}

async function eventsOn(name: string): Promise<string[]> {
  const events = await core(suite.fleet.control).listNamespacedEvent({ namespace: NS });
  return events.items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
}

const configMapVolume = (d: V1Deployment | undefined) => d?.spec?.template.spec?.volumes?.[0]?.configMap?.name;
const siteConfigHash = (d: V1Deployment | undefined) =>
  d?.spec?.template.metadata?.annotations?.[SITE_CONFIG_HASH_ANNOTATION];

describe('per-site configuration', () => {
  it("puts each NodeUnit's ConfigMap in the member hosting it, and points its workload at it", async () => {
    await siteConfigs().create(shopConfig);
    await siteConfigs().create(shopCredentials);
    await suite.grids.create(grid);
    const a = await eventually(async () => {
      const cm = await configMap(suite.fleet.member1, 'shop-config-a');
      expect(cm?.data).toEqual({ 'log-level': 'info', 'shop-id': 'a-1' });
      return cm!;
    });
    expect(a.metadata?.labels?.[MANAGED_BY_LABEL]).toBe('gridfed');
    const b = await eventually(async () => {
      const cm = await configMap(suite.fleet.member2, 'shop-config-b');
      expect(cm?.data).toEqual({ 'log-level': 'info', 'shop-id': 'b-1' });
      return cm!;
    });
    expect(b.metadata?.name).toBe('shop-config-b');
    // Each member holds only its own NodeUnits' copies.
    expect(await configMap(suite.fleet.member1, 'shop-config-b')).toBeUndefined();
    expect(await configMap(suite.fleet.member2, 'shop-config-a')).toBeUndefined();
    for (const [member, unit] of [
      [suite.fleet.member1, 'a'],
      [suite.fleet.member2, 'b'],
    ] as const) {
      const d = await eventually(async () => {
        const found = await deployment(member, `shop-${unit}`);
        expect(configMapVolume(found)).toBe(`shop-config-${unit}`);
        return found!;
      });
      const env = d.spec?.template.spec?.containers[0]?.env ?? [];
      expect(env[0]?.valueFrom?.configMapKeyRef?.name).toBe(`shop-config-${unit}`);
      expect(env[1]?.valueFrom?.secretKeyRef?.name).toBe(`shop-credentials-${unit}`);
      expect(siteConfigHash(d)).toMatch(/^shop-config=[0-9a-f]{16},shop-credentials=[0-9a-f]{16}$/);
    }
  });

  it('a NodeUnit without its override: a clear error, no workload and no empty ConfigMap there', async () => {
    await eventually(async () => {
      const events = await eventsOn('shop');
      const unusable = events.find((e) => e.startsWith('SiteConfigUnusable: '));
      expect(unusable).toContain('member-1: ');
      expect(unusable).toContain('names SiteConfig "shop-config", which has no copy for NodeUnit c');
      expect(unusable).toContain('"shop-id"');
    });
    await eventually(async () => {
      const events = await eventsOn('shop-config');
      expect(events.find((e) => e.startsWith('NoCopy: member-1: '))).toContain('spec.nodeUnits.c');
    });
    expect(await deployment(suite.fleet.member1, 'shop-c')).toBeUndefined();
    expect(await configMap(suite.fleet.member1, 'shop-config-c')).toBeUndefined();
    // The other NodeUnits are not held back by it.
    expect(configMapVolume(await deployment(suite.fleet.member1, 'shop-a'))).toBe('shop-config-a');
  });

  it('without --manage-secrets a Secret SiteConfig gets no copy, and says which member and flag heal it', async () => {
    await eventually(async () => {
      const events = await eventsOn('shop-credentials');
      for (const member of ['member-1', 'member-2']) {
        const said = events.find((e) => e.startsWith(`MemberNotPermitted: ${member}: `));
        expect(said).toContain(`gridfed register ${member} --renew-credentials --manage-secrets`);
      }
    });
    for (const [member, unit] of [
      [suite.fleet.member1, 'a'],
      [suite.fleet.member2, 'b'],
    ] as const) {
      const copy = await core(member)
        .readNamespacedSecret({ name: `shop-credentials-${unit}`, namespace: NS })
        .catch(() => undefined);
      expect(copy).toBeUndefined();
    }
  });

  it("an override change rolls only that site: only its pod template's hash changes", async () => {
    const beforeA = (await deployment(suite.fleet.member1, 'shop-a'))!;
    const beforeB = (await deployment(suite.fleet.member2, 'shop-b'))!;
    await siteConfigs().update('shop-config', (live) => {
      live.spec.nodeUnits!['b']!.data!['shop-id'] = 'b-2';
    });
    await eventually(async () => {
      expect((await configMap(suite.fleet.member2, 'shop-config-b'))?.data?.['shop-id']).toBe('b-2');
      const b = await deployment(suite.fleet.member2, 'shop-b');
      expect(siteConfigHash(b)).not.toBe(siteConfigHash(beforeB));
      expect(b?.metadata?.generation).toBeGreaterThan(beforeB.metadata?.generation ?? 0);
    });
    const afterA = (await deployment(suite.fleet.member1, 'shop-a'))!;
    expect(siteConfigHash(afterA)).toBe(siteConfigHash(beforeA));
    expect(afterA.metadata?.generation).toBe(beforeA.metadata?.generation);
    expect((await configMap(suite.fleet.member1, 'shop-config-a'))?.data?.['shop-id']).toBe('a-1');
  });

  it('a new site is one entry: adding the override gives NodeUnit c its ConfigMap and workload', async () => {
    await siteConfigs().update('shop-config', (live) => {
      live.spec.nodeUnits!['c'] = { data: { 'shop-id': 'c-1' } };
    });
    await eventually(async () => {
      expect((await configMap(suite.fleet.member1, 'shop-config-c'))?.data?.['shop-id']).toBe('c-1');
      expect(configMapVolume(await deployment(suite.fleet.member1, 'shop-c'))).toBe('shop-config-c');
    });
  });

  it("a deleted SiteConfig takes its copies away, and nobody else's ConfigMap", async () => {
    const mine = { name: 'shop-config-x', namespace: NS };
    await core(suite.fleet.member1).createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: mine, data: { k: 'v' } },
    });
    const copies = [
      [suite.fleet.member1, 'a'],
      [suite.fleet.member1, 'c'],
      [suite.fleet.member2, 'b'],
    ] as const;
    for (const [member, unit] of copies) expect(await configMap(member, `shop-config-${unit}`)).toBeDefined();
    await siteConfigs().delete('shop-config');
    await eventually(async () => {
      for (const [member, unit] of copies) expect(await configMap(member, `shop-config-${unit}`)).toBeUndefined();
    });
    expect((await configMap(suite.fleet.member1, 'shop-config-x'))?.data).toEqual({ k: 'v' });
  });
});
