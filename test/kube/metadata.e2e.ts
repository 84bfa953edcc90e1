// Metadata-only lists and watches against a real apiserver: what the hub uses to know
// which names of the managed kinds are taken in a member, without reading each object.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api, type KubeConfig, type KubernetesObject, type V1Deployment } from '@kubernetes/client-node';
import { listMetadata, PARTIAL_METADATA_ACCEPT, Reflector, withAcceptHeader } from '#gridfed/kube';
import { fleetCluster } from '../cluster/jest/test-fleet.js';
import { eventually } from '../cluster/jest/eventually.js';
import { ensureNamespace } from '../../tools/local-hub/namespaces.js';

const NAMESPACE = 'metadata-e2e';
const SELECTOR = 'gridfed-test/suite=metadata';

function deployment(name: string): V1Deployment {
  const labels = { app: name, 'gridfed-test/suite': 'metadata' };
  return {
    metadata: { name, namespace: NAMESPACE, labels },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }] } },
    },
  };
}

describe('metadata-only reads', () => {
  let kc: KubeConfig;
  let apps: AppsV1Api;
  let reflector: Reflector<KubernetesObject> | undefined;

  beforeAll(async () => {
    kc = (await fleetCluster('member-2')).kubeConfig();
    apps = kc.makeApiClient(AppsV1Api);
    await ensureNamespace(kc, NAMESPACE);
    await apps.deleteCollectionNamespacedDeployment({ namespace: NAMESPACE, labelSelector: SELECTOR });
  });

  afterAll(async () => {
    await reflector?.stop();
    await apps.deleteCollectionNamespacedDeployment({ namespace: NAMESPACE, labelSelector: SELECTOR });
  });

  it('lists an empty collection as no items (the server sends items: null)', async () => {
    const list = await listMetadata(kc, '/apis/apps/v1/statefulsets', SELECTOR);
    expect(list.items).toEqual([]);
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);
  });

  it('lists names and metadata without the spec', async () => {
    await apps.createNamespacedDeployment({ namespace: NAMESPACE, body: deployment('listed') });
    const list = await listMetadata(kc, '/apis/apps/v1/deployments', SELECTOR);
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['listed']);
    expect(list.items[0]?.metadata?.labels?.['app']).toBe('listed');
    expect(list.items[0]).not.toHaveProperty('spec');
  });

  it('watches metadata only, through a Reflector', async () => {
    reflector = new Reflector<KubernetesObject>({
      name: 'member-2/deployments (metadata)',
      kc: withAcceptHeader(kc, PARTIAL_METADATA_ACCEPT),
      path: '/apis/apps/v1/deployments',
      labelSelector: SELECTOR,
      list: (labelSelector) => listMetadata(kc, '/apis/apps/v1/deployments', labelSelector),
    });
    reflector.start();
    await reflector.waitForSync();
    expect(reflector.get(`${NAMESPACE}/listed`)?.metadata?.name).toBe('listed');
    await apps.createNamespacedDeployment({ namespace: NAMESPACE, body: deployment('watched') });
    const watched = await eventually(async () => {
      const obj = reflector?.get(`${NAMESPACE}/watched`);
      expect(obj).toBeDefined();
      return obj!;
    });
    expect(watched.kind).toBe('PartialObjectMetadata');
    expect(watched).not.toHaveProperty('spec');
  });

  it('fails with the HTTP status when the server refuses', async () => {
    await expect(listMetadata(kc, '/apis/apps/v1/nosuchthings', undefined)).rejects.toMatchObject({ code: 404 });
  });
});
