import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { renderWorkload } from '#gridfed/grid-render';
import { appliedByGridfed, belongsTo, gridRefOfObject } from './ownership.js';

const grid = parse(readFileSync('deploy/examples/deploymentgrid-fed.yaml', 'utf8')) as DeploymentGrid;
const rendered = renderWorkload(grid, 'zone1', 'member-1').object;
const ref = { kind: 'DeploymentGrid' as const, namespace: 'default', name: 'deploymentgrid-demo' };

describe('ownership', () => {
  it('reads the owning grid back from a rendered object', () => {
    expect(gridRefOfObject(rendered, 'Deployment')).toEqual(ref);
    expect(belongsTo(rendered, 'Deployment', ref)).toBe(true);
    expect(belongsTo(rendered, 'Deployment', { ...ref, name: 'other' })).toBe(false);
    expect(gridRefOfObject(rendered, 'StatefulSet')).toBeUndefined();
  });

  it('does not claim an object without gridfed labels', () => {
    expect(gridRefOfObject({ metadata: { name: 'x', labels: { app: 'x' } } }, 'Deployment')).toBeUndefined();
  });

  it("recognises gridfed's own apply in managedFields, and nobody else's", () => {
    const mine = { metadata: { managedFields: [{ manager: 'gridfed', operation: 'Apply' }] } };
    const theirs = { metadata: { managedFields: [{ manager: 'kubectl', operation: 'Update' }] } };
    expect(appliedByGridfed(mine)).toBe(true);
    expect(appliedByGridfed(theirs)).toBe(false);
  });
});
