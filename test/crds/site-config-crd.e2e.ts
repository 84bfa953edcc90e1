// The SiteConfig CRD on a real kube-apiserver (the fleet's control cluster): the examples of
// deploy/examples/site-config apply with kubectl and read back unchanged, `type` defaults to
// ConfigMap, the schema refuses what it can, status lives behind /status, and `kubectl get scfg`
// shows the printer columns.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { GRIDFED_GROUP, GRIDFED_VERSION } from '#gridfed/grid-api';
import { SITE_CONFIG_PLURAL, SITE_CONFIG_SHORT_NAME, validateSiteConfig, type SiteConfig } from '#gridfed/site-config';
import { fleetCluster } from '../cluster/jest/test-fleet.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { applyCrds, expectOneRow, kubectl } from './apply.js';

const NAMESPACE = 'crds-site-config';
const EXAMPLES_DIR = resolve('deploy/examples/site-config');
const FILES = ['siteconfig-configmap.yaml', 'siteconfig-secret.yaml'];
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const sc = { group: GRIDFED_GROUP, version: GRIDFED_VERSION, namespace: NAMESPACE, plural: SITE_CONFIG_PLURAL };

let control: LocalCluster;
let custom: CustomObjectsApi;

const example = (file: string): SiteConfig => parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as SiteConfig;
const read = async (name: string): Promise<SiteConfig> =>
  (await custom.getNamespacedCustomObject({ ...sc, name })) as SiteConfig;
const dryRun = (manifest: object): string =>
  kubectl(
    control.kubeconfigPath,
    ['create', '--dry-run=server', '-n', NAMESPACE, '-f', '-', '-o', 'json'],
    JSON.stringify(manifest),
  );
const withSpec = (spec: object) => ({ ...example(FILES[0]!), metadata: { name: 'probe' }, spec });

beforeAll(async () => {
  control = await fleetCluster('control');
  const kc = control.kubeConfig();
  custom = kc.makeApiClient(CustomObjectsApi);
  await applyCrds(control.kubeconfigPath, kc);
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name: NAMESPACE } } })
    .catch((err: unknown) => {
      if ((err as { code?: number }).code !== 409) throw err;
    });
});

afterAll(async () => {
  if (control)
    await control
      .kubeConfig()
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: NAMESPACE })
      .catch(() => undefined);
});

describe('the SiteConfig examples', () => {
  it.each(FILES)('%s applies with kubectl (strict) and reads back unchanged and valid', async (file) => {
    const manifest = example(file);
    // The example says namespace default; this test keeps to a namespace of its own.
    const body = JSON.stringify({ ...manifest, metadata: { ...manifest.metadata, namespace: NAMESPACE } });
    kubectl(control.kubeconfigPath, ['apply', '--validate=strict', '-f', '-'], body);
    const live = await read(manifest.metadata.name!);
    expect(live.spec).toStrictEqual(manifest.spec);
    expect(validateSiteConfig(live).ok).toBe(true);
  });
});

describe('the SiteConfig schema', () => {
  it('defaults type to ConfigMap', () => {
    const created = JSON.parse(dryRun(withSpec({ gridUniqKey: 'zone', defaults: { data: { a: 'b' } } }))) as SiteConfig;
    expect(created.spec.type).toBe('ConfigMap');
  });

  it('refuses an unknown type, a secretRef without a name, a value that is not a string and a missing gridUniqKey', () => {
    expect(() => dryRun(withSpec({ gridUniqKey: 'zone', type: 'Map' }))).toThrow(
      /spec\.type: Unsupported value: "Map"/,
    );
    expect(() =>
      dryRun(withSpec({ gridUniqKey: 'zone', type: 'Secret', defaults: { secretRefs: [{ key: 'k' }] } })),
    ).toThrow(/spec\.defaults\.secretRefs\[0\]\.name: Required value/);
    expect(() => dryRun(withSpec({ gridUniqKey: 'zone', nodeUnits: { zone1: { data: { port: 8080 } } } }))).toThrow(
      /spec\.nodeUnits\.zone1\.data\.port: Invalid value: "integer"/,
    );
    expect(() => dryRun(withSpec({ defaults: { data: { a: 'b' } } }))).toThrow(/spec\.gridUniqKey: Required value/);
  });
});

describe('SiteConfig status', () => {
  const status = {
    observedGeneration: 1,
    conditions: [
      {
        type: 'Valid',
        status: 'False',
        reason: 'MissingRequiredKey',
        message: 'siteconfig crds-site-config/mall-config: spec.nodeUnits.zone3 is missing',
        lastTransitionTime: '2025-06-01T10:00:00Z',
        observedGeneration: 1,
      },
    ],
    nodeUnits: 3,
    readyNodeUnits: 2,
    states: [
      {
        nodeUnit: 'zone1',
        member: 'member-1',
        copy: 'mall-config-zone1',
        state: 'Applied',
        hash: '0123456789abcdef',
        reason: 'CopyApplied',
      },
      {
        nodeUnit: 'zone3',
        member: 'member-1',
        copy: 'mall-config-zone3',
        state: 'Held',
        reason: 'OverrideMissing',
        message: 'spec.nodeUnits.zone3 is missing',
      },
    ],
  };

  it('takes status through /status only, and kubectl get scfg shows it', async () => {
    const name = example(FILES[0]!).metadata.name!;
    await custom.patchNamespacedCustomObjectStatus({ ...sc, name, body: { status } }, mergePatch);
    await custom.patchNamespacedCustomObject({ ...sc, name, body: { status: { nodeUnits: 7 } } }, mergePatch);
    const live = await read(name);
    expect(live.status).toStrictEqual(status);
    expect(live.metadata.generation).toBe(1);

    expectOneRow(kubectl(control.kubeconfigPath, ['get', SITE_CONFIG_SHORT_NAME, '-n', NAMESPACE, name]), {
      NAME: name,
      TYPE: 'ConfigMap',
      KEY: 'zone',
      NODEUNITS: '3',
      READY: '2',
      VALID: 'False',
    });
    expect(
      kubectl(control.kubeconfigPath, ['get', SITE_CONFIG_SHORT_NAME, '-n', NAMESPACE, name, '-o', 'wide']),
    ).toMatch(/\sREASON\s/);
  });
});
