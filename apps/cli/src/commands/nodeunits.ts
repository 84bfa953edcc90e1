// `gridfed nodeunits [-o table|json|yaml]`: the NodeUnits (site.superedge.io) of the control
// cluster, with their nodes per member cluster and readiness as the hub last wrote them.
import { Command, Option } from 'commander';
import { NODE_UNIT_RESOURCE, type NodeUnit } from '#gridfed/site-api';
import { action, consoleOutput, type Output } from '../cli-output.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../cluster-table.js';
import { cliClients, loadControlKubeConfig } from '../kube-access.js';
import { formatNodeUnits } from '../nodeunit-table.js';
import { listSiteObjects } from '../site-objects.js';

export interface NodeUnitsOptions {
  output: OutputFormat;
  controlKubeconfig?: string;
}

export function nodeUnitsCommand(): Command {
  return new Command('nodeunits')
    .description('list the NodeUnits: fed or not, type, ready nodes, nodes per member cluster, conflicts, age')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--control-kubeconfig <file>', 'control cluster kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
    .action(action((opts: NodeUnitsOptions) => nodeUnits(opts, consoleOutput)));
}

export async function nodeUnits(opts: NodeUnitsOptions, out: Output): Promise<void> {
  const control = cliClients(loadControlKubeConfig(opts.controlKubeconfig), 'control');
  const items = await listSiteObjects<NodeUnit>(control, 'NodeUnits', NODE_UNIT_RESOURCE.plural);
  if (items.length === 0 && opts.output === 'table') {
    out.line('No NodeUnits (a NodeUnit labelled superedge.io/fed: "yes" labels its nodes in every member).');
    return;
  }
  out.line(formatNodeUnits(items, opts.output, new Date()).trimEnd());
}
