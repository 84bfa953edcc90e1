import { resourceOfPath } from './clients.js';

describe('resourceOfPath', () => {
  it.each([
    ['/apis/apps/v1/namespaces/shop/deployments/web-zone1', 'deployments'],
    ['/apis/apps/v1/deployments', 'deployments'],
    ['/apis/superedge.io/v1/namespaces/default/deploymentgrids/web/status', 'deploymentgrids/status'],
    ['/apis/gridfed.io/v1alpha1/memberclusters/member-1/status', 'memberclusters/status'],
    ['/api/v1/namespaces/default/events', 'events'],
    ['/api/v1/namespaces', 'namespaces'],
    ['/api/v1/namespaces/shop', 'namespaces'],
    ['/api/v1/nodes', 'nodes'],
    ['/version', '/version'],
    ['/', '/'],
  ])('%s is %s', (path, resource) => {
    expect(resourceOfPath(path)).toBe(resource);
  });
});
