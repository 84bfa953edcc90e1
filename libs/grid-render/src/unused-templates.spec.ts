import { describe, expect, it } from '@jest/globals';
import type { V1DeploymentSpec } from '@kubernetes/client-node';
import type { DeploymentGrid, StatefulSetGrid } from '#gridfed/grid-api';
import { pruneUnusedTemplates, unusedTemplates } from './index.js';
import { deepFreeze, example } from './spec-support.js';

const canary = example<DeploymentGrid>('deploymentgrid-canary.yaml');
const ALL_ZONES = ['zone1', 'zone2', 'zone3'];

/** The canary example with extra pool entries old1 and old2, and the given spec fields. */
function withLeftovers(edit: Partial<DeploymentGrid['spec']> = {}): DeploymentGrid {
  const grid = structuredClone(canary);
  const test1 = grid.spec.templatePool?.['test1'] as V1DeploymentSpec;
  grid.spec = { ...grid.spec, templatePool: { ...grid.spec.templatePool, old2: test1, old1: test1 }, ...edit };
  return grid;
}

describe('unusedTemplates', () => {
  it('finds nothing unused in the seed canary example', () => {
    expect(unusedTemplates(canary, ALL_ZONES)).toEqual([]);
  });

  it('lists pool entries nothing names, sorted', () => {
    expect(unusedTemplates(withLeftovers(), ALL_ZONES)).toEqual(['old1', 'old2']);
  });

  it('keeps a template assigned to a NodeUnit that has no nodes yet', () => {
    expect(unusedTemplates(canary, ['zone1'])).toEqual([]);
    expect(unusedTemplates(canary, [])).toEqual([]);
  });

  it('keeps the defaultTemplateName entry even when every NodeUnit has an assignment', () => {
    const grid = withLeftovers({ templates: { zone1: 'test2', zone2: 'test2' } });
    expect(unusedTemplates(grid, ['zone1', 'zone2'])).toEqual(['old1', 'old2']);
  });

  it('counts test1 unused once nothing names it', () => {
    const grid = withLeftovers({ defaultTemplateName: 'default', templates: { zone2: 'test2' } });
    expect(unusedTemplates(grid, ALL_ZONES)).toEqual(['old1', 'old2', 'test1']);
  });

  it('treats an absent defaultTemplateName as naming "default"', () => {
    const grid = withLeftovers({ defaultTemplateName: undefined, templates: undefined });
    grid.spec.templatePool = { default: grid.spec.template, test1: grid.spec.template };
    expect(unusedTemplates(grid, ALL_ZONES)).toEqual(['test1']);
  });

  it('finds nothing in a grid without a pool', () => {
    expect(unusedTemplates(example<StatefulSetGrid>('statefulsetgrid.yaml'), ALL_ZONES)).toEqual([]);
  });
});

describe('pruneUnusedTemplates', () => {
  it('returns a copy without the unused entries when autoDeleteUnusedTemplate is true', () => {
    const grid = deepFreeze(withLeftovers({ autoDeleteUnusedTemplate: true }));
    const pruned = pruneUnusedTemplates(grid, ALL_ZONES);
    expect(Object.keys(pruned?.spec.templatePool ?? {})).toEqual(['test1', 'test2']);
    expect(pruned?.spec.templates).toEqual(grid.spec.templates);
    expect(Object.keys(grid.spec.templatePool ?? {})).toEqual(['test1', 'test2', 'old2', 'old1']);
  });

  it('returns undefined when autoDeleteUnusedTemplate is false or absent', () => {
    expect(pruneUnusedTemplates(withLeftovers({ autoDeleteUnusedTemplate: false }), ALL_ZONES)).toBeUndefined();
    expect(pruneUnusedTemplates(withLeftovers({ autoDeleteUnusedTemplate: undefined }), ALL_ZONES)).toBeUndefined();
  });

  it('returns undefined when nothing is unused', () => {
    const grid = { ...canary, spec: { ...canary.spec, autoDeleteUnusedTemplate: true } };
    expect(pruneUnusedTemplates(grid, [])).toBeUndefined();
  });

  it('never deletes what spec.templates assigns, whatever NodeUnits exist', () => {
    const grid = withLeftovers({ autoDeleteUnusedTemplate: true });
    expect(Object.keys(pruneUnusedTemplates(grid, [])?.spec.templatePool ?? {})).toEqual(['test1', 'test2']);
  });
});
