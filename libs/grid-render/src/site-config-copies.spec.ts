import { describe, expect, it } from '@jest/globals';
import type { V1PodSpec, V1Secret } from '@kubernetes/client-node';
import { SITE_CONFIG_HASH_ANNOTATION, type DeploymentGrid, type StatefulSetGrid } from '#gridfed/grid-api';
import { siteConfigCopyRef, type SiteConfig } from '#gridfed/site-config';
import { renderWorkload, SiteConfigReferenceError, type SiteConfigInputs } from './index.js';
import { deepFreeze, example } from './spec-support.js';

function siteConfig(name: string, spec: SiteConfig['spec']): SiteConfig {
  return { apiVersion: 'gridfed.io/v1alpha1', kind: 'SiteConfig', metadata: { name, namespace: 'default' }, spec };
}

const mallConfig = (): SiteConfig =>
  siteConfig('mall-config', {
    gridUniqKey: 'zone',
    required: ['mall-id'],
    defaults: { data: { 'log-level': 'info' } },
    nodeUnits: { zone1: { data: { 'mall-id': 'xian' } }, zone2: { data: { 'mall-id': 'hebei' } } },
  });

const mallCredentials = (): SiteConfig =>
  siteConfig('mall-credentials', {
    gridUniqKey: 'zone',
    type: 'Secret',
    defaults: { secretRefs: [{ name: 'mall-db' }] },
  });

const DB_PASSWORD = 'pw-that-must-stay-secret';
const CONTROL_SECRETS: Record<string, V1Secret> = {
  'mall-db': {
    metadata: { name: 'mall-db', namespace: 'default', uid: 'u-db' },
    data: { 'db-password': Buffer.from(DB_PASSWORD).toString('base64') },
  },
};

function inputs(...configs: SiteConfig[]): SiteConfigInputs {
  const byName = new Map(configs.map((c) => [c.metadata.name!, c]));
  return { siteConfig: (name) => byName.get(name), secrets: (name) => CONTROL_SECRETS[name] };
}

/** Every kind of reference, to the two SiteConfigs and to names that are no SiteConfig. */
const POD_SPEC: V1PodSpec = {
  volumes: [
    { name: 'config', configMap: { name: 'mall-config' } },
    { name: 'creds', secret: { secretName: 'mall-credentials' } },
    {
      name: 'all',
      projected: {
        sources: [
          { configMap: { name: 'mall-config' } },
          { secret: { name: 'mall-credentials' } },
          { configMap: { name: 'plain-config' } },
        ],
      },
    },
    { name: 'plain', configMap: { name: 'plain-config' } },
    // A ConfigMap that happens to share the Secret SiteConfig's name is not that SiteConfig.
    { name: 'same-name-other-kind', configMap: { name: 'mall-credentials' } },
    { name: 'scratch', emptyDir: {} },
  ],
  initContainers: [{ name: 'init', image: 'busybox', envFrom: [{ configMapRef: { name: 'mall-config' } }] }],
  containers: [
    {
      name: 'app',
      image: 'app',
      envFrom: [{ secretRef: { name: 'mall-credentials' } }, { configMapRef: { name: 'plain-config' } }],
      env: [
        { name: 'MALL_ID', valueFrom: { configMapKeyRef: { name: 'mall-config', key: 'mall-id' } } },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'mall-credentials', key: 'db-password' } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'plain-secret', key: 'token' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ],
    },
  ],
};

function gridUsingConfig(podSpec: V1PodSpec = POD_SPEC): DeploymentGrid {
  const grid = structuredClone(example<DeploymentGrid>('deploymentgrid.yaml'));
  grid.spec.template.template.spec = structuredClone(podSpec);
  return grid;
}

/** The workload of `nodeUnit`, rendered with both SiteConfigs (or `given`). */
function renderFor(grid: DeploymentGrid, nodeUnit: string, given = inputs(mallConfig(), mallCredentials())) {
  return renderWorkload(grid, nodeUnit, 'member-1', undefined, given);
}

function podSpecOf(grid: DeploymentGrid, nodeUnit: string, given?: SiteConfigInputs): V1PodSpec {
  const spec = renderFor(grid, nodeUnit, given).object.spec.template.spec;
  if (!spec) throw new Error('a rendered workload has a pod spec');
  return spec;
}

describe('renderWorkload points SiteConfig references at the NodeUnit copy', () => {
  const zone1 = podSpecOf(gridUsingConfig(), 'zone1');
  const volumes = zone1.volumes!;
  const app = zone1.containers[0]!;

  it.each([
    ['volumes[].configMap.name', () => volumes[0]!.configMap!.name, 'mall-config-zone1'],
    ['volumes[].secret.secretName', () => volumes[1]!.secret!.secretName, 'mall-credentials-zone1'],
    [
      'projected sources[].configMap.name',
      () => volumes[2]!.projected!.sources![0]!.configMap!.name,
      'mall-config-zone1',
    ],
    [
      'projected sources[].secret.name',
      () => volumes[2]!.projected!.sources![1]!.secret!.name,
      'mall-credentials-zone1',
    ],
    [
      'initContainers envFrom[].configMapRef.name',
      () => zone1.initContainers![0]!.envFrom![0]!.configMapRef!.name,
      'mall-config-zone1',
    ],
    ['containers envFrom[].secretRef.name', () => app.envFrom![0]!.secretRef!.name, 'mall-credentials-zone1'],
    ['env[].valueFrom.configMapKeyRef.name', () => app.env![0]!.valueFrom!.configMapKeyRef!.name, 'mall-config-zone1'],
    ['env[].valueFrom.secretKeyRef.name', () => app.env![1]!.valueFrom!.secretKeyRef!.name, 'mall-credentials-zone1'],
  ])('%s', (_where, read, expected) => {
    expect(read()).toBe(expected);
  });

  it('keeps the keys a reference picks', () => {
    expect(app.env![0]!.valueFrom!.configMapKeyRef!.key).toBe('mall-id');
    expect(app.env![1]!.valueFrom!.secretKeyRef!.key).toBe('db-password');
  });

  it('leaves names that are no SiteConfig, or a SiteConfig of the other kind, untouched', () => {
    expect(volumes[2]!.projected!.sources![2]!.configMap!.name).toBe('plain-config');
    expect(volumes[3]!.configMap!.name).toBe('plain-config');
    expect(volumes[4]!.configMap!.name).toBe('mall-credentials');
    expect(volumes[5]).toEqual({ name: 'scratch', emptyDir: {} });
    expect(app.envFrom![1]!.configMapRef!.name).toBe('plain-config');
    expect(app.env![2]!.valueFrom!.secretKeyRef!.name).toBe('plain-secret');
    expect(app.env![3]).toEqual(POD_SPEC.containers[0]!.env![3]);
  });

  it('points each NodeUnit at its own copy', () => {
    expect(podSpecOf(gridUsingConfig(), 'zone2').volumes![0]!.configMap!.name).toBe('mall-config-zone2');
  });

  it('puts {siteconfig}={content hash} of each copy used on the pod template, sorted', () => {
    const { object } = renderFor(gridUsingConfig(), 'zone1');
    const secrets = (name: string): V1Secret | undefined => CONTROL_SECRETS[name];
    const configHash = siteConfigCopyRef(mallConfig(), 'zone1').contentHash;
    const credentialsHash = siteConfigCopyRef(mallCredentials(), 'zone1', secrets).contentHash;
    expect(object.spec.template.metadata?.annotations).toEqual({
      [SITE_CONFIG_HASH_ANNOTATION]: `mall-config=${configHash},mall-credentials=${credentialsHash}`,
    });
    // On the pod template only: the workload object's annotations stay as they were.
    expect(object.metadata.annotations[SITE_CONFIG_HASH_ANNOTATION]).toBeUndefined();
  });

  it('never puts a Secret value in the workload', () => {
    const { object } = renderFor(gridUsingConfig(), 'zone1');
    const text = JSON.stringify(object);
    expect(text).not.toContain(DB_PASSWORD);
    expect(text).not.toContain(Buffer.from(DB_PASSWORD).toString('base64'));
  });

  it('never changes the grid or the SiteConfigs', () => {
    const grid = deepFreeze(gridUsingConfig());
    const given = inputs(deepFreeze(mallConfig()), deepFreeze(mallCredentials()));
    expect(() => renderWorkload(grid, 'zone1', 'member-1', undefined, given)).not.toThrow();
  });
});

describe('a change of one NodeUnit configuration rolls only that NodeUnit', () => {
  const render = (config: SiteConfig, nodeUnit: string) =>
    renderWorkload(gridUsingConfig(), nodeUnit, 'member-1', undefined, inputs(config, mallCredentials()));
  const changed = mallConfig();
  changed.spec.nodeUnits!['zone1']!.data!['mall-id'] = 'xian-2';

  it('changes the pod template hash and the desired hash of that NodeUnit workload', () => {
    const before = render(mallConfig(), 'zone1');
    const after = render(changed, 'zone1');
    expect(after.object.spec.template.metadata?.annotations?.[SITE_CONFIG_HASH_ANNOTATION]).not.toBe(
      before.object.spec.template.metadata?.annotations?.[SITE_CONFIG_HASH_ANNOTATION],
    );
    expect(after.hash).not.toBe(before.hash);
  });

  it('leaves the other NodeUnit workloads exactly as they were', () => {
    expect(render(changed, 'zone2')).toEqual(render(mallConfig(), 'zone2'));
  });

  it('changes every NodeUnit that takes a default when the default changes', () => {
    const newDefault = mallConfig();
    newDefault.spec.defaults!.data!['log-level'] = 'debug';
    for (const nodeUnit of ['zone1', 'zone2'])
      expect(render(newDefault, nodeUnit).hash).not.toBe(render(mallConfig(), nodeUnit).hash);
  });
});

describe('a revision that keeps its copies points at copies named by content', () => {
  const live = siteConfigCopyRef(mallConfig(), 'zone1');
  const keptName = `mall-config-zone1-${live.contentHash.slice(0, 10)}`;
  const kept = (recorded: Record<string, Record<string, { hash: string; keys: string[] }>>): SiteConfigInputs => ({
    ...inputs(mallConfig(), mallCredentials()),
    keptCopies: { recorded: (siteConfig, nodeUnit) => recorded[siteConfig]?.[nodeUnit] },
  });

  it("the NodeUnit's copy as it is now, for the current revision (no snapshot entry)", () => {
    const spec = podSpecOf(gridUsingConfig(), 'zone1', kept({}));
    expect(spec.volumes![0]!.configMap!.name).toBe(keptName);
    expect(spec.containers[0]!.env![0]!.valueFrom!.configMapKeyRef!.name).toBe(keptName);
    expect(spec.volumes![1]!.secret!.secretName).toMatch(/^mall-credentials-zone1-[0-9a-f]{10}$/);
  });

  it('the copy the revision recorded for an older revision, whatever the SiteConfig holds now', () => {
    const old = { hash: 'ab'.repeat(8), keys: ['log-level', 'mall-id'] };
    const rendered = renderFor(gridUsingConfig(), 'zone1', kept({ 'mall-config': { zone1: old } }));
    const spec = rendered.object.spec.template.spec!;
    expect(spec.volumes![0]!.configMap!.name).toBe('mall-config-zone1-ababababab');
    expect(rendered.object.spec.template.metadata?.annotations?.[SITE_CONFIG_HASH_ANNOTATION]).toContain(
      `mall-config=${old.hash}`,
    );
    // Another NodeUnit the snapshot does not list: its copy as it is now.
    expect(
      podSpecOf(gridUsingConfig(), 'zone2', kept({ 'mall-config': { zone1: old } })).volumes![0]!.configMap!.name,
    ).toMatch(/^mall-config-zone2-[0-9a-f]{10}$/);
  });

  it('checks the keys the pod takes against the recorded keys', () => {
    const old = { hash: 'ab'.repeat(8), keys: ['log-level'] };
    expect(() => renderFor(gridUsingConfig(), 'zone1', kept({ 'mall-config': { zone1: old } }))).toThrow(
      /names key "mall-id", which NodeUnit zone1's copy of SiteConfig "mall-config" does not have \(it has log-level\)/,
    );
  });
});

describe('renderWorkload without SiteConfigs', () => {
  it('renders exactly as before when no input is given, references untouched', () => {
    const grid = gridUsingConfig();
    const { object } = renderWorkload(grid, 'zone1', 'member-1');
    expect(object.spec.template.spec).toEqual({ ...POD_SPEC, nodeSelector: { zone: 'zone1' } });
    expect(object.spec.template.metadata?.annotations).toBeUndefined();
  });

  it('gives the same object for a template using no SiteConfig, with or without the input', () => {
    const grid = example<DeploymentGrid>('deploymentgrid.yaml');
    expect(renderWorkload(grid, 'zone1', 'member-1', undefined, inputs(mallConfig()))).toEqual(
      renderWorkload(grid, 'zone1', 'member-1'),
    );
  });
});

describe('renderWorkload refuses a NodeUnit whose copy cannot be made', () => {
  it('a missing override: names the grid field, the SiteConfig, the NodeUnit and the key', () => {
    expect(() => podSpecOf(gridUsingConfig(), 'zone3')).toThrow(
      'grid default/deploymentgrid-demo: spec.template.template.spec.volumes[0].configMap.name names SiteConfig "mall-config", ' +
        'which has no copy for NodeUnit zone3: siteconfig default/mall-config: spec.nodeUnits.zone3 is missing: ' +
        'NodeUnit zone3 lacks required key "mall-id" (spec.required)',
    );
  });

  it('says which SiteConfig and NodeUnit, so the caller can set that one NodeUnit aside', () => {
    const refusal = (nodeUnit: string, given: SiteConfigInputs): unknown => {
      try {
        renderWorkload(gridUsingConfig(), nodeUnit, 'member-1', undefined, given);
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const missing = refusal('zone3', inputs(mallConfig(), mallCredentials()));
    expect(missing).toBeInstanceOf(SiteConfigReferenceError);
    expect(missing).toMatchObject({ siteConfig: 'mall-config', nodeUnit: 'zone3' });
    const byRegion = mallConfig();
    byRegion.spec.gridUniqKey = 'region';
    expect(refusal('zone1', inputs(byRegion))).toMatchObject({ siteConfig: 'mall-config', nodeUnit: 'zone1' });
  });

  it('a missing control-cluster Secret, by name only', () => {
    const given: SiteConfigInputs = { siteConfig: inputs(mallConfig(), mallCredentials()).siteConfig };
    expect(() => podSpecOf(gridUsingConfig(), 'zone1', given)).toThrow(
      'spec.template.template.spec.volumes[1].secret.secretName names SiteConfig "mall-credentials", which has no copy for NodeUnit zone1: ' +
        'siteconfig default/mall-credentials: spec.defaults.secretRefs[0] names Secret default/mall-db, which the control cluster does not have',
    );
  });

  it('a SiteConfig keyed by another node label than the grid', () => {
    const byRegion = mallConfig();
    byRegion.spec.gridUniqKey = 'region';
    expect(() => podSpecOf(gridUsingConfig(), 'zone1', inputs(byRegion))).toThrow(
      'spec.template.template.spec.volumes[0].configMap.name names SiteConfig "mall-config", whose gridUniqKey is "region", not the grid\'s "zone"',
    );
  });

  it('names the templatePool entry a StatefulSetGrid NodeUnit uses', () => {
    const grid = structuredClone(example<StatefulSetGrid>('statefulsetgrid.yaml'));
    const podSpec: V1PodSpec = { containers: [{ name: 'app', envFrom: [{ configMapRef: { name: 'mall-config' } }] }] };
    grid.spec.template.template.spec = podSpec;
    grid.spec.templatePool = { canary: structuredClone(grid.spec.template) };
    grid.spec.templates = { zone3: 'canary' };
    expect(() => renderWorkload(grid, 'zone3', 'member-1', undefined, inputs(mallConfig()))).toThrow(
      'spec.templatePool.canary.template.spec.containers[0].envFrom[0].configMapRef.name names SiteConfig "mall-config"',
    );
    const zone1 = renderWorkload(grid, 'zone1', 'member-1', undefined, inputs(mallConfig())).object;
    expect(zone1.spec.template.spec?.containers[0]?.envFrom?.[0]?.configMapRef?.name).toBe('mall-config-zone1');
  });
});

describe('renderWorkload checks the keys a pod takes from a copy', () => {
  const withEnv = (valueFrom: object, volume?: object): V1PodSpec => ({
    ...(volume ? { volumes: [{ name: 'v', ...volume }] } : {}),
    containers: [{ name: 'app', env: [{ name: 'X', valueFrom }] }],
  });

  it('refuses a configMapKeyRef key the NodeUnit copy lacks, naming the field, NodeUnit and SiteConfig', () => {
    const grid = gridUsingConfig(withEnv({ configMapKeyRef: { name: 'mall-config', key: 'floor' } }));
    expect(() => podSpecOf(grid, 'zone1')).toThrow(
      'grid default/deploymentgrid-demo: spec.template.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.key ' +
        'names key "floor", which NodeUnit zone1\'s copy of SiteConfig "mall-config" does not have (it has log-level, mall-id)',
    );
  });

  it('refuses a volume item key the copy lacks', () => {
    const grid = gridUsingConfig(
      withEnv(
        { fieldRef: { fieldPath: 'spec.nodeName' } },
        { secret: { secretName: 'mall-credentials', items: [{ key: 'token', path: 't' }] } },
      ),
    );
    expect(() => podSpecOf(grid, 'zone1')).toThrow(
      'spec.template.template.spec.volumes[0].secret.items[0].key names key "token"',
    );
  });

  it('takes a key the copy has, and any key of an optional reference', () => {
    const has = gridUsingConfig(withEnv({ secretKeyRef: { name: 'mall-credentials', key: 'db-password' } }));
    expect(podSpecOf(has, 'zone1').containers[0]!.env![0]!.valueFrom!.secretKeyRef!.name).toBe(
      'mall-credentials-zone1',
    );
    const optional = gridUsingConfig(
      withEnv({ configMapKeyRef: { name: 'mall-config', key: 'floor', optional: true } }),
    );
    expect(podSpecOf(optional, 'zone1').containers[0]!.env![0]!.valueFrom!.configMapKeyRef!.name).toBe(
      'mall-config-zone1',
    );
  });

  it('does not check the keys of names that are no SiteConfig', () => {
    const plain = gridUsingConfig(withEnv({ configMapKeyRef: { name: 'plain-config', key: 'anything' } }));
    expect(podSpecOf(plain, 'zone1').containers[0]!.env![0]!.valueFrom!.configMapKeyRef!.name).toBe('plain-config');
  });
});
