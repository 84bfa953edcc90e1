// The NodeUnit and NodeGroup CRDs (site.superedge.io) on a real kube-apiserver (the fleet's
// control cluster): SuperEdge's documentation examples are accepted strictly and read back
// unchanged (only the CRD's defaults added), in the version they name and in the other served
// one; status goes through /status only; kubectl shows site-manager's printer columns.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { fleetCluster } from '../cluster/jest/test-fleet.js';
import { gridfed, openFleet } from '../hub/fixtures.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { applyCrds, kubectl, parseTable } from './apply.js';
import { loadSiteManagerExamples, type SiteManifest } from './site-manager-examples.js';

const GROUP = 'site.superedge.io';
const PLURAL = { NodeUnit: 'nodeunits', NodeGroup: 'nodegroups' } as const;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const EXAMPLES = loadSiteManagerExamples();

interface LiveObject {
  metadata: { name: string; generation?: number };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

let control: LocalCluster;
let custom: CustomObjectsApi;

const versionOf = (m: SiteManifest) => m.apiVersion.split('/')[1] as string;
const otherVersion = (version: string) => (version === 'v1' ? 'v1alpha1' : 'v1');
const ref = (m: SiteManifest, version = versionOf(m)) => ({ group: GROUP, version, plural: PLURAL[m.kind] });
const read = async (m: SiteManifest, version?: string): Promise<LiveObject> =>
  (await custom.getClusterCustomObject({ ...ref(m, version), name: m.metadata.name })) as LiveObject;
const remove = (m: SiteManifest) =>
  custom.deleteClusterCustomObject({ ...ref(m), name: m.metadata.name }).catch(() => undefined);

/** The spec the apiserver must return: the file's, plus the defaults the NodeUnit CRD declares. */
function expectedSpec(m: SiteManifest): Record<string, unknown> {
  const spec = structuredClone(m.spec ?? {});
  if (m.kind === 'NodeUnit') return { type: 'edge', unschedulable: false, ...spec };
  return spec;
}

beforeAll(async () => {
  control = await fleetCluster('control');
  custom = control.kubeConfig().makeApiClient(CustomObjectsApi);
  await applyCrds(control.kubeconfigPath, control.kubeConfig());
});

afterAll(async () => {
  if (custom) for (const [, m] of EXAMPLES) await remove(m);
});

describe.each(EXAMPLES)('site-manager example %s', (_name, manifest) => {
  // Several examples share a name (nodeunit-demo): each test creates its object and deletes it.
  it('is accepted strictly and reads back unchanged in both served versions', async () => {
    await remove(manifest);
    await custom.createClusterCustomObject({ ...ref(manifest), body: manifest, fieldValidation: 'Strict' });
    try {
      for (const version of [versionOf(manifest), otherVersion(versionOf(manifest))]) {
        const live = await read(manifest, version);
        expect({ version, spec: live.spec }).toStrictEqual({ version, spec: expectedSpec(manifest) });
      }
    } finally {
      await remove(manifest);
    }
  });
});

describe('status and printer columns', () => {
  const nodeUnit = EXAMPLES.map(([, m]) => m).find((m) => m.kind === 'NodeUnit' && m.apiVersion.endsWith('/v1'));
  const nodeGroup = EXAMPLES.map(([, m]) => m).find((m) => m.kind === 'NodeGroup');

  it('take a NodeUnit status through /status only, and show TYPE and READY', async () => {
    const m = nodeUnit as SiteManifest;
    await remove(m);
    await custom.createClusterCustomObject({ ...ref(m), body: m });
    const status = {
      readyrate: '1/2',
      readynodes: ['member-1/cvm-5bgl56p8'],
      notreadynodes: ['member-2/cvm-9baltd2c'],
      members: ['member-1', 'member-2'],
    };
    await custom.patchClusterCustomObject(
      {
        ...ref(m),
        name: m.metadata.name,
        body: { status: { readyrate: '9/9' }, metadata: { labels: { touched: 'x' } } },
      },
      mergePatch,
    );
    expect((await read(m)).status).toBeUndefined();
    await custom.patchClusterCustomObjectStatus({ ...ref(m), name: m.metadata.name, body: { status } }, mergePatch);
    expect((await read(m)).status).toStrictEqual(status);
    const [row] = parseTable(kubectl(control.kubeconfigPath, ['get', 'nu', m.metadata.name, '-o', 'wide']));
    expect(row).toMatchObject({ NAME: m.metadata.name, TYPE: 'edge', READY: '1/2' });
    expect(row?.['MEMBERS']).toContain('member-1');
    await remove(m);
  });

  it('show a NodeGroup UNITS from its status', async () => {
    const m = nodeGroup as SiteManifest;
    await remove(m);
    await custom.createClusterCustomObject({ ...ref(m), body: m });
    const status = { unitnumber: 2, nodeunits: ['nodeunit-demo', 'unit-node-edge'] };
    await custom.patchClusterCustomObjectStatus({ ...ref(m), name: m.metadata.name, body: { status } }, mergePatch);
    const [row] = parseTable(kubectl(control.kubeconfigPath, ['get', 'ng', m.metadata.name]));
    expect(row).toMatchObject({ NAME: m.metadata.name, UNITS: '2' });
    await remove(m);
  });

  it('gridfed nodeunits lists a fed NodeUnit with its nodes per member, as its status says', async () => {
    const m = EXAMPLES.map(([, e]) => e).find((e) => e.kind === 'NodeUnit' && e.metadata.labels) as SiteManifest;
    await remove(m);
    await custom.createClusterCustomObject({ ...ref(m), body: m });
    const status = {
      readyrate: '1/2',
      readynodes: ['member-1/edge-1'],
      notreadynodes: ['member-2/edge-17'],
      conflicts: [],
    };
    await custom.patchClusterCustomObjectStatus({ ...ref(m), name: m.metadata.name, body: { status } }, mergePatch);
    const out = await gridfed(await openFleet(), 'nodeunits');
    const rows = out
      .trim()
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    expect(rows[0]).toEqual(['NAME', 'FED', 'TYPE', 'READY', 'MEMBERS', 'CONFLICTS', 'AGE']);
    expect(rows.find((r) => r[0] === m.metadata.name)?.slice(0, 6)).toEqual([
      m.metadata.name,
      'yes',
      'edge',
      '1/2',
      'member-1 1/1, member-2 0/1',
      '0',
    ]);
    await remove(m);
  });
});
