// The harness itself, on two clusters of its own: workloads run on fake nodes,
// node selection works, data survives an apiserver outage, and teardown leaves
// no process behind.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, CoreV1Api, VersionApi, type V1Deployment, type V1StatefulSet } from '@kubernetes/client-node';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ClusterHarness } from '../../tools/local-cluster/src/harness.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { isAlive } from '../../tools/local-cluster/src/process.js';
import { eventually } from './jest/eventually.js';
import { testFleetRoot } from './jest/test-fleet.js';

// Beside the shared fleet's folder, so parallel runs with their own fleet folder never meet.
const root = `${testFleetRoot()}-harness`;
const harness = new ClusterHarness(root);
let alpha: LocalCluster;
let beta: LocalCluster;

function deployment(name: string, zone: string, replicas: number): V1Deployment {
  const labels = { app: name };
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { nodeSelector: { zone }, containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  };
}

function statefulSet(name: string, replicas: number): V1StatefulSet {
  const labels = { app: name };
  return {
    metadata: { name },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'db', image: 'redis:7' }] } },
    },
  };
}

beforeAll(async () => {
  rmSync(root, { recursive: true, force: true });
  [alpha, beta] = await Promise.all([
    harness.startCluster({
      name: 'alpha',
      nodes: [
        { name: 'alpha-1', labels: { zone: 'zone1' } },
        { name: 'alpha-2', labels: { zone: 'zone1' } },
      ],
    }),
    harness.startCluster({ name: 'beta', nodes: [{ name: 'beta-1', labels: { zone: 'zone2' } }] }),
  ]);
}, 300_000);

afterAll(async () => {
  await harness.teardown();
});

describe('a local cluster', () => {
  it('runs a Deployment on the nodes its nodeSelector picks until every replica is ready', async () => {
    const apps = alpha.kubeConfig().makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web', 'zone1', 3) });
    const ready = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
      expect(d.status?.readyReplicas).toBe(3);
      return d;
    });
    expect(ready.status?.availableReplicas).toBe(3);
    const pods = await alpha
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(pods.items.map((p) => p.spec?.nodeName).every((n) => n === 'alpha-1' || n === 'alpha-2')).toBe(true);
  });

  it('leaves a Deployment that selects a zone with no node unavailable', async () => {
    const apps = beta.kubeConfig().makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('nowhere', 'zone1', 2) });
    const core = beta.kubeConfig().makeApiClient(CoreV1Api);
    await eventually(async () => {
      const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=nowhere' });
      expect(pods.items).toHaveLength(2);
      return pods;
    });
    // Scheduling has been tried by now: the pods exist and none found a node.
    await eventually(async () => {
      const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=nowhere' });
      const unschedulable = pods.items.filter((p) =>
        (p.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'),
      );
      expect(unschedulable).toHaveLength(2);
      return pods;
    });
    const d = await apps.readNamespacedDeployment({ name: 'nowhere', namespace: 'default' });
    expect(d.status?.readyReplicas ?? 0).toBe(0);
    expect(d.status?.unavailableReplicas).toBe(2);
  });

  it('makes a StatefulSet ready', async () => {
    const apps = beta.kubeConfig().makeApiClient(AppsV1Api);
    await apps.createNamespacedStatefulSet({ namespace: 'default', body: statefulSet('db', 2) });
    await eventually(async () => {
      const s = await apps.readNamespacedStatefulSet({ name: 'db', namespace: 'default' });
      expect(s.status?.readyReplicas).toBe(2);
      return s;
    });
  });

  it('adds, relabels and deletes nodes', async () => {
    const core = beta.kubeConfig().makeApiClient(CoreV1Api);
    await beta.addNode({ name: 'beta-2', labels: { zone: 'zone2' } });
    await beta.waitNodesReady(['beta-2']);
    await beta.setNodeLabels('beta-2', { zone: 'zone3', shelf: 'a' });
    let labels = (await core.readNode({ name: 'beta-2' })).metadata?.labels ?? {};
    expect(labels).toMatchObject({ zone: 'zone3', shelf: 'a', 'kubernetes.io/hostname': 'beta-2' });
    await beta.setNodeLabels('beta-2', { zone: 'zone3' });
    labels = (await core.readNode({ name: 'beta-2' })).metadata?.labels ?? {};
    expect(labels['shelf']).toBeUndefined();
    await beta.deleteNode('beta-2');
    const names = (await core.listNode()).items.map((n) => n.metadata?.name);
    expect(names).toEqual(['beta-1']);
  });

  it('keeps its objects when the apiserver is killed and restarted', async () => {
    const core = alpha.kubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'kept' }, data: { a: '1' } },
    });
    await alpha.killApiserver();
    await expect(core.readNamespacedConfigMap({ name: 'kept', namespace: 'default' })).rejects.toThrow();
    await alpha.startApiserver();
    const kept = await core.readNamespacedConfigMap({ name: 'kept', namespace: 'default' });
    expect(kept.data).toEqual({ a: '1' });
    // The workload from the first test is still there and still ready after the outage.
    await eventually(async () => {
      const d = await alpha
        .kubeConfig()
        .makeApiClient(AppsV1Api)
        .readNamespacedDeployment({ name: 'web', namespace: 'default' });
      expect(d.status?.readyReplicas).toBe(3);
      return d;
    });
  });

  it('reports the real Kubernetes release it was built from', async () => {
    const pinned = /k8s\.io\/kubernetes (v[\d.]+)/.exec(
      readFileSync(resolve('tools/local-cluster/kube/go.mod'), 'utf8'),
    )?.[1];
    const info = await alpha.kubeConfig().makeApiClient(VersionApi).getCode();
    expect(pinned).toMatch(/^v1\.3[4-6]\./);
    expect(info.gitVersion).toBe(pinned);
  });
});

describe('teardown', () => {
  it('leaves no process of the harness running', async () => {
    const pids = [...alpha.pids(), ...beta.pids()];
    expect(pids).toHaveLength(10);
    await harness.teardown();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(processesMentioning(root)).toEqual([]);
  });
});

/** Pids of live processes whose command line names `text` (e.g. a cluster folder). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) && isAlive(pid);
      } catch {
        return false;
      }
    });
}
