import { describe, expect, it } from '@jest/globals';
import { memberNodeOf } from './member-node.js';

describe('memberNodeOf', () => {
  it('reads name, labels, annotations, taints, readiness and resourceVersion of a V1Node', () => {
    const added = new Date('2026-12-01T19:00:00Z');
    expect(
      memberNodeOf({
        metadata: { name: 'edge-1', labels: { site: 'xian' }, annotations: { a: 'b' }, resourceVersion: '42' },
        spec: {
          taints: [
            { key: 'k', value: 'v', effect: 'NoSchedule' },
            { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: added },
          ],
        },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      }),
    ).toEqual({
      name: 'edge-1',
      labels: { site: 'xian' },
      annotations: { a: 'b' },
      taints: [
        { key: 'k', value: 'v', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-12-01T19:00:00.000Z' },
      ],
      ready: true,
      resourceVersion: '42',
    });
  });

  it.each([
    ['Ready False', [{ type: 'Ready', status: 'False' }]],
    ['Ready Unknown', [{ type: 'Ready', status: 'Unknown' }]],
    ['no Ready condition', [{ type: 'MemoryPressure', status: 'True' }]],
  ])('is not ready with %s', (_case, conditions) => {
    expect(memberNodeOf({ metadata: { name: 'n' }, status: { conditions } }).ready).toBe(false);
  });
});
