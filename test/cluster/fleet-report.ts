// Run by the e2e global teardown before the fleet stops: one line per cluster saying which
// components are not running, which nodes are NotReady and how many pods are not Running,
// so that a CI log that ends in failures also says what state the fleet was in.
import { CoreV1Api } from '@kubernetes/client-node';
import { ensureKubeBinaries } from '../../tools/local-cluster/src/binaries.js';
import { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';

async function report(root: string, name: string): Promise<string> {
  const cluster = await LocalCluster.open(root, name, ensureKubeBinaries());
  const stopped = cluster.stoppedComponents();
  const parts = [stopped.length ? `not running: ${stopped.join(', ')}` : 'all components running'];
  if (!stopped.includes('kube-apiserver')) {
    const api = cluster.kubeConfig().makeApiClient(CoreV1Api);
    const nodes = await cluster.nodeReadiness();
    const notReady = nodes.filter((n) => !n.ready).map((n) => n.name);
    parts.push(`${nodes.length} nodes${notReady.length ? `, NotReady: ${notReady.join(', ')}` : ''}`);
    const phases = new Map<string, number>();
    for (const pod of (await api.listPodForAllNamespaces()).items) {
      const phase = pod.status?.phase ?? 'none';
      phases.set(phase, (phases.get(phase) ?? 0) + 1);
    }
    parts.push(`pods ${[...phases].map(([p, n]) => `${p} ${n}`).join(', ') || 'none'}`);
  }
  for (const name of stopped) parts.push(`${name} log ended: ${cluster.logTail(name, 1).slice(0, 300)}`);
  return `fleet report: ${name}: ${parts.join('; ')}`;
}

const root = process.argv[2];
if (!root) throw new Error('usage: fleet-report <fleet root>');
for (const name of ['control', 'member-1', 'member-2']) {
  const line = await report(root, name).catch((err: unknown) => `fleet report: ${name}: ${String(err).slice(0, 300)}`);
  process.stdout.write(`${line}\n`);
}
