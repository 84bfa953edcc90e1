// `gridfed nodegroups [-o table|json|yaml]`: the NodeGroups (site.superedge.io) of the control
// cluster, with their NodeUnits and the readiness of the grids that follow them, as the hub
// last wrote them.
import { Command, Option } from 'commander';
import { NODE_GROUP_RESOURCE, type NodeGroup } from '#gridfed/site-api';
import { action, consoleOutput, type Output } from '../cli-output.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../cluster-table.js';
import { cliClients, loadControlKubeConfig } from '../kube-access.js';
import { formatNodeGroups } from '../nodegroup-table.js';
import { listSiteObjects } from '../site-objects.js';

export interface NodeGroupsOptions {
  output: OutputFormat;
  controlKubeconfig?: string;
}

export function nodeGroupsCommand(): Command {
  return new Command('nodegroups')
    .description('list the NodeGroups: fed or not, NodeUnits, ready NodeUnits per grid that follows it, problems, age')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--control-kubeconfig <file>', 'control cluster kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
    .action(action((opts: NodeGroupsOptions) => nodeGroups(opts, consoleOutput)));
}

export async function nodeGroups(opts: NodeGroupsOptions, out: Output): Promise<void> {
  const control = cliClients(loadControlKubeConfig(opts.controlKubeconfig), 'control');
  const items = await listSiteObjects<NodeGroup>(control, 'NodeGroups', NODE_GROUP_RESOURCE.plural);
  if (items.length === 0 && opts.output === 'table') {
    out.line('No NodeGroups (a grid with gridUniqKey: <nodegroup> runs in each NodeUnit the NodeGroup lists).');
    return;
  }
  out.line(formatNodeGroups(items, opts.output, new Date()).trimEnd());
}
