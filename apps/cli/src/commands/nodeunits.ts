// `gridfed nodeunits [-o table|json|yaml]`: the NodeUnits (site.superedge.io) of the control
// cluster, with their nodes per member cluster and readiness as the hub last wrote them.
import { Command, Option } from 'commander';
import { NODE_UNIT_RESOURCE, SITE_GROUP, SITE_VERSION, type NodeUnit } from '#gridfed/site-api';
import { describeError, isNotFound } from '#gridfed/kube';
import { action, CliError, consoleOutput, step, type Output } from '../cli-output.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../cluster-table.js';
import { cliClients, loadControlKubeConfig, type CliClients } from '../kube-access.js';
import { formatNodeUnits } from '../nodeunit-table.js';

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
  const items = await listNodeUnits(control);
  if (items.length === 0 && opts.output === 'table') {
    out.line('No NodeUnits (a NodeUnit labelled superedge.io/fed: "yes" labels its nodes in every member).');
    return;
  }
  out.line(formatNodeUnits(items, opts.output, new Date()).trimEnd());
}

async function listNodeUnits(control: CliClients): Promise<NodeUnit[]> {
  const plural = NODE_UNIT_RESOURCE.plural;
  const list = (await step('control cluster: list NodeUnits', async () => {
    try {
      return await control.custom.listClusterCustomObject({ group: SITE_GROUP, version: SITE_VERSION, plural });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      throw new CliError(
        `control cluster at ${control.server} does not serve ${plural}.${SITE_GROUP}: ` +
          `apply deploy/crds/${plural}.${SITE_GROUP}.yaml first (${describeError(err)})`,
      );
    }
  })) as { items?: NodeUnit[] };
  return list.items ?? [];
}
