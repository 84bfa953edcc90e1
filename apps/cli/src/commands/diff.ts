// `gridfed diff -f grid.yaml [--hub URL] [-o text|json]`: what applying the grid manifests
// in the file would do in every member, before anything is applied (the hub asks each
// member's apiserver for a server-side dry-run). Exit code as kubectl diff: 0 nothing
// would change, 1 something would, 2 an error.
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { GridPreview } from '#gridfed/distribution';
import { action, CliError } from '../cli-output.js';
import { formatPreview, hasChanges } from '../diff-view.js';
import { DEFAULT_HUB_URL, hubJson } from '../hub-client.js';

interface DiffOptions {
  filename: string;
  hub: string;
  output: 'text' | 'json';
}

export function diffCommand(): Command {
  return new Command('diff')
    .description(
      'preview what applying grid manifests would do in each member (create, field changes, delete, conflicts)',
    )
    .requiredOption('-f, --filename <file>', 'grid manifest(s), YAML or JSON ("-" for standard input)')
    .option('--hub <url>', 'the hub HTTP address ($GRIDFED_HUB_URL)', DEFAULT_HUB_URL)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(action((opts: DiffOptions) => diff(opts), 2));
}

async function diff(opts: DiffOptions): Promise<void> {
  const manifests = readManifests(opts.filename);
  const previews: GridPreview[] = [];
  for (const manifest of manifests)
    previews.push(await hubJson<GridPreview>(opts.hub, '/api/diff', { body: manifest }));
  process.stdout.write(
    opts.output === 'json' ? `${JSON.stringify(previews, null, 2)}\n` : previews.map(formatPreview).join('\n'),
  );
  if (previews.some((p) => !p.valid)) process.exitCode = 2;
  else if (previews.some(hasChanges)) process.exitCode = 1;
}

function readManifests(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const docs = parseAllDocuments(text);
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) throw new CliError(`${file}: not YAML or JSON: ${broken.errors[0]?.message ?? ''}`);
  const manifests = docs.map((d) => d.toJS() as unknown).filter((m) => m !== null && m !== undefined);
  if (manifests.length === 0) throw new CliError(`${file}: no manifest in it`);
  return manifests;
}
