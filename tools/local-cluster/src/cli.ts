// `make clusters` / `make clusters-down`: the local fleet as long-running processes.
import { rmSync } from 'node:fs';
import { ClusterHarness, stopLeftovers } from './harness.js';
import { FLEET, fleetRoot } from './fleet.js';

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

const command = process.argv[2];
const commands: Record<string, (...flags: string[]) => Promise<void>> = { up, down };
const action = command ? commands[command] : undefined;
if (!action) {
  process.stderr.write('usage: cli.ts up [--fresh] | down\n');
  process.exit(2);
}
action(...process.argv.slice(3)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
