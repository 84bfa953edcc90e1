// `gridfed status [dg|ssg|sg] [name] [-n ns] [-o table|json|yaml] [--hub URL]`:
// per grid, a table of NodeUnit, member cluster, template, ready/desired, synced and
// last error, read from the hub's HTTP API (the hub computes it from its caches).
import Table from 'cli-table3';
import { Command } from 'commander';
import { action, CliError } from '../cli-output.js';
import { gridKindOf } from '../grid-kinds.js';
import { DEFAULT_HUB_URL, hubJson } from '../hub-client.js';
import { stringify } from 'yaml';
import type { NodeUnitRow as Row } from '#gridfed/grid-api';

interface GridSummary {
  kind: string;
  namespace: string;
  name: string;
  nodeUnits: Row[];
  conditions: { type: string; status: string; message: string }[];
}

interface StatusOptions {
  namespace?: string;
  output: string;
  hub: string;
}

export function statusCommand(): Command {
  return new Command('status')
    .description('aggregated status of distributed grids, per NodeUnit and member cluster (from the hub)')
    .argument('[kind]', 'dg | ssg | sg (all kinds when omitted)')
    .argument('[name]', 'one grid')
    .option('-n, --namespace <namespace>', 'only grids in this namespace')
    .option('-o, --output <format>', 'table | json | yaml', 'table')
    .option('--hub <url>', 'the hub HTTP address ($GRIDFED_HUB_URL)', DEFAULT_HUB_URL)
    .action(action(status));
}

export async function status(
  kindArg: string | undefined,
  name: string | undefined,
  opts: StatusOptions,
): Promise<void> {
  const kind = kindArg ? gridKindOf(kindArg) : undefined;
  if (kindArg && !kind) throw new CliError(`unknown grid kind "${kindArg}" (use dg, ssg or sg)`);
  if (!['table', 'json', 'yaml'].includes(opts.output))
    throw new CliError(`unknown output "${opts.output}" (table, json, yaml)`);
  const grids = (await fetchGrids(opts.hub, kind, opts.namespace)).filter((g) => !name || g.name === name);
  if (name && grids.length === 0) {
    throw new CliError(
      `no distributed ${kind ?? 'grid'} "${name}"${opts.namespace ? ` in namespace ${opts.namespace}` : ''}`,
    );
  }
  process.stdout.write(render(grids, opts.output));
}

function fetchGrids(hub: string, kind: string | undefined, namespace: string | undefined): Promise<GridSummary[]> {
  const query: Record<string, string> = {};
  if (kind) query['kind'] = kind;
  if (namespace) query['namespace'] = namespace;
  return hubJson<GridSummary[]>(hub, '/api/grids', { query });
}

export function render(grids: GridSummary[], output: string): string {
  if (output === 'json') return `${JSON.stringify(grids, null, 2)}\n`;
  if (output === 'yaml') return stringify(grids);
  if (grids.length === 0) return 'no distributed grids\n';
  return grids.map(renderTable).join('\n');
}

function renderTable(grid: GridSummary): string {
  const table = new Table({
    head: ['NODEUNIT', 'CLUSTER', 'TEMPLATE', 'READY', 'SYNCED', 'LAST ERROR'],
    style: { head: [], border: [] },
  });
  for (const r of grid.nodeUnits) {
    const ready =
      r.desiredReplicas === undefined ? (r.ready ? 'yes' : 'no') : `${r.readyReplicas ?? 0}/${r.desiredReplicas}`;
    const stale = r.stale ? ` (stale since ${r.lastSeen ?? '?'})` : '';
    table.push([r.nodeUnit, r.cluster, r.template ?? '-', ready + stale, r.synced ? 'yes' : 'no', r.error ?? '']);
  }
  const problems = grid.conditions.filter((c) => c.status !== 'True').map((c) => `  ${c.type}: ${c.message}`);
  return [`${grid.kind} ${grid.namespace}/${grid.name}`, table.toString(), ...problems, ''].join('\n');
}
