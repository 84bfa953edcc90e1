// SiteConfig copies are kept like grids' member objects, on real clusters: the hub watches the
// copies in each member, so a copy edited or deleted by hand is put back within seconds (not
// at the 300 s resync), and its own apply does not start a loop of writes; a copy whose
// SiteConfig was deleted while no hub ran is collected once a hub starts again, and a
// ConfigMap gridfed did not make is left alone. With `register --manage-secrets` a Secret
// SiteConfig's copy reaches the member with the control Secret's value (found by name: the
// agent may not list Secrets), the workload points at it, and a hand edit is put back.
import { describe, expect, it } from '@jest/globals';
import type { V1ConfigMap, V1Secret } from '@kubernetes/client-node';
import type { DeploymentGrid } from '#gridfed/grid-api';
import type { SiteConfig } from '#gridfed/site-config';
import { recordCredentials } from '../security/credentials.js';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import { eventually } from '../cluster/jest/eventually.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { apps, core, ensureNamespace, hubSuite, readDeployment } from './fixtures.js';
import { readConfigMap, siteConfigApi, siteConfigHashOf } from './site-config-api.js';

const NS = 'site-config-upkeep';
const KEY = 'scupkeep';
/** How soon a hand edit must be put back: the watch, not the resync (300 s in the test hub). */
const PUT_BACK_MS = 5000;
/** Secret copies are read again by name every 10 s (no watch on Secrets), then put back. */
const SECRET_PUT_BACK_MS = 20_000;
const DB_PASSWORD = `scu-e2e-db-password-${process.pid}-${Date.now()}`;
const ROTATED_PASSWORD = `scu-e2e-rotated-password-${process.pid}-${Date.now()}`;

const suite = hubSuite('hub-site-config-upkeep', NS, {
  registerArgs: ['--manage-secrets'],
  setUp: async (s) => {
    recordCredentials(
      testFleetRoot(),
      [DB_PASSWORD, ROTATED_PASSWORD].flatMap((p) => [p, Buffer.from(p).toString('base64')]),
    );
    await core(s.fleet.control).createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'upkeep-db' }, stringData: { 'db-password': DB_PASSWORD } },
    });
    await s.fleet.member1.addNode({ name: 'scu-a', labels: { [KEY]: 'a' } }, { ifMissing: true });
    await s.fleet.member2.addNode({ name: 'scu-b', labels: { [KEY]: 'b' } }, { ifMissing: true });
    // No grid here makes the namespace in the members: the copies need it.
    for (const member of [s.fleet.member1, s.fleet.member2]) await ensureNamespace(member.kubeConfig(), NS);
  },
  tearDown: async (s) => {
    await s.grids.delete(grid).catch(() => undefined);
    for (const name of ['upkeep', 'doomed', 'upkeep-creds', 'switcher'])
      await siteConfigs()
        .delete(name)
        .catch(() => undefined);
    await s.fleet.member1.deleteNode('scu-a').catch(() => undefined);
    await s.fleet.member2.deleteNode('scu-b').catch(() => undefined);
    for (const member of [s.fleet.member1, s.fleet.member2])
      await core(member)
        .deleteNamespace({ name: NS })
        .catch(() => undefined);
  },
});

const configOf = (name: string, data: Record<string, string>): SiteConfig => ({
  apiVersion: 'gridfed.io/v1alpha1',
  kind: 'SiteConfig',
  metadata: { name, namespace: NS },
  spec: { gridUniqKey: KEY, type: 'ConfigMap', defaults: { data } },
});

const credentials: SiteConfig = {
  apiVersion: 'gridfed.io/v1alpha1',
  kind: 'SiteConfig',
  metadata: { name: 'upkeep-creds', namespace: NS },
  spec: { gridUniqKey: KEY, type: 'Secret', defaults: { secretRefs: [{ name: 'upkeep-db' }] } },
};

const grid: DeploymentGrid = {
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'upkeep-shop', namespace: NS, labels: { 'superedge.io/fed': 'yes' } },
  spec: {
    gridUniqKey: KEY,
    template: {
      replicas: 1,
      selector: { matchLabels: { app: 'upkeep-shop' } },
      template: {
        metadata: { labels: { app: 'upkeep-shop' } },
        spec: {
          containers: [
            {
              name: 'shop',
              image: 'superedge/echoserver:2.2',
              env: [
                {
                  name: 'DB_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'upkeep-creds', key: 'db-password' } },
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

async function secretIn(member: LocalCluster, name: string): Promise<V1Secret | undefined> {
  return core(member)
    .readNamespacedSecret({ name, namespace: NS })
    .catch(() => undefined);
}

/** Waits (bounded) until `check` passes; returns how long that took. */
async function timed(check: () => Promise<void>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await eventually(check, timeoutMs, 100);
  return Date.now() - started;
}

const WANTED = { 'log-level': 'info', region: 'north' };

describe('SiteConfig copies: drift and orphans', () => {
  it('puts back a copy edited by hand within seconds, and writes nothing more once it is back', async () => {
    await siteConfigs().create(configOf('upkeep', WANTED));
    await eventually(async () => expect((await configMap(suite.fleet.member1, 'upkeep-a'))?.data).toEqual(WANTED));
    await core(suite.fleet.member1).patchNamespacedConfigMap({
      name: 'upkeep-a',
      namespace: NS,
      body: [{ op: 'replace', path: '/data/region', value: 'edited-by-hand' }],
    });
    const ms = await timed(
      async () => expect((await configMap(suite.fleet.member1, 'upkeep-a'))?.data).toEqual(WANTED),
      PUT_BACK_MS,
    );
    process.stderr.write(`site-config-upkeep: hand edit put back in ${ms} ms\n`);
    // The hub's own apply comes back through the watch: it must not be written again.
    const settled = (await configMap(suite.fleet.member1, 'upkeep-a'))?.metadata?.resourceVersion;
    await new Promise((r) => setTimeout(r, 3000));
    expect((await configMap(suite.fleet.member1, 'upkeep-a'))?.metadata?.resourceVersion).toBe(settled);
  });

  it('brings back a copy deleted by hand within seconds', async () => {
    await core(suite.fleet.member2).deleteNamespacedConfigMap({ name: 'upkeep-b', namespace: NS });
    const ms = await timed(
      async () => expect((await configMap(suite.fleet.member2, 'upkeep-b'))?.data).toEqual(WANTED),
      PUT_BACK_MS,
    );
    process.stderr.write(`site-config-upkeep: deleted copy back in ${ms} ms\n`);
  });

  it('collects the copies of a SiteConfig deleted while no hub ran, and nothing else', async () => {
    await siteConfigs().create(configOf('doomed', { k: 'v' }));
    await eventually(async () => {
      expect(await configMap(suite.fleet.member1, 'doomed-a')).toBeDefined();
      expect(await configMap(suite.fleet.member2, 'doomed-b')).toBeDefined();
    });
    // Someone's own ConfigMap with a copy's name pattern: never gridfed's to delete.
    await core(suite.fleet.member1).createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'doomed-x', namespace: NS }, data: { mine: 'yes' } },
    });
    await suite.hub.stop();
    await siteConfigs().delete('doomed');
    // No hub: nothing collects them.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await configMap(suite.fleet.member1, 'doomed-a')).toBeDefined();
    const started = Date.now();
    await suite.hub.start();
    await eventually(async () => {
      expect(await configMap(suite.fleet.member1, 'doomed-a')).toBeUndefined();
      expect(await configMap(suite.fleet.member2, 'doomed-b')).toBeUndefined();
    }, 30_000);
    process.stderr.write(`site-config-upkeep: orphaned copies collected ${Date.now() - started} ms after hub start\n`);
    expect((await configMap(suite.fleet.member1, 'doomed-x'))?.data).toEqual({ mine: 'yes' });
    expect((await configMap(suite.fleet.member1, 'upkeep-a'))?.data).toEqual(WANTED);
    expect((await configMap(suite.fleet.member2, 'upkeep-b'))?.data).toEqual(WANTED);
  });

  it("with --manage-secrets a Secret SiteConfig's copy holds the control Secret's value and the workload uses it", async () => {
    const control = await core(suite.fleet.control).readNamespacedSecret({ name: 'upkeep-db', namespace: NS });
    await siteConfigs().create(credentials);
    await suite.grids.create(grid);
    for (const [member, unit] of [
      [suite.fleet.member1, 'a'],
      [suite.fleet.member2, 'b'],
    ] as const) {
      await eventually(async () =>
        expect((await secretIn(member, `upkeep-creds-${unit}`))?.data).toEqual(control.data),
      );
      await eventually(async () => {
        const d = await readDeployment(member, NS, `upkeep-shop-${unit}`);
        const env = d?.spec?.template.spec?.containers[0]?.env ?? [];
        expect(env[0]?.valueFrom?.secretKeyRef?.name).toBe(`upkeep-creds-${unit}`);
      });
      // The names the hub wrote, recorded next to them (the hub cannot list Secrets).
      expect((await configMap(member, 'gridfed-secret-copies-upkeep-creds'))?.data).toEqual({
        [`upkeep-creds-${unit}`]: '',
      });
    }
  });

  it('puts back a Secret copy edited by hand, and one deleted by hand', async () => {
    const control = await core(suite.fleet.control).readNamespacedSecret({ name: 'upkeep-db', namespace: NS });
    await core(suite.fleet.member1).patchNamespacedSecret({
      name: 'upkeep-creds-a',
      namespace: NS,
      body: [{ op: 'replace', path: '/data/db-password', value: Buffer.from('edited').toString('base64') }],
    });
    const edited = await timed(
      async () => expect((await secretIn(suite.fleet.member1, 'upkeep-creds-a'))?.data).toEqual(control.data),
      SECRET_PUT_BACK_MS,
    );
    await core(suite.fleet.member2).deleteNamespacedSecret({ name: 'upkeep-creds-b', namespace: NS });
    const deleted = await timed(
      async () => expect((await secretIn(suite.fleet.member2, 'upkeep-creds-b'))?.data).toEqual(control.data),
      SECRET_PUT_BACK_MS,
    );
    process.stderr.write(`site-config-upkeep: Secret copy edit put back in ${edited} ms, deletion in ${deleted} ms\n`);
  });

  it('a changed control Secret reaches every copy and rolls the workloads that use it (pod-template hash)', async () => {
    // Reads strictly: a Deployment that is not there is no new hash.
    const podHash = async (member: LocalCluster, unit: string) =>
      siteConfigHashOf(await apps(member).readNamespacedDeployment({ name: `upkeep-shop-${unit}`, namespace: NS }));
    const units = [
      [suite.fleet.member1, 'a'],
      [suite.fleet.member2, 'b'],
    ] as const;
    const before = await Promise.all(units.map(([member, unit]) => podHash(member, unit)));
    expect(before.every((h) => typeof h === 'string' && h.length > 0)).toBe(true);
    await core(suite.fleet.control).replaceNamespacedSecret({
      name: 'upkeep-db',
      namespace: NS,
      body: { metadata: { name: 'upkeep-db' }, stringData: { 'db-password': ROTATED_PASSWORD } },
    });
    const rotated = { 'db-password': Buffer.from(ROTATED_PASSWORD).toString('base64') };
    const took = await timed(async () => {
      for (const [i, [member, unit]] of units.entries()) {
        expect((await secretIn(member, `upkeep-creds-${unit}`))?.data).toEqual(rotated);
        expect(await podHash(member, unit)).not.toBe(before[i]);
      }
    }, SECRET_PUT_BACK_MS);
    process.stderr.write(
      `site-config-upkeep: a rotated control Secret reached copies and pod templates in ${took} ms\n`,
    );
  });

  it('a SiteConfig switched to type Secret and back: the copies of the other kind go, those of the new kind come', async () => {
    const control = await core(suite.fleet.control).readNamespacedSecret({ name: 'upkeep-db', namespace: NS });
    const units = [
      [suite.fleet.member1, 'switcher-a'],
      [suite.fleet.member2, 'switcher-b'],
    ] as const;
    await siteConfigs().create(configOf('switcher', { k: 'v' }));
    await eventually(async () => {
      for (const [member, copy] of units) expect((await configMap(member, copy))?.data).toEqual({ k: 'v' });
    });
    await siteConfigs().update('switcher', (live) => {
      live.spec = { gridUniqKey: KEY, type: 'Secret', defaults: { secretRefs: [{ name: 'upkeep-db' }] } };
    });
    await eventually(async () => {
      for (const [member, copy] of units) {
        expect((await secretIn(member, copy))?.data).toEqual(control.data);
        expect(await configMap(member, copy)).toBeUndefined();
      }
    }, SECRET_PUT_BACK_MS);
    await siteConfigs().update('switcher', (live) => {
      live.spec = { gridUniqKey: KEY, type: 'ConfigMap', defaults: { data: { k: 'back' } } };
    });
    await eventually(async () => {
      for (const [member, copy] of units) {
        expect((await configMap(member, copy))?.data).toEqual({ k: 'back' });
        expect(await secretIn(member, copy)).toBeUndefined();
        expect(await configMap(member, 'gridfed-secret-copies-switcher')).toBeUndefined();
      }
    }, SECRET_PUT_BACK_MS);
    await siteConfigs().delete('switcher');
    await eventually(async () => {
      for (const [member, copy] of units) expect(await configMap(member, copy)).toBeUndefined();
    });
  });

  it('deletes the Secret copies and their ledger with the SiteConfig', async () => {
    await suite.grids.delete(grid);
    await siteConfigs().delete('upkeep-creds');
    await eventually(async () => {
      expect(await secretIn(suite.fleet.member1, 'upkeep-creds-a')).toBeUndefined();
      expect(await secretIn(suite.fleet.member2, 'upkeep-creds-b')).toBeUndefined();
      expect(await configMap(suite.fleet.member1, 'gridfed-secret-copies-upkeep-creds')).toBeUndefined();
    });
  });
});
