// Light members: five kube-apiservers on one shared etcd, each under its own prefix. Each
// must stay a cluster of its own: its own objects, its own CA-signed TLS endpoint, its own
// tokens. And the harness's teardown stops all of them and the shared etcd.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { readFileSync, rmSync } from 'node:fs';
import { lightMemberSpecs } from '../../tools/local-cluster/src/fleet.js';
import { ClusterHarness } from '../../tools/local-cluster/src/harness.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { probeOnce } from '../../tools/local-cluster/src/net.js';
import { isAlive } from '../../tools/local-cluster/src/process.js';
import { testFleetRoot } from './jest/test-fleet.js';

const root = `${testFleetRoot()}-light`;
const harness = new ClusterHarness(root);
let members: LocalCluster[] = [];

const core = (m: LocalCluster): CoreV1Api => m.kubeConfig().makeApiClient(CoreV1Api);
const marker = (m: LocalCluster): V1ConfigMap => ({ metadata: { name: `only-in-${m.name}` }, data: { owner: m.name } });
const adminToken = (m: LocalCluster): string => m.kubeConfig().getCurrentUser()?.token ?? '';

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  members = await harness.startLightClusters(lightMemberSpecs(5, 'light'));
}, 240_000);

afterAll(async () => {
  await harness.teardown();
});

describe('light members on one etcd', () => {
  it('run one apiserver and one token controller each, and no etcd of their own', async () => {
    const etcd = await harness.etcd();
    for (const m of members) {
      const names = m.pids().map((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
      expect(names.sort()).toEqual(['kube-apiserver', 'kube-controller'].sort());
      expect(m.ports.etcdClient).toBe(etcd.clientPort);
    }
  });

  it('are separate APIs: an object created in one is in no other', async () => {
    await Promise.all(members.map((m) => core(m).createNamespacedConfigMap({ namespace: 'default', body: marker(m) })));
    for (const m of members) {
      const names = (await core(m).listNamespacedConfigMap({ namespace: 'default' })).items.map(
        (c) => c.metadata?.name,
      );
      expect(names.filter((n) => n?.startsWith('only-in-'))).toEqual([`only-in-${m.name}`]);
    }
  });

  it('keep their own NodeUnit node, labelled, as a plain Node object', async () => {
    for (const [i, m] of members.entries()) {
      const nodes = (await core(m).listNode()).items;
      expect(nodes.map((n) => [n.metadata?.name, n.metadata?.labels?.['zone']])).toEqual([
        [`${m.name}-node-1`, `nu${String(i + 1).padStart(3, '0')}`],
      ]);
    }
  });

  it('answer over TLS to their own token only, verified against their own CA only', async () => {
    const [a, b] = members as [LocalCluster, LocalCluster];
    const ns = (m: LocalCluster): string => `${m.server}/api/v1/namespaces/default`;
    expect(await probeOnce({ url: ns(a), ca: a.caPem, token: adminToken(a) })).toBe(200);
    // b's token at a: the apiserver does not know it.
    expect(await probeOnce({ url: ns(a), ca: a.caPem, token: adminToken(b) })).toBe(401);
    expect(await probeOnce({ url: ns(a), ca: a.caPem })).toBe(403);
    // a's serving certificate does not verify against b's CA: no answer at all (TLS fails).
    expect(await probeOnce({ url: ns(a), ca: b.caPem, token: adminToken(a) })).toBe(0);
    expect(adminToken(a)).not.toBe(adminToken(b));
    expect(a.caPem).not.toBe(b.caPem);
  });

  it('give a client with the wrong CA an error, not an answer', async () => {
    const [a, b] = members as [LocalCluster, LocalCluster];
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'x', server: a.server, caData: Buffer.from(b.caPem).toString('base64') }],
      users: [{ name: 'x', token: adminToken(a) }],
      contexts: [{ name: 'x', cluster: 'x', user: 'x' }],
      currentContext: 'x',
    });
    await expect(kc.makeApiClient(CoreV1Api).listNamespace()).rejects.toThrow();
  });

  it('stop with the harness: every apiserver, controller-manager and the shared etcd', async () => {
    const etcdPid = (await harness.etcd()).pid;
    const pids = [...members.flatMap((m) => m.pids()), etcdPid].filter((p) => p !== undefined);
    expect(pids).toHaveLength(11);
    await harness.teardown();
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
