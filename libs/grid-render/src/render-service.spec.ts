import { describe, expect, it } from '@jest/globals';
import {
  DESIRED_HASH_ANNOTATION,
  FED_LABEL,
  GRID_KIND_LABEL,
  GRID_NAME_ANNOTATION,
  GRID_NAME_LABEL,
  GRID_NAMESPACE_LABEL,
  GRID_SELECTOR_LABEL,
  GRID_UNIQ_KEY_LABEL,
  MANAGED_BY_LABEL,
  MEMBER_CLUSTER_LABEL,
  NODE_UNIT_LABEL,
  TOPOLOGY_KEYS_ANNOTATION,
  type ServiceGrid,
} from '#gridfed/grid-api';
import { renderService, TEMPLATE_ANNOTATION } from './index.js';
import { deepFreeze, example } from './spec-support.js';

describe('renderService', () => {
  const grid = example<ServiceGrid>('servicegrid-fed.yaml');

  it('renders Service {grid}-svc in the grid namespace with the template as spec', () => {
    const { object } = renderService(grid, 'member-1');
    expect(object).toMatchObject({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'servicegrid-demo-svc', namespace: 'default' },
    });
    expect(object.spec).toEqual({
      selector: { appGrid: 'echo' },
      ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }],
    });
  });

  it('annotates topologyKeys as a JSON array of gridUniqKey, and nothing about templates', () => {
    const { object, hash } = renderService(grid, 'member-1');
    expect(object.metadata.annotations).toEqual({
      [GRID_NAME_ANNOTATION]: 'servicegrid-demo',
      [TOPOLOGY_KEYS_ANNOTATION]: '["zone"]',
      [DESIRED_HASH_ANNOTATION]: hash,
    });
    expect(object.metadata.annotations).not.toHaveProperty([TEMPLATE_ANNOTATION]);
    const prefixed = { ...grid, spec: { ...grid.spec, gridUniqKey: 'topology.kubernetes.io/zone' } };
    const annotation = renderService(prefixed, 'member-1').object.metadata.annotations[TOPOLOGY_KEYS_ANNOTATION];
    expect(JSON.parse(annotation ?? '')).toEqual(['topology.kubernetes.io/zone']);
  });

  it('labels the Service like a workload but without a NodeUnit, and strips the fed label', () => {
    const { labels } = renderService(grid, 'member-2').object.metadata;
    expect(labels).toEqual({
      [MANAGED_BY_LABEL]: 'gridfed',
      [GRID_KIND_LABEL]: 'ServiceGrid',
      [GRID_NAMESPACE_LABEL]: 'default',
      [GRID_NAME_LABEL]: 'servicegrid-demo',
      [MEMBER_CLUSTER_LABEL]: 'member-2',
      [GRID_SELECTOR_LABEL]: 'servicegrid-demo',
      [GRID_UNIQ_KEY_LABEL]: 'zone',
    });
    expect(labels).not.toHaveProperty([NODE_UNIT_LABEL]);
    expect(labels).not.toHaveProperty([FED_LABEL]);
  });

  it('leaves the selector as the template has it', () => {
    expect(renderService(grid, 'member-1').object.spec.selector).toEqual({ appGrid: 'echo' });
  });

  it('keeps clusterIP: None for a headless Service', () => {
    const { object } = renderService(example<ServiceGrid>('servicegrid-headless.yaml'), 'member-1');
    expect(object.metadata.name).toBe('servicegrid-demo-svc');
    expect(object.spec.clusterIP).toBe('None');
  });

  it('keeps clusterIPs: [None], drops addresses the member must allocate', () => {
    const headless = { ...grid, spec: { ...grid.spec, template: { ...grid.spec.template, clusterIPs: ['None'] } } };
    expect(renderService(headless, 'member-1').object.spec.clusterIPs).toEqual(['None']);
    const pinned = {
      ...grid,
      spec: { ...grid.spec, template: { ...grid.spec.template, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] } },
    };
    const { spec } = renderService(pinned, 'member-1').object;
    expect(spec).not.toHaveProperty('clusterIP');
    expect(spec).not.toHaveProperty('clusterIPs');
  });

  it('never changes the grid', () => {
    const headless = example<ServiceGrid>('servicegrid-headless.yaml');
    const frozen = deepFreeze(structuredClone(headless));
    const { object } = renderService(frozen, 'member-1');
    object.spec.ports?.push({ port: 81 });
    expect(frozen).toEqual(headless);
  });
});
