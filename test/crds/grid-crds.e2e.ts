// The CRDs of deploy/crds on a real kube-apiserver (the fleet's control cluster): every seed
// example is accepted and reads back unchanged (nothing pruned, only defaultTemplateName
// defaulted), status lives behind /status, and kubectl shows the printer columns.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import {
  DEFAULT_TEMPLATE_NAME,
  GRID_GROUP,
  GRID_RESOURCES,
  GRID_VERSION,
  GRIDFED_GROUP,
  GRIDFED_VERSION,
  type GridKind,
} from '#gridfed/grid-api';
import {
  DEFAULT_HUB_NAMESPACE,
  KUBECONFIG_SECRET_KEY,
  MEMBER_CLUSTER_PLURAL,
  REACHABLE_CONDITION,
} from '#gridfed/cluster-registry';
import { fleetCluster } from '../cluster/jest/test-fleet.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { applyCrds, expectOneRow, kubectl, loadExamples, parseTable, type Example } from './apply.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const EXAMPLES = loadExamples();
const MEMBER = 'crds-e2e-member';

type Status = Record<string, unknown>;
interface LiveObject {
  metadata: { name: string; generation?: number; resourceVersion?: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: Status;
}

let control: LocalCluster;
let custom: CustomObjectsApi;
const createErrors = new Map<string, unknown>();

const ref = (ex: Example) => ({ group: GRID_GROUP, version: GRID_VERSION, namespace: ex.namespace, plural: ex.plural });
const read = async (ex: Example): Promise<LiveObject> =>
  (await custom.getNamespacedCustomObject({ ...ref(ex), name: ex.manifest.metadata.name })) as LiveObject;
const writeStatus = async (ex: Example, status: Status): Promise<LiveObject> =>
  (await custom.patchNamespacedCustomObjectStatus(
    { ...ref(ex), name: ex.manifest.metadata.name, body: { status } },
    mergePatch,
  )) as LiveObject;
const patchMain = async (ex: Example, body: object): Promise<LiveObject> =>
  (await custom.patchNamespacedCustomObject(
    { ...ref(ex), name: ex.manifest.metadata.name, body },
    mergePatch,
  )) as LiveObject;

/** The spec the apiserver must return: the file's, plus the one default the CRD declares. */
function expectedSpec(ex: Example): Record<string, unknown> {
  const spec = structuredClone(ex.manifest.spec);
  if (ex.manifest.kind !== 'ServiceGrid' && !('defaultTemplateName' in spec)) {
    spec['defaultTemplateName'] = DEFAULT_TEMPLATE_NAME;
  }
  return spec;
}

/** A member workload's status in SuperEdge's shape, as `states[<nodeunit>]` holds it. */
function memberState(kind: GridKind): Status {
  const available = {
    type: 'Available',
    status: 'True',
    reason: 'MinimumReplicasAvailable',
    message: `${kind === 'StatefulSetGrid' ? 'StatefulSet' : 'Deployment'} has minimum availability.`,
    lastUpdateTime: '2025-06-01T10:00:00Z',
    lastTransitionTime: '2025-06-01T10:00:00Z',
  };
  if (kind === 'ServiceGrid') return { loadBalancer: {}, clusterIP: '10.96.0.10', conditions: [] };
  const counts = { replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, observedGeneration: 1 };
  return {
    ...counts,
    conditions: [available],
    clusters: {
      'member-1': { status: counts, lastSeen: '2025-06-01T10:00:05Z', ready: true, synced: true, revision: 'abc' },
    },
  };
}

/** 3 NodeUnits, 1 ready, 2 synced: three different numbers, so a swapped column shows. */
function gridStatus(kind: GridKind): Status {
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastTransitionTime: '2025-06-01T10:00:00Z',
    observedGeneration: 1,
  });
  return {
    observedGeneration: 1,
    conditions: [
      condition('Synced', 'False', 'Pending', '2/3 NodeUnits synced'),
      condition('Ready', 'False', 'NotReady', '1/3 NodeUnits ready'),
    ],
    states: { zone1: memberState(kind) },
    nodeUnits: 3,
    readyNodeUnits: 1,
    syncedNodeUnits: 2,
    ...(kind === 'ServiceGrid'
      ? {}
      : {
          updatedNodeUnits: 1,
          rollout: {
            stableRevision: 'abc',
            updateRevision: 'def',
            phase: 'Progressing',
            wave: 1,
            waves: 3,
            moved: { zone1: { revision: 'def', since: '2025-06-01T10:00:00Z' } },
            startedAt: '2025-06-01T10:00:00Z',
          },
        }),
  };
}

async function ensureNamespace(kc: KubeConfig, name: string): Promise<void> {
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } })
    .catch((err: unknown) => {
      if ((err as { code?: number }).code !== 409) throw err;
    });
}

beforeAll(async () => {
  control = await fleetCluster('control');
  const kc = control.kubeConfig();
  custom = kc.makeApiClient(CustomObjectsApi);
  await applyCrds(control.kubeconfigPath, kc);
  for (const ex of EXAMPLES) {
    await ensureNamespace(kc, ex.namespace);
    const body = { ...ex.manifest, metadata: { ...ex.manifest.metadata, namespace: ex.namespace } };
    // Strict: an unknown (so pruned) field fails the create instead of vanishing. A refused
    // example fails its own tests, not every test in the file.
    await custom
      .createNamespacedCustomObject({ ...ref(ex), body, fieldValidation: 'Strict' })
      .catch((err: unknown) => createErrors.set(ex.file, err));
  }
});

afterAll(async () => {
  if (!control) return;
  const kc = control.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  for (const ex of EXAMPLES) await core.deleteNamespace({ name: ex.namespace }).catch(() => undefined);
  await custom
    ?.deleteClusterCustomObject({
      group: GRIDFED_GROUP,
      version: GRIDFED_VERSION,
      plural: MEMBER_CLUSTER_PLURAL,
      name: MEMBER,
    })
    .catch(() => undefined);
});

describe('the CRDs in deploy/crds', () => {
  it('are the three grids, MemberCluster, SiteConfig, NodeUnit and NodeGroup, all Established', async () => {
    const names = await applyCrds(control.kubeconfigPath, control.kubeConfig());
    expect(names).toEqual([
      'deploymentgrids.superedge.io',
      'memberclusters.gridfed.io',
      'nodegroups.site.superedge.io',
      'nodeunits.site.superedge.io',
      'servicegrids.superedge.io',
      'siteconfigs.gridfed.io',
      'statefulsetgrids.superedge.io',
    ]);
  });
});

describe.each(EXAMPLES.map((ex) => [ex.file, ex] as const))('example %s', (_file, ex) => {
  it('is accepted strictly and reads back unchanged: nothing pruned, only defaultTemplateName defaulted', async () => {
    expect(createErrors.get(ex.file)).toBeUndefined();
    const live = await read(ex);
    expect(live.spec).toStrictEqual(expectedSpec(ex));
    expect(live.metadata.labels).toStrictEqual(ex.manifest.metadata.labels);
    const defaulted = Object.keys(live.spec).filter((key) => !(key in ex.manifest.spec));
    const workload = ex.manifest.kind !== 'ServiceGrid';
    expect(defaulted).toEqual(workload && !('defaultTemplateName' in ex.manifest.spec) ? ['defaultTemplateName'] : []);
  });

  it('takes a status through /status and reads it back, without a new generation', async () => {
    const status = gridStatus(ex.manifest.kind);
    const before = await read(ex);
    const written = await writeStatus(ex, status);
    expect(written.status).toStrictEqual(status);
    const live = await read(ex);
    expect(live.status).toStrictEqual(status);
    expect(live.spec).toStrictEqual(expectedSpec(ex));
    expect(live.metadata.generation).toBe(before.metadata.generation);
  });

  it('ignores status in writes to the main resource, and spec in writes to /status', async () => {
    const status = gridStatus(ex.manifest.kind);
    await writeStatus(ex, status);
    const bogus = { nodeUnits: 99, states: { zone9: { replicas: 9 } } };

    const patched = await patchMain(ex, { metadata: { labels: { 'crds-e2e/touched': 'patch' } }, status: bogus });
    expect(patched.metadata.labels?.['crds-e2e/touched']).toBe('patch');
    expect(patched.status).toStrictEqual(status);

    const live = await read(ex);
    live.metadata.labels = { ...live.metadata.labels, 'crds-e2e/touched': 'put' };
    const replaced = (await custom.replaceNamespacedCustomObject({
      ...ref(ex),
      name: ex.manifest.metadata.name,
      body: { ...live, status: { ...status, ...bogus } },
    })) as LiveObject;
    expect(replaced.metadata.labels?.['crds-e2e/touched']).toBe('put');
    expect(replaced.status).toStrictEqual(status);

    await custom.patchNamespacedCustomObjectStatus(
      { ...ref(ex), name: ex.manifest.metadata.name, body: { spec: { gridUniqKey: 'rack' } } },
      mergePatch,
    );
    const after = await read(ex);
    expect(after.spec).toStrictEqual(expectedSpec(ex));
    expect(after.status).toStrictEqual(status);
  });

  it(`shows its status in kubectl get ${GRID_RESOURCES[ex.manifest.kind].shortName}`, async () => {
    await writeStatus(ex, gridStatus(ex.manifest.kind));
    const { shortName } = GRID_RESOURCES[ex.manifest.kind];
    const rows = parseTable(kubectl(control.kubeconfigPath, ['get', shortName, '-n', ex.namespace]));
    const counts =
      ex.manifest.kind === 'ServiceGrid'
        ? { NODEUNITS: '3', SYNCED: '2' } // no Ready column: a Service is ready once it exists
        : { NODEUNITS: '3', READY: '1', SYNCED: '2', ROLLOUT: 'Progressing' };
    expect(rows).toHaveLength(1);
    const { AGE, ...row } = rows[0] ?? {};
    expect(row).toStrictEqual({ NAME: ex.manifest.metadata.name, ...counts });
    expect(AGE).toMatch(/^\d+[smhd]/);
  });
});

describe('kubectl', () => {
  const listed = (resources: string): string[] => {
    const list = JSON.parse(kubectl(control.kubeconfigPath, ['get', resources, '-A', '-o', 'json'])) as {
      items: { kind: string; metadata: { namespace: string; name: string } }[];
    };
    return list.items
      .map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)
      .filter((key) => EXAMPLES.some((ex) => key.includes(`/${ex.namespace}/`)))
      .sort();
  };
  const everyExample = EXAMPLES.map((ex) => `${ex.manifest.kind}/${ex.namespace}/${ex.manifest.metadata.name}`).sort();

  it('lists every example with the short names dg,ssg,sg', () => {
    expect(listed('dg,ssg,sg')).toEqual(everyExample);
  });

  it('lists every example by the category grids', () => {
    expect(listed('grids')).toEqual(everyExample);
  });
});

describe('schema validation', () => {
  const ns = EXAMPLES[0]?.namespace ?? 'default';
  const dryRun = (manifest: object): string =>
    kubectl(
      control.kubeconfigPath,
      ['create', '--dry-run=server', '-n', ns, '-f', '-', '-o', 'json'],
      JSON.stringify(manifest),
    );
  const dg = (name: string, spec: object) => ({
    apiVersion: `${GRID_GROUP}/${GRID_VERSION}`,
    kind: 'DeploymentGrid',
    metadata: { name },
    spec,
  });
  const template = { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } } } };

  it("keeps gridfed's replicasManagedBy and refuses a value other than grid or member", () => {
    const created = JSON.parse(dryRun(dg('owned', { gridUniqKey: 'zone', template, replicasManagedBy: 'member' }))) as {
      spec: Record<string, unknown>;
    };
    expect(created.spec['replicasManagedBy']).toBe('member');
    expect(() => dryRun(dg('bad', { gridUniqKey: 'zone', template, replicasManagedBy: 'hpa' }))).toThrow(
      /spec\.replicasManagedBy: Unsupported value: "hpa"/,
    );
  });

  it('defaults rolloutStrategy fields only when the strategy is there', () => {
    type Created = { spec: Record<string, unknown> };
    const plain = JSON.parse(dryRun(dg('plain', { gridUniqKey: 'zone', template }))) as Created;
    expect(plain.spec).not.toHaveProperty('rolloutStrategy');
    const staged = JSON.parse(
      dryRun(
        dg('staged', {
          gridUniqKey: 'zone',
          template,
          rolloutStrategy: { type: 'Progressive', waves: [{ percent: 50 }] },
        }),
      ),
    ) as Created;
    expect(staged.spec['rolloutStrategy']).toEqual({
      type: 'Progressive',
      waves: [{ percent: 50 }],
      maxUnavailableNodeUnits: 1,
      minReadySeconds: 0,
      progressDeadlineSeconds: 600,
      paused: false,
      onFailure: 'Rollback',
      revisionHistoryLimit: 10,
    });
    const percent = JSON.parse(
      dryRun(dg('pct', { gridUniqKey: 'zone', template, rolloutStrategy: { maxUnavailableNodeUnits: '20%' } })),
    ) as Created;
    expect(percent.spec['rolloutStrategy']).toMatchObject({ type: 'All', maxUnavailableNodeUnits: '20%' });
  });

  it('refuses a wave with both or neither of nodeUnits and percent, and a bad maxUnavailableNodeUnits', () => {
    const strategy = (rolloutStrategy: object) => dg('bad', { gridUniqKey: 'zone', template, rolloutStrategy });
    expect(() => dryRun(strategy({ waves: [{ nodeUnits: ['a'], percent: 5 }] }))).toThrow(
      /a wave has exactly one of nodeUnits or percent/,
    );
    expect(() => dryRun(strategy({ waves: [{}] }))).toThrow(/a wave has exactly one of nodeUnits or percent/);
    expect(() => dryRun(strategy({ maxUnavailableNodeUnits: '0%' }))).toThrow(/maxUnavailableNodeUnits/);
    expect(() => dryRun(strategy({ maxUnavailableNodeUnits: 0 }))).toThrow(/maxUnavailableNodeUnits/);
    expect(() => dryRun(strategy({ type: 'Canary' }))).toThrow(/Unsupported value: "Canary"/);
  });

  it('explains rolloutStrategy to kubectl explain', () => {
    const text = kubectl(control.kubeconfigPath, ['explain', 'dg.spec.rolloutStrategy']);
    expect(text).toMatch(/maxUnavailableNodeUnits/);
    expect(text).toMatch(/progressDeadlineSeconds/);
    expect(kubectl(control.kubeconfigPath, ['explain', 'ssg.status.rollout.phase'])).toMatch(/phase/);
  });

  it('refuses a grid without gridUniqKey', () => {
    expect(() => dryRun(dg('nokey', { template }))).toThrow(/spec\.gridUniqKey: Required value/);
  });

  it('refuses canary fields on a ServiceGrid', () => {
    const sg = {
      apiVersion: `${GRID_GROUP}/${GRID_VERSION}`,
      kind: 'ServiceGrid',
      metadata: { name: 'canary' },
      spec: { gridUniqKey: 'zone', template: { ports: [{ port: 80 }] }, templatePool: { a: {} } },
    };
    expect(() => dryRun(sg)).toThrow(/unknown field "spec\.templatePool"/);
  });

  it('refuses a condition whose status is not True, False or Unknown', async () => {
    const ex = EXAMPLES[0];
    if (!ex) throw new Error('deploy/examples has no example');
    const status = gridStatus(ex.manifest.kind);
    const conditions = [
      { type: 'Ready', status: 'Yes', reason: 'R', message: '', lastTransitionTime: '2025-06-01T10:00:00Z' },
    ];
    await expect(writeStatus(ex, { ...status, conditions })).rejects.toThrow(/status\.conditions\[0\]\.status/);
  });
});

describe('MemberCluster', () => {
  const mc = { group: GRIDFED_GROUP, version: GRIDFED_VERSION, plural: MEMBER_CLUSTER_PLURAL };
  const status = {
    observedGeneration: 1,
    conditions: [
      {
        type: REACHABLE_CONDITION,
        status: 'True',
        reason: 'ProbeSucceeded',
        message: 'the hub reaches the member apiserver',
        lastTransitionTime: '2025-06-01T10:00:00.123Z',
        observedGeneration: 1,
      },
    ],
    kubernetesVersion: 'v1.35.4',
    nodeUnits: { zone: ['zone1', 'zone2'], rack: ['r1'] },
    nodeUnitCount: 3,
    owner: 'gridfed-hub-7d9f-x2',
  };

  it('defaults the secret namespace and key, takes status through /status and shows it in kubectl get mc', async () => {
    const body = {
      apiVersion: `${GRIDFED_GROUP}/${GRIDFED_VERSION}`,
      kind: 'MemberCluster',
      metadata: { name: MEMBER },
      spec: { secretRef: { name: `member-${MEMBER}` }, description: 'the CRD e2e test' },
      status: { kubernetesVersion: 'ignored on create' },
    };
    const created = (await custom.createClusterCustomObject({ ...mc, body, fieldValidation: 'Strict' })) as LiveObject;
    expect(created.spec).toStrictEqual({
      secretRef: { name: `member-${MEMBER}`, namespace: DEFAULT_HUB_NAMESPACE, key: KUBECONFIG_SECRET_KEY },
      description: 'the CRD e2e test',
    });
    expect(created.status).toBeUndefined();

    await custom.patchClusterCustomObjectStatus({ ...mc, name: MEMBER, body: { status } }, mergePatch);
    await custom.patchClusterCustomObject({ ...mc, name: MEMBER, body: { status: { nodeUnitCount: 7 } } }, mergePatch);
    const live = (await custom.getClusterCustomObject({ ...mc, name: MEMBER })) as LiveObject;
    expect(live.status).toStrictEqual(status);

    expectOneRow(kubectl(control.kubeconfigPath, ['get', 'mc', MEMBER]), {
      NAME: MEMBER,
      REACHABLE: 'True',
      VERSION: 'v1.35.4',
      NODEUNITS: '3',
      OWNER: 'gridfed-hub-7d9f-x2',
    });
  });
});
