// SuperEdge site-manager's example manifests under deploy/examples/site-manager, one entry per
// YAML document, for the unit check against the CRD schemas and the e2e on a real apiserver.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const SITE_EXAMPLES_DIR = resolve('deploy/examples/site-manager');

export interface SiteManifest {
  apiVersion: string;
  kind: 'NodeUnit' | 'NodeGroup';
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

/** `[<file> <kind>, manifest]` for every document of every example file, sorted by file. */
export function loadSiteManagerExamples(): [string, SiteManifest][] {
  return readdirSync(SITE_EXAMPLES_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(SITE_EXAMPLES_DIR, file), 'utf8')).map(
        (doc) => [`${file} ${String(doc.get('kind'))}`, doc.toJS() as SiteManifest] as [string, SiteManifest],
      ),
    );
}
