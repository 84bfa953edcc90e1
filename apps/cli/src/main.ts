#!/usr/bin/env node
// gridfed: the command line of the federation hub. Registers member clusters with the
// control cluster, removes them, lists them, shows the grids' aggregated status, and
// follows and steers their rollouts.
import { Command } from 'commander';
import { clustersCommand } from './commands/clusters.js';
import { diffCommand } from './commands/diff.js';
import { nodeGroupsCommand } from './commands/nodegroups.js';
import { nodeUnitsCommand } from './commands/nodeunits.js';
import { registerCommand } from './commands/register.js';
import { rolloutCommand } from './commands/rollout.js';
import { statusCommand } from './commands/status.js';
import { unregisterCommand } from './commands/unregister.js';

const program = new Command('gridfed')
  .description('gridfed: one grid declared, one workload per NodeUnit in every member cluster')
  .showHelpAfterError()
  .addCommand(registerCommand())
  .addCommand(unregisterCommand())
  .addCommand(clustersCommand())
  .addCommand(nodeUnitsCommand())
  .addCommand(nodeGroupsCommand())
  .addCommand(statusCommand())
  .addCommand(rolloutCommand())
  .addCommand(diffCommand());

const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((done) => stream.write('', () => done()));

await program.parseAsync(process.argv);
// A request aborted at its deadline can leave its socket connecting until the HTTP client's
// own connect timeout: exit when the command is done, not when the last socket gives up.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(process.exitCode ?? 0);
