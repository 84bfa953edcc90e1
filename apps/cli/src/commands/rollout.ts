// `gridfed rollout status|pause|resume|undo|retry|history <dg|ssg> NAME [-n NS]`: a grid's
// rollout across its NodeUnits, read from and written to the control cluster (status
// and revisions as the hub keeps them; pause, resume, undo and retry as edits of the
// grid, which the hub acts on).
import { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROLLOUT_RETRY_ANNOTATION, type AnyGrid, type WorkloadGrid } from '#gridfed/grid-api';
import { gridWithTemplates, type TemplateSet } from '#gridfed/rollout';
import { action, CliError, consoleOutput, type Output } from '../cli-output.js';
import { gridKindOf } from '../grid-kinds.js';
import { describeGrid, listRevisions, readGrid, updateGrid, type GridId } from '../grid-store.js';
import { cliClients, loadControlKubeConfig, type CliClients } from '../kube-access.js';
import { formatHistory, formatRolloutStatus, progressLine, revisionNumbers, rolloutOutcome } from '../rollout-view.js';

interface GridOptions {
  namespace: string;
  controlKubeconfig?: string;
}

interface StatusOptions extends GridOptions {
  watch?: boolean;
  timeout: string;
}

export function rolloutCommand(): Command {
  const rollout = new Command('rollout').description(
    "a grid's rollout across its NodeUnits: status, pause, resume, undo, retry, history",
  );
  const sub = (name: string, description: string) =>
    rollout
      .command(name)
      .description(description)
      .argument('<kind>', 'dg | ssg')
      .argument('<name>', 'the grid')
      .option('-n, --namespace <namespace>', 'the grid namespace', 'default')
      .option('--control-kubeconfig <file>', 'control cluster kubeconfig (default: $KUBECONFIG, else ~/.kube/config)');
  sub('status', 'where the rollout stands, per NodeUnit; --watch follows it to the end (exit 1 if it failed)')
    .option('-w, --watch', 'follow the rollout until it ends')
    .option('--timeout <seconds>', 'give up watching after this long (0: never)', '0')
    .action(
      action((kind: string, name: string, opts: StatusOptions) => status(grid(kind, name, opts), opts, consoleOutput)),
    );
  sub('pause', 'stop moving NodeUnits (spec.rolloutStrategy.paused: true)').action(
    action((kind: string, name: string, opts: GridOptions) =>
      setPaused(grid(kind, name, opts), opts, true, consoleOutput),
    ),
  );
  sub('resume', 'move NodeUnits again (spec.rolloutStrategy.paused: false)').action(
    action((kind: string, name: string, opts: GridOptions) =>
      setPaused(grid(kind, name, opts), opts, false, consoleOutput),
    ),
  );
  sub('undo', "put an earlier revision's templates back into the grid (default: the one before the newest)")
    .option('--to-revision <n>', 'the revision number (gridfed rollout history lists them)')
    .action(
      action((kind: string, name: string, opts: GridOptions & { toRevision?: string }) =>
        undo(grid(kind, name, opts), opts, consoleOutput),
      ),
    );
  sub('retry', 'try a failed or rolled-back revision again').action(
    action((kind: string, name: string, opts: GridOptions) => retry(grid(kind, name, opts), opts, consoleOutput)),
  );
  sub('history', "the grid's revisions").action(
    action((kind: string, name: string, opts: GridOptions) => history(grid(kind, name, opts), opts, consoleOutput)),
  );
  return rollout;
}

function grid(kindArg: string, name: string, opts: GridOptions): GridId {
  const kind = gridKindOf(kindArg);
  if (kind !== 'DeploymentGrid' && kind !== 'StatefulSetGrid') {
    throw new CliError(`"${kindArg}": rollouts are for dg (DeploymentGrid) or ssg (StatefulSetGrid)`);
  }
  return { kind, namespace: opts.namespace, name };
}

const control = (opts: GridOptions): CliClients => cliClients(loadControlKubeConfig(opts.controlKubeconfig), 'control');

export async function status(id: GridId, opts: StatusOptions, out: Output): Promise<void> {
  const clients = control(opts);
  const numbers = async () => revisionNumbers(await listRevisions(clients, id));
  const first = await readGrid(clients, id);
  out.line(formatRolloutStatus(first, await numbers()).trimEnd());
  if (!opts.watch) return;
  const timeoutMs = Number(opts.timeout) * 1000;
  if (!(timeoutMs >= 0)) throw new CliError(`--timeout must be a number of seconds, not "${opts.timeout}"`);
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let last = '';
  for (let g: AnyGrid = first; ; g = await readGrid(clients, id)) {
    const line = progressLine(g, await numbers());
    if (line !== last) out.line(`${new Date().toISOString().slice(11, 19)} ${line}`);
    last = line;
    const outcome = rolloutOutcome(g);
    if (outcome === 'complete') return;
    if (outcome === 'failed')
      throw new CliError(`${describeGrid(id)}: ${g.status?.rollout?.message ?? 'rollout failed'}`);
    if (Date.now() > deadline) throw new CliError(`${describeGrid(id)}: still ${line} after ${opts.timeout}s`);
    await sleep(1000);
  }
}

async function setPaused(id: GridId, opts: GridOptions, paused: boolean, out: Output): Promise<void> {
  await updateGrid(control(opts), id, (g) => {
    const w = g as WorkloadGrid;
    if (w.spec.rolloutStrategy?.type !== 'Progressive') {
      throw new CliError(
        `${describeGrid(id)}: only a Progressive rollout pauses (spec.rolloutStrategy.type is ${w.spec.rolloutStrategy?.type ?? 'All'})`,
      );
    }
    w.spec.rolloutStrategy = { ...w.spec.rolloutStrategy, paused };
  });
  out.done(`${describeGrid(id)}: ${paused ? 'paused' : 'resumed'}`);
}

async function undo(id: GridId, opts: GridOptions & { toRevision?: string }, out: Output): Promise<void> {
  const clients = control(opts);
  const revisions = await listRevisions(clients, id);
  const wanted = opts.toRevision === undefined ? undefined : Number(opts.toRevision);
  if (wanted !== undefined && !Number.isInteger(wanted))
    throw new CliError(`--to-revision must be a number, not "${opts.toRevision}"`);
  const target = wanted === undefined ? revisions.at(-2) : revisions.find((r) => r.revision === wanted);
  if (!target) {
    const known = revisions.map((r) => r.revision).join(', ') || 'none';
    throw new CliError(`${describeGrid(id)}: no revision ${wanted ?? 'before the newest'} (revisions: ${known})`);
  }
  await updateGrid(clients, id, (g) => {
    // gridWithTemplates takes the template fields only: never a revision's SiteConfig snapshot.
    (g as WorkloadGrid).spec = gridWithTemplates(g as WorkloadGrid, target.data as TemplateSet).spec;
  });
  // A revision of a grid that keeps copies also records its SiteConfigs: those are not the grid's to put back.
  const config = hasSiteConfigs(target.data) ? '; its SiteConfigs stay as they are now (undo puts back templates)' : '';
  out.done(`${describeGrid(id)}: templates of revision ${target.revision} put back${config}; the hub rolls them out`);
}

async function retry(id: GridId, opts: GridOptions, out: Output): Promise<void> {
  await updateGrid(control(opts), id, (g) => {
    const phase = g.status?.rollout?.phase;
    if (phase !== 'RolledBack' && phase !== 'Failed') {
      throw new CliError(`${describeGrid(id)}: nothing to retry (the rollout is ${phase ?? 'not started'})`);
    }
    g.metadata.annotations = { ...g.metadata.annotations, [ROLLOUT_RETRY_ANNOTATION]: new Date().toISOString() };
  });
  out.done(`${describeGrid(id)}: asked the hub to try the failed revision again`);
}

async function history(id: GridId, opts: GridOptions, out: Output): Promise<void> {
  const clients = control(opts);
  const [g, revisions] = await Promise.all([readGrid(clients, id), listRevisions(clients, id)]);
  if (revisions.length === 0) {
    out.line(`${describeGrid(id)} has no revisions yet (the hub records one when it first sees the grid)`);
    return;
  }
  out.line(formatHistory(revisions, g.status?.rollout).trimEnd());
}

function hasSiteConfigs(data: unknown): boolean {
  return typeof data === 'object' && data !== null && 'siteConfigs' in data;
}
