import { describe, expect, it } from '@jest/globals';
import {
  DESIRED_HASH_ANNOTATION,
  REPLICAS_MANAGED_BY_ANNOTATION,
  type DeploymentGrid,
  type StatefulSetGrid,
} from '#gridfed/grid-api';
import { renderService, renderWorkload, withoutReplicas } from './index.js';
import { example } from './spec-support.js';

describe('withoutReplicas', () => {
  it('leaves replicas out and keeps everything else, hash annotation included, without changing the rendered object', () => {
    const grid = example<StatefulSetGrid>('statefulsetgrid.yaml');
    const rendered = renderWorkload(grid, 'zone1', 'member-1');
    const body = withoutReplicas(rendered.object);
    expect(body.spec).not.toHaveProperty('replicas');
    expect({ ...body, spec: { ...body.spec, replicas: 3 } }).toEqual(rendered.object);
    expect(body.metadata.annotations[DESIRED_HASH_ANNOTATION]).toBe(rendered.hash);
    expect(rendered.object.spec.replicas).toBe(3);
  });

  it('returns a Service as it is', () => {
    const service = renderService(example('servicegrid-fed.yaml'), 'member-1').object;
    expect(withoutReplicas(service)).toBe(service);
  });
});

describe('the replicas owner annotation', () => {
  const canary = example<DeploymentGrid>('deploymentgrid-canary.yaml');
  const owner = (by?: 'grid' | 'member') => ({ ...canary, spec: { ...canary.spec, replicasManagedBy: by } });

  it('says who owns replicas, and a switch changes the desired hash', () => {
    const byGrid = renderWorkload(owner(undefined), 'zone2', 'member-2');
    const byMember = renderWorkload(owner('member'), 'zone2', 'member-2');
    expect(byGrid.object.metadata.annotations[REPLICAS_MANAGED_BY_ANNOTATION]).toBe('grid');
    expect(renderWorkload(owner('grid'), 'zone2', 'member-2').hash).toBe(byGrid.hash);
    expect(byMember.object.metadata.annotations[REPLICAS_MANAGED_BY_ANNOTATION]).toBe('member');
    expect(byMember.hash).not.toBe(byGrid.hash);
  });
});
