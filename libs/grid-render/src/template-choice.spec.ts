import { describe, expect, it } from '@jest/globals';
import type { V1DeploymentSpec } from '@kubernetes/client-node';
import type { DeploymentGrid, StatefulSetGrid } from '#gridfed/grid-api';
import { chooseTemplate } from './index.js';
import { example } from './spec-support.js';

function withSpec(edit: Partial<DeploymentGrid['spec']>): DeploymentGrid {
  const grid = example<DeploymentGrid>('deploymentgrid-canary.yaml');
  return { ...grid, spec: { ...grid.spec, ...edit } };
}

const imageOf = (spec: V1DeploymentSpec) => spec.template.spec?.containers[0]?.image;

describe('chooseTemplate on the seed canary example', () => {
  const grid = example<DeploymentGrid>('deploymentgrid-canary.yaml');

  it('gives zone1 template test1: image 2.2, 2 replicas', () => {
    const chosen = chooseTemplate(grid, 'zone1');
    expect(chosen.name).toBe('test1');
    expect(chosen.field).toBe('spec.templatePool.test1');
    expect(imageOf(chosen.spec)).toBe('superedge/echoserver:2.2');
    expect(chosen.spec.replicas).toBe(2);
  });

  it('gives zone2 template test2: image 2.3, 3 replicas', () => {
    const chosen = chooseTemplate(grid, 'zone2');
    expect(chosen.name).toBe('test2');
    expect(imageOf(chosen.spec)).toBe('superedge/echoserver:2.3');
    expect(chosen.spec.replicas).toBe(3);
  });

  it.each(['zone3', 'Zone_A', 'constructor', 'toString'])('gives %s the default, test1', (nodeUnit) => {
    const chosen = chooseTemplate(grid, nodeUnit);
    expect(chosen.name).toBe('test1');
    expect(chosen.spec).toBe(grid.spec.templatePool?.['test1']);
  });
});

describe('chooseTemplate falls back to spec.template', () => {
  it.each([
    ['defaultTemplateName: default', { defaultTemplateName: 'default' }],
    ['no defaultTemplateName', { defaultTemplateName: undefined }],
    ['an empty defaultTemplateName', { defaultTemplateName: '' }],
  ])('for a NodeUnit without an entry, with %s', (_, edit) => {
    const grid = withSpec(edit);
    const chosen = chooseTemplate(grid, 'zone3');
    expect(chosen).toEqual({ name: 'default', spec: grid.spec.template, field: 'spec.template' });
    expect(chosen.spec.replicas).toBe(1);
    // Explicit assignments still win over the fallback.
    expect(chooseTemplate(grid, 'zone2').name).toBe('test2');
  });

  it('with an empty pool and no templates', () => {
    const grid = withSpec({ templatePool: {}, templates: undefined, defaultTemplateName: undefined });
    expect(chooseTemplate(grid, 'zone1').spec).toBe(grid.spec.template);
  });

  it('for the plain seed DeploymentGrid and StatefulSetGrid', () => {
    const deployments = example<DeploymentGrid>('deploymentgrid.yaml');
    const statefulSets = example<StatefulSetGrid>('statefulsetgrid.yaml');
    expect(chooseTemplate(deployments, 'zone1').spec).toBe(deployments.spec.template);
    expect(chooseTemplate(statefulSets, 'zone1').spec.serviceName).toBe('servicegrid-demo-svc');
  });
});

describe('chooseTemplate with a name missing from templatePool', () => {
  it('names the grid, the NodeUnit entry and the pool', () => {
    const grid = withSpec({ templates: { zone1: 'canary' } });
    expect(() => chooseTemplate(grid, 'zone1')).toThrow(
      'grid default/deploymentgrid-demo: spec.templates.zone1 names "canary", which is not in templatePool (templatePool has test1, test2)',
    );
  });

  it('names spec.defaultTemplateName when the fallback is missing', () => {
    const grid = withSpec({ defaultTemplateName: 'gone', templatePool: {} });
    expect(() => chooseTemplate(grid, 'zone3')).toThrow(
      'grid default/deploymentgrid-demo: spec.defaultTemplateName names "gone", which is not in templatePool (templatePool is empty)',
    );
  });

  it('quotes a NodeUnit that would read as a path', () => {
    const grid = withSpec({ templates: { 'rack.7': 'canary' }, templatePool: undefined });
    expect(() => chooseTemplate(grid, 'rack.7')).toThrow('spec.templates["rack.7"] names "canary"');
  });

  it('does not take an inherited property for a pool entry', () => {
    const grid = withSpec({ templates: { zone1: 'constructor' } });
    expect(() => chooseTemplate(grid, 'zone1')).toThrow(/names "constructor", which is not in templatePool/);
  });
});
