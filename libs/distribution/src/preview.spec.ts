import { describe, expect, it } from '@jest/globals';
import { fieldChanges } from './preview.js';

describe('fieldChanges', () => {
  const live = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web-zone1',
      resourceVersion: '7',
      generation: 3,
      labels: { a: '1' } as Record<string, string>,
      managedFields: [{}],
    },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'echo:1' }] } } },
    status: { readyReplicas: 2 },
  };

  it('lists the fields a user wrote that would change, with paths, old and new values', () => {
    const next = structuredClone(live);
    next.metadata.resourceVersion = '8';
    next.metadata.labels = { a: '1', 'gridfed.io/revision': 'abc' };
    next.spec.replicas = 3;
    next.spec.template.spec.containers[0]!.image = 'echo:2';
    next.status.readyReplicas = 0;
    expect(fieldChanges(live, next)).toEqual([
      { path: 'metadata.labels["gridfed.io/revision"]', to: 'abc' },
      { path: 'spec.replicas', from: 2, to: 3 },
      { path: 'spec.template.spec.containers[0].image', from: 'echo:1', to: 'echo:2' },
    ]);
  });

  it('sees nothing when only what the server keeps for itself differs', () => {
    const next = { ...structuredClone(live), metadata: { ...live.metadata, resourceVersion: '9', generation: 4 } };
    expect(fieldChanges(live, next)).toEqual([]);
  });

  it('lists a removed field with its old value only', () => {
    const next = structuredClone(live) as { spec: { replicas?: number } };
    delete next.spec.replicas;
    expect(fieldChanges(live, next as never)).toEqual([{ path: 'spec.replicas', from: 2 }]);
  });
});
