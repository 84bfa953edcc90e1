// `make clusters` / `make clusters-down`: the local fleet as long-running processes.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ClusterHarness, stopLeftovers } from './harness.js';
import { FLEET, fleetRoot, NEW_SHOP } from './fleet.js';
import { renderNode } from './nodes.js';

/** `up [--fresh]`: --fresh first stops and forgets whatever the folder held. */
async function up(...flags: string[]): Promise<void> {
  const root = fleetRoot();
  if (flags.includes('--fresh')) {
    await stopLeftovers(root);
    rmSync(root, { recursive: true, force: true });
  }
  const harness = new ClusterHarness(root);
  const started = Date.now();
  process.stderr.write(`starting ${FLEET.map((c) => c.name).join(', ')} under ${root} ...\n`);
  try {
    const clusters = await harness.startClusters(FLEET);
    harness.detach();
    process.stderr.write(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    for (const cluster of clusters) {
      process.stdout.write(
        `${cluster.name.padEnd(10)} ${cluster.server}  kubectl --kubeconfig ${cluster.kubeconfigPath} get nodes\n`,
      );
    }
  } catch (err) {
    await harness.teardown();
    throw err;
  }
}

async function down(): Promise<void> {
  await stopLeftovers(fleetRoot());
  process.stderr.write(`stopped every cluster under ${fleetRoot()}\n`);
}

/** `add-new-shop`: `make demo`'s new shop node (fleet.ts NEW_SHOP) joins its member; a node already there stays. */
async function addNewShop(): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(join(fleetRoot(), NEW_SHOP.cluster, 'kubeconfig'));
  const api = kc.makeApiClient(CoreV1Api);
  const { name } = NEW_SHOP.node;
  const exists = await api.readNode({ name }).then(
    () => true,
    () => false,
  );
  if (!exists) await api.createNode({ body: renderNode(NEW_SHOP.node) });
  process.stdout.write(`${NEW_SHOP.cluster}: node ${name} ${exists ? 'already there' : 'joined'}\n`);
}

const command = process.argv[2];
const commands: Record<string, (...flags: string[]) => Promise<void>> = { up, down, 'add-new-shop': addNewShop };
const action = command ? commands[command] : undefined;
if (!action) {
  process.stderr.write('usage: cli.ts up [--fresh] | down | add-new-shop\n');
  process.exit(2);
}
action(...process.argv.slice(3)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
