import type { KubernetesObject } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '#gridfed/grid-api';
import { ownershipStub, workloadSummary } from './cache-shapes.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web-zone1',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '42',
    generation: 3,
    labels: { 'app.kubernetes.io/managed-by': 'gridfed' },
    annotations: { 'superedge.io/desired-hash': 'h1', 'kubectl.kubernetes.io/last-applied-configuration': '{"big":1}' },
    managedFields: [{ manager: FIELD_MANAGER, operation: 'Apply', fieldsV1: { 'f:spec': {} } }],
    creationTimestamp: new Date(0),
  },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'c' }] } } },
  status: { observedGeneration: 3, readyReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
} as KubernetesObject;

describe('workloadSummary', () => {
  it('keeps identity, labels, annotations, generation, replicas and the whole status', () => {
    expect(workloadSummary(deployment)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web-zone1',
        namespace: 'shop',
        uid: 'u-1',
        resourceVersion: '42',
        generation: 3,
        labels: { 'app.kubernetes.io/managed-by': 'gridfed' },
        annotations: { 'superedge.io/desired-hash': 'h1' },
      },
      spec: { replicas: 2 },
      status: { observedGeneration: 3, readyReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
    });
  });

  it("keeps a Service's clusterIP and a deletion in progress", () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', namespace: 'n', deletionTimestamp: new Date(5) },
      spec: { clusterIP: '10.0.0.7', ports: [{ port: 80 }] },
    } as KubernetesObject;
    const summary = workloadSummary(service);
    expect(summary.spec).toEqual({ clusterIP: '10.0.0.7' });
    expect(summary.metadata?.deletionTimestamp).toEqual(new Date(5));
    expect(summary).not.toHaveProperty('status');
  });
});

describe('ownershipStub', () => {
  it("keeps the name and only gridfed's own Apply entry of managedFields", () => {
    const foreign = {
      metadata: {
        name: 'web-zone1',
        namespace: 'shop',
        resourceVersion: '7',
        labels: { app: 'web' },
        managedFields: [
          { manager: 'kubectl', operation: 'Update' },
          { manager: FIELD_MANAGER, operation: 'Apply', fieldsV1: {} },
          { manager: FIELD_MANAGER, operation: 'Update' },
        ],
      },
    } as KubernetesObject;
    expect(ownershipStub(foreign)).toEqual({
      metadata: {
        name: 'web-zone1',
        namespace: 'shop',
        resourceVersion: '7',
        managedFields: [{ manager: FIELD_MANAGER, operation: 'Apply' }],
      },
    });
  });

  it('has no managedFields when gridfed never applied the object', () => {
    const stub = ownershipStub({ metadata: { name: 'x', managedFields: [{ manager: 'helm', operation: 'Apply' }] } });
    expect(stub.metadata).toEqual({ name: 'x', namespace: undefined, resourceVersion: undefined });
  });
});
