// Run by the e2e global teardown, before the fleet stops: looks for every credential the
// run made (credentials.ts) in everything the hub and the CLI said during the run: their
// logs, the API responses the suites kept, and the Events, grids, MemberClusters and
// SiteConfigs in the clusters, status included (a Secret SiteConfig's per-NodeUnit states and
// conditions must hold no value). Exits 1 naming each place a credential was found (never the
// credential).
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRID_GROUP, GRID_RESOURCES, GRID_VERSION, GRIDFED_GROUP, GRIDFED_VERSION } from '#gridfed/grid-api';
import { MEMBER_CLUSTER_PLURAL } from '#gridfed/cluster-registry';
import { SITE_CONFIG_PLURAL } from '#gridfed/site-config';
import {
  CREDENTIALS_FILE,
  findCredentials,
  fleetKubeconfigs,
  type Haystack,
  recordedCredentials,
  recordFleetCredentials,
} from './credentials.js';

/** The logs and kept responses at the fleet's root (hub logs, CLI output, API responses). */
function files(root: string): Haystack[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isFile() && /\.(log|jsonl)$/.test(d.name) && d.name !== CREDENTIALS_FILE)
    .map((d) => ({ place: d.name, text: readFileSync(join(root, d.name), 'utf8') }));
}

async function clusterObjects(kubeconfig: string): Promise<Haystack[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const name = kubeconfig.split('/').at(-2) ?? kubeconfig;
  const out: Haystack[] = [];
  const events = await kc.makeApiClient(CoreV1Api).listEventForAllNamespaces();
  out.push({ place: `${name}: Events`, text: JSON.stringify(events.items) });
  const custom = kc.makeApiClient(CustomObjectsApi);
  const lists = [
    ...Object.values(GRID_RESOURCES).map((r) => ({ group: GRID_GROUP, version: GRID_VERSION, plural: r.plural })),
    { group: GRIDFED_GROUP, version: GRIDFED_VERSION, plural: MEMBER_CLUSTER_PLURAL },
    { group: GRIDFED_GROUP, version: GRIDFED_VERSION, plural: SITE_CONFIG_PLURAL },
  ];
  for (const list of lists) {
    // Members have no grid CRDs: nothing to read there.
    const items = await custom
      .listCustomObjectForAllNamespaces({ group: list.group, version: list.version, resourcePlural: list.plural })
      .catch(() => undefined);
    if (items) out.push({ place: `${name}: ${list.plural}`, text: JSON.stringify(items) });
  }
  return out;
}

export async function scan(root: string): Promise<string[]> {
  await recordFleetCredentials(root);
  const credentials = [...recordedCredentials(root)];
  const haystacks = [...files(root)];
  for (const kubeconfig of fleetKubeconfigs(root))
    haystacks.push(...(await clusterObjects(kubeconfig).catch(() => [])));
  const found = findCredentials(haystacks, credentials);
  process.stderr.write(
    `credential scan: ${credentials.length} credentials, ${haystacks.length} logs, responses and object lists, ` +
      `${found.length} found\n`,
  );
  return found;
}

if (process.argv[1]?.endsWith('credential-scan.ts')) {
  const root = process.argv[2];
  if (!root) throw new Error('usage: credential-scan.ts <test fleet root>');
  const found = await scan(root);
  for (const line of found) process.stderr.write(`credential found in ${line}\n`);
  process.exit(found.length ? 1 : 0);
}
