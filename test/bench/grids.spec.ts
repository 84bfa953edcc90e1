import { describe, expect, it } from '@jest/globals';
import type { V1Deployment } from '@kubernetes/client-node';
import { FED_LABEL, MANAGED_BY_LABEL, validateGrid } from '#gridfed/grid-api';
import {
  BASE_IMAGE,
  benchGrid,
  containerImage,
  driftPatch,
  floorObject,
  FLOOR_MANAGED_BY,
  gridName,
  imagePatch,
  scalePatch,
} from '../../bench/src/grids.js';
import { MEMBER_LAYOUT, memberNodes, memberOf, NODE_UNITS, nodesPerUnit } from '../../bench/src/layout.js';

describe('the bench fleet layout', () => {
  it('puts two NodeUnits in each of three members', () => {
    expect(NODE_UNITS).toEqual(['nu1', 'nu2', 'nu3', 'nu4', 'nu5', 'nu6']);
    expect(NODE_UNITS.map(memberOf)).toEqual(['member-1', 'member-1', 'member-2', 'member-2', 'member-3', 'member-3']);
    expect(() => memberOf('nu7')).toThrow('NodeUnit "nu7" is in no member');
  });

  it('adds nodes per NodeUnit only when the pods would not fit on one', () => {
    expect(nodesPerUnit(200, 0)).toBe(1);
    expect(nodesPerUnit(150, 50)).toBe(1);
    expect(nodesPerUnit(200, 50)).toBe(2);
    expect(nodesPerUnit(1000, 50)).toBe(6);
  });

  it('labels each node with its NodeUnit', () => {
    expect(memberNodes(MEMBER_LAYOUT[1]!, 2)).toEqual([
      { name: 'nu3-0', labels: { zone: 'nu3' } },
      { name: 'nu3-1', labels: { zone: 'nu3' } },
      { name: 'nu4-0', labels: { zone: 'nu4' } },
      { name: 'nu4-1', labels: { zone: 'nu4' } },
    ]);
  });
});

describe('bench grids', () => {
  const grid = benchGrid(gridName(7));

  it('is a valid fed DeploymentGrid over the zone key with one replica', () => {
    expect(grid.metadata).toMatchObject({ name: 'bench-0007', namespace: 'bench', labels: { [FED_LABEL]: 'yes' } });
    expect(grid.spec.gridUniqKey).toBe('zone');
    expect(grid.spec.template.replicas).toBe(1);
    expect(containerImage(grid.spec.template)).toBe(BASE_IMAGE);
    expect(validateGrid(grid)).toMatchObject({ ok: true });
  });

  it('changes only the image with an image patch, keeping the rest of the container', () => {
    const patch = imagePatch(grid, 'bench/echo:2') as {
      spec: { template: { template: { spec: { containers: unknown[] } } } };
    };
    expect(patch.spec.template.template.spec.containers).toEqual([
      { name: 'echo', image: 'bench/echo:2', ports: [{ containerPort: 8080, protocol: 'TCP' }] },
    ]);
    expect(containerImage(grid.spec.template)).toBe(BASE_IMAGE);
  });

  it('scales one NodeUnit through a pool template named after the count, leaving the grid valid', () => {
    const patch = scalePatch(grid, 'nu3', 2) as {
      spec: { templatePool: Record<string, { replicas: number }>; templates: object };
    };
    expect(patch.spec.templates).toEqual({ nu3: 'nu3-r2' });
    expect(patch.spec.templatePool['nu3-r2']).toEqual({ ...grid.spec.template, replicas: 2 });
    const merged = { ...grid, spec: { ...grid.spec, ...patch.spec } };
    expect(validateGrid(merged)).toMatchObject({ ok: true });
  });

  it('drifts a member workload by its container name', () => {
    expect(driftPatch('x:1')).toEqual({
      spec: { template: { spec: { containers: [{ name: 'echo', image: 'x:1' }] } } },
    });
  });
});

describe('floorObject', () => {
  it("moves a rendered Deployment to the floor namespace and out of gridfed's label selector", () => {
    const rendered: V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'bench-0001-nu1',
        namespace: 'bench',
        labels: { [MANAGED_BY_LABEL]: 'gridfed', other: 'kept' },
      },
      spec: grid0Spec(),
    };
    const floor = floorObject(rendered);
    expect(floor.metadata).toEqual({
      name: 'bench-0001-nu1',
      namespace: 'floor',
      labels: { [MANAGED_BY_LABEL]: FLOOR_MANAGED_BY, other: 'kept' },
    });
    expect(floor.spec).toBe(rendered.spec);
    expect(rendered.metadata?.namespace).toBe('bench');
  });
});

function grid0Spec() {
  return benchGrid(gridName(0)).spec.template;
}
