import { describe, expect, it } from '@jest/globals';
import { DESIRED_HASH_ANNOTATION, type DeploymentGrid, type ServiceGrid } from '#gridfed/grid-api';
import { desiredHash, renderService, renderWorkload } from './index.js';
import { example } from './spec-support.js';

/** The same value with every object's keys in reverse order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  ) as T;
}

const grid = example<DeploymentGrid>('deploymentgrid-canary.yaml');
const hashOf = (g: DeploymentGrid, nodeUnit = 'zone1', cluster = 'member-1') =>
  renderWorkload(g, nodeUnit, cluster).hash;

describe('desired hash', () => {
  it('is 16 hex digits, annotated on the object, and the hash of the object without it', () => {
    const { object, hash } = renderWorkload(grid, 'zone1', 'member-1');
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(object.metadata.annotations[DESIRED_HASH_ANNOTATION]).toBe(hash);
    expect(desiredHash(object)).toBe(hash);
  });

  it('does not depend on key order', () => {
    const reordered = reversedKeys(grid);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(grid));
    expect(hashOf(reordered)).toBe(hashOf(grid));
    const service = example<ServiceGrid>('servicegrid.yaml');
    expect(renderService(reversedKeys(service), 'member-1').hash).toBe(renderService(service, 'member-1').hash);
  });

  it('is the same for the same input', () => {
    expect(hashOf(structuredClone(grid))).toBe(hashOf(grid));
  });

  it('changes with the spec', () => {
    const changed = structuredClone(grid);
    const container = changed.spec.templatePool?.['test1']?.template.spec?.containers[0];
    if (!container) throw new Error('the example has a container');
    container.image = 'superedge/echoserver:2.4';
    expect(hashOf(changed)).not.toBe(hashOf(grid));
  });

  it('changes with the replicas', () => {
    const changed = structuredClone(grid);
    const test1 = changed.spec.templatePool?.['test1'];
    if (!test1) throw new Error('the example has test1');
    test1.replicas = 5;
    expect(hashOf(changed)).not.toBe(hashOf(grid));
  });

  it('changes with a label, the NodeUnit and the member cluster', () => {
    const labelled = { ...grid, metadata: { ...grid.metadata, labels: { team: 'edge' } } };
    const hashes = [hashOf(grid), hashOf(labelled), hashOf(grid, 'zone3'), hashOf(grid, 'zone1', 'member-2')];
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('changes when the template switches, even to an identical copy', () => {
    const switched = structuredClone(grid);
    if (!switched.spec.templatePool?.['test1']) throw new Error('the example has test1');
    switched.spec.templatePool['copy'] = structuredClone(switched.spec.templatePool['test1']);
    switched.spec.templates = { ...switched.spec.templates, zone1: 'copy' };
    expect(hashOf(switched)).not.toBe(hashOf(grid));
  });

  it('changes for a Service with its spec', () => {
    const service = example<ServiceGrid>('servicegrid.yaml');
    const other = structuredClone(service);
    other.spec.template.ports = [{ port: 81 }];
    expect(renderService(other, 'member-1').hash).not.toBe(renderService(service, 'member-1').hash);
  });
});
