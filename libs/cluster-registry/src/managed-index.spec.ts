import { describe, expect, it } from '@jest/globals';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ManagedIndex, ownerKeyOf } from './managed-index.js';

const obj = (name: string, grid: string | undefined): KubernetesObject => ({
  metadata: {
    name,
    namespace: 'shop',
    labels: grid ? { 'gridfed.io/grid-kind': 'DeploymentGrid', 'gridfed.io/grid-namespace': 'shop' } : {},
    annotations: grid ? { 'gridfed.io/grid-name': grid } : {},
  },
});

describe('ManagedIndex', () => {
  it('files objects under the grid their labels name, and moves or drops them as they change', () => {
    const index = new ManagedIndex();
    index.put(obj('web-zone1', 'web'));
    index.put(obj('web-zone2', 'web'));
    index.put(obj('api-zone1', 'api'));
    expect(index.of('DeploymentGrid/shop/web').map((o) => o.metadata?.name)).toEqual(['web-zone1', 'web-zone2']);
    index.put(obj('web-zone2', 'api'));
    expect(index.of('DeploymentGrid/shop/web').map((o) => o.metadata?.name)).toEqual(['web-zone1']);
    expect(index.of('DeploymentGrid/shop/api')).toHaveLength(2);
    index.put(obj('web-zone1', undefined));
    expect(index.of('DeploymentGrid/shop/web')).toEqual([]);
    index.remove(obj('api-zone1', 'api'));
    expect(index.of('DeploymentGrid/shop/api').map((o) => o.metadata?.name)).toEqual(['web-zone2']);
  });

  it('reads the owner from the ownership labels', () => {
    expect(ownerKeyOf(obj('x', 'web'))).toBe('DeploymentGrid/shop/web');
    expect(ownerKeyOf(obj('x', undefined))).toBeUndefined();
  });
});
