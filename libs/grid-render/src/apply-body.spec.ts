import { describe, expect, it } from '@jest/globals';
import { DESIRED_HASH_ANNOTATION, type DeploymentGrid, type StatefulSetGrid } from '#gridfed/grid-api';
import { applyBodyFor, renderWorkload } from './index.js';
import { example } from './spec-support.js';

function managedBy<G extends DeploymentGrid | StatefulSetGrid>(grid: G, owner?: 'grid' | 'member'): G {
  return { ...grid, spec: { ...grid.spec, replicasManagedBy: owner } };
}

describe('applyBodyFor', () => {
  const canary = example<DeploymentGrid>('deploymentgrid-canary.yaml');

  it.each([undefined, 'grid'] as const)('with replicasManagedBy %s, applies the full object', (owner) => {
    const grid = managedBy(canary, owner);
    const rendered = renderWorkload(grid, 'zone2', 'member-2');
    for (const exists of [false, true]) {
      const body = applyBodyFor(rendered, grid, exists);
      expect(body).toEqual(rendered.object);
      expect(body.spec).toHaveProperty('replicas', 3);
    }
  });

  it('with replicasManagedBy member, seeds replicas on creation', () => {
    const grid = managedBy(canary, 'member');
    const rendered = renderWorkload(grid, 'zone2', 'member-2');
    expect(applyBodyFor(rendered, grid, false).spec).toHaveProperty('replicas', 3);
  });

  it('with replicasManagedBy member, leaves replicas out once the workload exists', () => {
    const grid = managedBy(example<StatefulSetGrid>('statefulsetgrid.yaml'), 'member');
    const rendered = renderWorkload(grid, 'zone1', 'member-1');
    const body = applyBodyFor(rendered, grid, true);
    expect(body.spec).not.toHaveProperty('replicas');
    // Everything else is the rendered object, hash annotation included; the rendered object keeps its replicas.
    expect({ ...body, spec: { ...body.spec, replicas: 3 } }).toEqual(rendered.object);
    expect(body.metadata.annotations[DESIRED_HASH_ANNOTATION]).toBe(rendered.hash);
    expect(rendered.object.spec.replicas).toBe(3);
  });
});
