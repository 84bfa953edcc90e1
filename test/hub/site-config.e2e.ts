// Per-site configuration on real clusters: a SiteConfig's per-NodeUnit ConfigMap reaches
// the member hosting each NodeUnit and that NodeUnit's workload points at it; an override
// change rolls only that site; a NodeUnit without its override is a clear error and gets
// neither a workload nor an empty ConfigMap; a deleted SiteConfig takes exactly its copies
// away. A Secret SiteConfig's value is recorded for the run's credential scan. The SiteConfig's
// status follows: observedGeneration, Valid and Ready, one row per NodeUnit and member that
// matches the copy there, a NodeUnit without its override named with its reason, an
// unreachable member's NodeUnits marked so, and no write while nothing changes.
import { describe, expect, it } from '@jest/globals';
import type { V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL, SITE_CONFIG_HASH_ANNOTATION, type DeploymentGrid } from '#gridfed/grid-api';
import type { SiteConfig, SiteConfigCopyState } from '#gridfed/site-config';
import { recordCredentials } from '../security/credentials.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../cluster/jest/eventually.js';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { core, hubSuite, readDeployment } from './fixtures.js';
import { readConfigMap, siteConfigApi, siteConfigHashOf } from './site-config-api.js';

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

const deployment = (member: LocalCluster, name: string) => readDeployment(member, NS, name);

async function eventsOn(name: string): Promise<string[]> {
  const events = await core(suite.fleet.control).listNamespacedEvent({ namespace: NS });
  return events.items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
}

const condition = (sc: SiteConfig, type: string) => sc.status?.conditions?.find((c) => c.type === type);

/** The status rows as `nodeUnit member copy state reason`. */
const rows = (sc: SiteConfig) =>
  (sc.status?.states ?? []).map(
    (r: SiteConfigCopyState) => `${r.nodeUnit} ${r.member} ${r.copy} ${r.state} ${r.reason}`,
  );

/** Every Applied row's hash is the content hash its copy in that member carries. */
async function expectHashesOfCopies(sc: SiteConfig): Promise<void> {
  const members = { 'member-1': suite.fleet.member1, 'member-2': suite.fleet.member2 } as Record<string, LocalCluster>;
  for (const row of sc.status?.states ?? []) {
    if (row.state !== 'Applied') continue;
    const cm = await configMap(members[row.member]!, row.copy);
    expect(row.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(row.hash).toBe(cm?.metadata?.annotations?.[SITE_CONFIG_HASH_ANNOTATION]);
  }
}

/** Settled: the status is not written again while nothing changes. */
async function expectNoIdleWrites(name: string): Promise<void> {
  const before = await siteConfigs().get(name);
  await sleep(6000);
  expect((await siteConfigs().get(name)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
}

const configMapVolume = (d: V1Deployment | undefined) => d?.spec?.template.spec?.volumes?.[0]?.configMap?.name;

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
      expect(siteConfigHashOf(d)).toMatch(/^shop-config=[0-9a-f]{16},shop-credentials=[0-9a-f]{16}$/);
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

  it('status: the held NodeUnit named with its reason, the others Applied with their copy hashes, no idle writes', async () => {
    const sc = await eventually(async () => {
      const live = await siteConfigs().get('shop-config');
      expect(live.status?.observedGeneration).toBe(live.metadata.generation);
      expect(rows(live)).toEqual([
        'a member-1 shop-config-a Applied CopyApplied',
        'b member-2 shop-config-b Applied CopyApplied',
        'c member-1 shop-config-c Held OverrideMissing',
      ]);
      return live;
    });
    expect(sc.status).toMatchObject({ nodeUnits: 3, readyNodeUnits: 2 });
    expect(condition(sc, 'Valid')).toMatchObject({ status: 'True', reason: 'SpecValid' });
    const ready = condition(sc, 'Ready');
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'OverrideMissing',
      observedGeneration: sc.metadata.generation,
    });
    expect(ready?.message).toContain('2/3 NodeUnits have their copy');
    expect(ready?.message).toContain(
      'NodeUnit c in member-1: Held: siteconfig site-config/shop-config: spec.nodeUnits.c is missing',
    );
    const held = sc.status?.states?.find((r) => r.nodeUnit === 'c');
    expect(held?.message).toContain('NodeUnit c lacks required key "shop-id"');
    expect(held?.hash).toBeUndefined();
    await expectHashesOfCopies(sc);
    await expectNoIdleWrites('shop-config');
  });

  it('status of a Secret SiteConfig the members may not hold: NotPermitted per NodeUnit, and nothing of the value', async () => {
    const sc = await eventually(async () => {
      const live = await siteConfigs().get('shop-credentials');
      expect(live.status?.observedGeneration).toBe(live.metadata.generation);
      expect(rows(live)).toEqual([
        'a member-1 shop-credentials-a NotPermitted MemberNotPermitted',
        'b member-2 shop-credentials-b NotPermitted MemberNotPermitted',
        'c member-1 shop-credentials-c NotPermitted MemberNotPermitted',
      ]);
      return live;
    });
    expect(condition(sc, 'Ready')).toMatchObject({ status: 'False', reason: 'MemberNotPermitted' });
    expect(condition(sc, 'Ready')?.message).toContain(
      'member-1: NodeUnits there get no Secret copy: the member did not opt in to Secret copies (gridfed register member-1 --renew-credentials --manage-secrets)',
    );
    const shown = JSON.stringify(sc.status);
    expect(shown).not.toContain(DB_PASSWORD);
    expect(shown).not.toContain(Buffer.from(DB_PASSWORD).toString('base64'));
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
      expect(siteConfigHashOf(b)).not.toBe(siteConfigHashOf(beforeB));
      expect(b?.metadata?.generation).toBeGreaterThan(beforeB.metadata?.generation ?? 0);
    });
    // The status follows the edit: its generation, and b's new copy hash.
    await eventually(async () => {
      const sc = await siteConfigs().get('shop-config');
      expect(sc.status?.observedGeneration).toBe(sc.metadata.generation);
      const b = sc.status?.states?.find((r) => r.nodeUnit === 'b');
      const copy = await configMap(suite.fleet.member2, 'shop-config-b');
      expect(b?.hash).toBe(copy?.metadata?.annotations?.[SITE_CONFIG_HASH_ANNOTATION]);
      expect(copy?.data?.['shop-id']).toBe('b-2');
    });
    const afterA = (await deployment(suite.fleet.member1, 'shop-a'))!;
    expect(siteConfigHashOf(afterA)).toBe(siteConfigHashOf(beforeA));
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

  it('status: Ready once every NodeUnit has its copy, its rows matching the copies in the members', async () => {
    const sc = await eventually(async () => {
      const live = await siteConfigs().get('shop-config');
      expect(live.status?.observedGeneration).toBe(live.metadata.generation);
      expect(condition(live, 'Ready')).toMatchObject({ status: 'True', reason: 'AllCopiesApplied' });
      return live;
    });
    expect(sc.status).toMatchObject({ nodeUnits: 3, readyNodeUnits: 3 });
    expect(rows(sc)).toEqual([
      'a member-1 shop-config-a Applied CopyApplied',
      'b member-2 shop-config-b Applied CopyApplied',
      'c member-1 shop-config-c Applied CopyApplied',
    ]);
    await expectHashesOfCopies(sc);
    await expectNoIdleWrites('shop-config');
  });

  it("status: an unreachable member's NodeUnits keep their last copy, marked Unreachable naming the member, until it is back", async () => {
    await suite.fleet.member2.killApiserver();
    try {
      await eventually(async () => {
        const sc = await siteConfigs().get('shop-config');
        const b = sc.status?.states?.find((r) => r.nodeUnit === 'b');
        expect(b).toMatchObject({ member: 'member-2', copy: 'shop-config-b', state: 'Unreachable' });
        expect(b?.reason).toBe('MemberUnreachable');
        expect(b?.message).toMatch(/^member-2 unreachable since .*: last known Applied$/);
        expect(b?.hash).toMatch(/^[0-9a-f]{16}$/);
        expect(condition(sc, 'Ready')).toMatchObject({ status: 'False', reason: 'MemberUnreachable' });
        expect(sc.status?.readyNodeUnits).toBe(2);
      }, 45_000);
    } finally {
      await suite.fleet.member2.startApiserver();
    }
    await eventually(async () => {
      const sc = await siteConfigs().get('shop-config');
      expect(condition(sc, 'Ready')).toMatchObject({ status: 'True', reason: 'AllCopiesApplied' });
      expect(rows(sc)).toContain('b member-2 shop-config-b Applied CopyApplied');
    }, 90_000);
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
