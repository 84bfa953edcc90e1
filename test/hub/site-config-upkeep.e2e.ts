// SiteConfig copies are kept like grids' member objects, on real clusters: the hub watches the
// copies in each member, so a copy edited or deleted by hand is put back within seconds (not
// at the 300 s resync), and its own apply does not start a loop of writes; a copy whose
// SiteConfig was deleted while no hub ran is collected once a hub starts again, and a
// ConfigMap gridfed did not make is left alone.
import { describe, expect, it } from '@jest/globals';
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { SiteConfig } from '#gridfed/site-config';
import { eventually } from '../cluster/jest/eventually.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { core, ensureNamespace, hubSuite } from './fixtures.js';
import { readConfigMap, siteConfigApi } from './site-config-api.js';

const NS = 'site-config-upkeep';
const KEY = 'scupkeep';
/** How soon a hand edit must be put back: the watch, not the resync (300 s in the test hub). */
const PUT_BACK_MS = 5000;

const suite = hubSuite('hub-site-config-upkeep', NS, {
  setUp: async (s) => {
    await s.fleet.member1.addNode({ name: 'scu-a', labels: { [KEY]: 'a' } }, { ifMissing: true });
    await s.fleet.member2.addNode({ name: 'scu-b', labels: { [KEY]: 'b' } }, { ifMissing: true });
    // No grid here makes the namespace in the members: the copies need it.
    for (const member of [s.fleet.member1, s.fleet.member2]) await ensureNamespace(member.kubeConfig(), NS);
  },
  tearDown: async (s) => {
    for (const name of ['upkeep', 'doomed'])
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

function siteConfigs() {
  return siteConfigApi(suite.fleet.control.kubeConfig(), NS);
}

function configMap(member: LocalCluster, name: string): Promise<V1ConfigMap | undefined> {
  return readConfigMap(member.kubeConfig(), NS, name);
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
});
