import { describe, expect, it } from '@jest/globals';
import type { V1DeploymentSpec } from '@kubernetes/client-node';
import type { DeploymentGrid, StatefulSetGrid } from '#gridfed/grid-api';
import { unusedTemplates } from './index.js';
import { example } from './spec-support.js';

const canary = example<DeploymentGrid>('deploymentgrid-canary.yaml');

/** The canary example with extra pool entries old1 and old2, and the given spec fields. */
function withLeftovers(edit: Partial<DeploymentGrid['spec']> = {}): DeploymentGrid {
  const grid = structuredClone(canary);
  const test1 = grid.spec.templatePool?.['test1'] as V1DeploymentSpec;
  grid.spec = { ...grid.spec, templatePool: { ...grid.spec.templatePool, old2: test1, old1: test1 }, ...edit };
  return grid;
}

describe('unusedTemplates', () => {
  it('finds nothing unused in the seed canary example', () => {
    expect(unusedTemplates(canary)).toEqual([]);
  });

  it('lists pool entries nothing names, sorted', () => {
    expect(unusedTemplates(withLeftovers())).toEqual(['old1', 'old2']);
  });

  it('keeps the defaultTemplateName entry even when every NodeUnit has an assignment', () => {
    const grid = withLeftovers({ templates: { zone1: 'test2', zone2: 'test2' } });
    expect(unusedTemplates(grid)).toEqual(['old1', 'old2']);
  });

  it('counts test1 unused once nothing names it', () => {
    const grid = withLeftovers({ defaultTemplateName: 'default', templates: { zone2: 'test2' } });
    expect(unusedTemplates(grid)).toEqual(['old1', 'old2', 'test1']);
  });

  it('treats an absent defaultTemplateName as naming "default"', () => {
    const grid = withLeftovers({ defaultTemplateName: undefined, templates: undefined });
    grid.spec.templatePool = { default: grid.spec.template, test1: grid.spec.template };
    expect(unusedTemplates(grid)).toEqual(['test1']);
  });

  it('finds nothing in a grid without a pool', () => {
    expect(unusedTemplates(example<StatefulSetGrid>('statefulsetgrid.yaml'))).toEqual([]);
  });
});
