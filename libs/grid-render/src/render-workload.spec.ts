import { describe, expect, it } from '@jest/globals';
import {
  DESIRED_HASH_ANNOTATION,
  FED_LABEL,
  GRID_KIND_LABEL,
  GRID_NAME_ANNOTATION,
  GRID_NAME_LABEL,
  GRID_NAMESPACE_LABEL,
  GRID_SELECTOR_LABEL,
  GRID_UID_LABEL,
  REPLICAS_MANAGED_BY_ANNOTATION,
  GRID_UNIQ_KEY_LABEL,
  MANAGED_BY_LABEL,
  MEMBER_CLUSTER_LABEL,
  NODE_UNIT_LABEL,
  type DeploymentGrid,
  type StatefulSetGrid,
} from '#gridfed/grid-api';
import { renderWorkload, TEMPLATE_ANNOTATION } from './index.js';
import { deepFreeze, example } from './spec-support.js';

const UID = '5f0c2d6e-0000-4000-8000-000000000001';

function fedGrid(): DeploymentGrid {
  const grid = example<DeploymentGrid>('deploymentgrid-fed.yaml');
  return { ...grid, metadata: { ...grid.metadata, uid: UID, labels: { ...grid.metadata.labels, team: 'edge' } } };
}

describe('renderWorkload names and places the workload', () => {
  const grid = example<DeploymentGrid>('deploymentgrid.yaml');

  it('as Deployment {grid}-{nodeunit} in the grid namespace', () => {
    const { object } = renderWorkload(grid, 'zone1', 'member-1');
    expect(object).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'deploymentgrid-demo-zone1', namespace: 'default' },
    });
    expect(renderWorkload(grid, 'zone-0', 'member-1').object.metadata.name).toBe('deploymentgrid-demo-zone-0');
  });

  it('in the grid namespace when it is not default', () => {
    const inEdge = { ...grid, metadata: { ...grid.metadata, namespace: 'edge' } };
    expect(renderWorkload(inEdge, 'zone1', 'member-1').object.metadata.namespace).toBe('edge');
  });

  it('pins pods to the NodeUnit with a nodeSelector on gridUniqKey', () => {
    const { object } = renderWorkload(grid, 'zone2', 'member-2');
    expect(object.spec.template.spec?.nodeSelector).toEqual({ zone: 'zone2' });
  });

  it('merges the template nodeSelector, and the grid key wins', () => {
    const custom = structuredClone(grid);
    const podSpec = custom.spec.template.template.spec;
    if (!podSpec) throw new Error('the example has a pod spec');
    podSpec.nodeSelector = { 'kubernetes.io/arch': 'arm64', zone: 'elsewhere' };
    const { object } = renderWorkload(custom, 'zone1', 'member-1');
    expect(object.spec.template.spec?.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64', zone: 'zone1' });
  });

  it('escapes a NodeUnit that is not a DNS label in the name, not in the label or nodeSelector', () => {
    const { object } = renderWorkload(grid, 'Zone_A', 'member-1');
    expect(object.metadata.name).toMatch(/^deploymentgrid-demo-zone-a-[0-9a-f]{6}$/);
    expect(object.metadata.labels[NODE_UNIT_LABEL]).toBe('Zone_A');
    expect(object.spec.template.spec?.nodeSelector).toEqual({ zone: 'Zone_A' });
    expect(renderWorkload(grid, 'zone-a', 'member-1').object.metadata.name).toBe('deploymentgrid-demo-zone-a');
  });

  it('keeps a long grid name whole in the name and annotation, shortened in label values', () => {
    const longName = `edge-${'x'.repeat(80)}`;
    const long = { ...grid, metadata: { ...grid.metadata, name: longName } };
    const longUnit = `u${'1'.repeat(62)}`;
    const { object } = renderWorkload(long, longUnit, 'member-1');
    expect(object.metadata.name).toBe(`${longName}-${longUnit}`);
    expect(object.metadata.annotations[GRID_NAME_ANNOTATION]).toBe(longName);
    for (const key of [GRID_NAME_LABEL, GRID_SELECTOR_LABEL]) {
      const value = object.metadata.labels[key] ?? '';
      expect(value.length).toBeLessThanOrEqual(63);
      expect(value).toMatch(/^edge-x+-[0-9a-f]{10}$/);
    }
    expect(object.metadata.labels[NODE_UNIT_LABEL]).toBe(longUnit);
  });
});

describe('renderWorkload labels', () => {
  const { object } = renderWorkload(fedGrid(), 'zone1', 'member-1');

  it('carries ownership and SuperEdge labels on the object', () => {
    expect(object.metadata.labels).toEqual({
      team: 'edge',
      [MANAGED_BY_LABEL]: 'gridfed',
      [GRID_KIND_LABEL]: 'DeploymentGrid',
      [GRID_NAMESPACE_LABEL]: 'default',
      [GRID_NAME_LABEL]: 'deploymentgrid-demo',
      [GRID_UID_LABEL]: UID,
      [NODE_UNIT_LABEL]: 'zone1',
      [MEMBER_CLUSTER_LABEL]: 'member-1',
      [GRID_SELECTOR_LABEL]: 'deploymentgrid-demo',
      [GRID_UNIQ_KEY_LABEL]: 'zone',
    });
  });

  it('strips superedge.io/fed so a member hub does not distribute it again', () => {
    expect(object.metadata.labels).not.toHaveProperty([FED_LABEL]);
  });

  it('leaves the pod selector and pod labels as the template has them', () => {
    expect(object.spec.selector).toEqual({ matchLabels: { appGrid: 'echo' } });
    expect(object.spec.template.metadata?.labels).toEqual({ appGrid: 'echo' });
  });

  it('omits the uid label when the grid has no uid', () => {
    const labels = renderWorkload(example<DeploymentGrid>('deploymentgrid.yaml'), 'zone1', 'm').object.metadata.labels;
    expect(labels).not.toHaveProperty([GRID_UID_LABEL]);
  });

  it('does not let grid labels fake ownership', () => {
    const grid = fedGrid();
    grid.metadata.labels = { [MANAGED_BY_LABEL]: 'someone', [NODE_UNIT_LABEL]: 'zone9' };
    expect(renderWorkload(grid, 'zone1', 'member-1').object.metadata.labels).toMatchObject({
      [MANAGED_BY_LABEL]: 'gridfed',
      [NODE_UNIT_LABEL]: 'zone1',
    });
  });

  it('leaves out grid-uniq-key when gridUniqKey is prefixed (not a valid label value)', () => {
    const grid = example<DeploymentGrid>('deploymentgrid.yaml');
    grid.spec.gridUniqKey = 'topology.kubernetes.io/zone';
    const rendered = renderWorkload(grid, 'zone1', 'member-1').object;
    expect(rendered.metadata.labels).not.toHaveProperty([GRID_UNIQ_KEY_LABEL]);
    expect(rendered.spec.template.spec?.nodeSelector).toEqual({ 'topology.kubernetes.io/zone': 'zone1' });
  });
});

describe('renderWorkload annotations and templates', () => {
  const canary = example<DeploymentGrid>('deploymentgrid-canary.yaml');

  it.each([
    ['zone1', 'test1', 'superedge/echoserver:2.2', 2],
    ['zone2', 'test2', 'superedge/echoserver:2.3', 3],
    ['zone3', 'test1', 'superedge/echoserver:2.2', 2],
  ])('renders %s from %s', (nodeUnit, template, image, replicas) => {
    const { object, hash } = renderWorkload(canary, nodeUnit, 'member-1');
    expect(object.metadata.annotations).toEqual({
      [GRID_NAME_ANNOTATION]: 'deploymentgrid-demo',
      [TEMPLATE_ANNOTATION]: template,
      [REPLICAS_MANAGED_BY_ANNOTATION]: 'grid',
      [DESIRED_HASH_ANNOTATION]: hash,
    });
    expect(object.spec.replicas).toBe(replicas);
    expect(object.spec.template.spec?.containers[0]?.image).toBe(image);
  });

  it('annotates spec.template as default', () => {
    const { object } = renderWorkload(example<DeploymentGrid>('deploymentgrid.yaml'), 'zone1', 'member-1');
    expect(object.metadata.annotations[TEMPLATE_ANNOTATION]).toBe('default');
  });

  it('drops creationTimestamp: null from the pod template', () => {
    const { object } = renderWorkload(canary, 'zone1', 'member-1');
    expect(object.spec.template.metadata).toEqual({ labels: { appGrid: 'echo' } });
  });

  it('names the template when it has no pod spec', () => {
    const broken = structuredClone(canary);
    delete broken.spec.templatePool?.['test2']?.template.spec;
    expect(() => renderWorkload(broken, 'zone2', 'member-2')).toThrow(
      'grid default/deploymentgrid-demo: spec.templatePool.test2.template.spec is missing',
    );
  });

  it('never changes the grid', () => {
    const frozen = deepFreeze(structuredClone(canary));
    for (const nodeUnit of ['zone1', 'zone2', 'zone3']) renderWorkload(frozen, nodeUnit, 'member-1');
    expect(frozen).toEqual(canary);
    expect(frozen.spec.templatePool?.['test1']?.template.metadata).toHaveProperty('creationTimestamp', null);
  });

  it('returns objects that share nothing with the grid', () => {
    const grid = structuredClone(canary);
    const { object } = renderWorkload(grid, 'zone1', 'member-1');
    object.spec.template.spec?.containers.push({ name: 'extra' });
    expect(grid.spec.templatePool?.['test1']?.template.spec?.containers).toHaveLength(1);
  });
});

describe('renderWorkload for a StatefulSetGrid', () => {
  const grid = example<StatefulSetGrid>('statefulsetgrid.yaml');

  it('renders a StatefulSet that keeps serviceName', () => {
    const { object } = renderWorkload(grid, 'zone1', 'member-1');
    expect(object).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'statefulsetgrid-demo-zone1', labels: { [GRID_KIND_LABEL]: 'StatefulSetGrid' } },
      spec: { serviceName: 'servicegrid-demo-svc', replicas: 3 },
    });
    expect(object.spec.template.spec?.nodeSelector).toEqual({ zone: 'zone1' });
    expect(object.spec.template.spec?.terminationGracePeriodSeconds).toBe(10);
  });

  it('drops creationTimestamp: null from volume claim templates, never changing the grid', () => {
    const withClaims = structuredClone(grid);
    withClaims.spec.template.volumeClaimTemplates = [
      {
        metadata: { name: 'data', creationTimestamp: null as unknown as Date },
        spec: { accessModes: ['ReadWriteOnce'] },
      },
    ];
    const frozen = deepFreeze(withClaims);
    const { object } = renderWorkload(frozen, 'zone1', 'member-1');
    expect(object.spec.volumeClaimTemplates?.[0]?.metadata).toEqual({ name: 'data' });
    expect(frozen.spec.template.volumeClaimTemplates?.[0]?.metadata).toHaveProperty('creationTimestamp', null);
  });
});
