// `gridfed clusters [-o table|json|yaml]`: the registered member clusters and their health
// as the hub last saw it (MemberCluster status).
import { Command, Option } from 'commander';
import { action, consoleOutput, type Output } from '../cli-output.js';
import { formatClusters, OUTPUT_FORMATS, type OutputFormat } from '../cluster-table.js';
import { listMemberClusters } from '../control-store.js';
import { cliClients, loadControlKubeConfig } from '../kube-access.js';

export interface ClustersOptions {
  output: OutputFormat;
  controlKubeconfig?: string;
}

export function clustersCommand(): Command {
  return new Command('clusters')
    .description('list the registered member clusters: reachable, Kubernetes version, NodeUnits, age')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--control-kubeconfig <file>', 'control cluster kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
    .action(action((opts: ClustersOptions) => clusters(opts, consoleOutput)));
}

export async function clusters(opts: ClustersOptions, out: Output): Promise<void> {
  const control = cliClients(loadControlKubeConfig(opts.controlKubeconfig), 'control');
  const items = await listMemberClusters(control);
  if (items.length === 0 && opts.output === 'table') {
    out.line('No member clusters registered (gridfed register <name> --kubeconfig <file> adds one).');
    return;
  }
  out.line(formatClusters(items, opts.output, new Date()).trimEnd());
}
