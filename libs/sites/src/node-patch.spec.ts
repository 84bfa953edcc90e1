import { describe, expect, it } from '@jest/globals';
import { mergePatchBody } from './node-patch.js';

describe('mergePatchBody', () => {
  it('carries the resourceVersion precondition, labels and annotations (null removes), and the whole taint list', () => {
    const taints = [{ key: 'example.com/edge', value: 'xian', effect: 'NoSchedule' as const }];
    expect(
      mergePatchBody({
        member: 'member-1',
        node: 'edge-1',
        resourceVersion: '42',
        labels: { zone: 'xian', old: null },
        annotations: { 'gridfed.io/site-managed': null },
        taints,
      }),
    ).toEqual({
      metadata: {
        resourceVersion: '42',
        labels: { zone: 'xian', old: null },
        annotations: { 'gridfed.io/site-managed': null },
      },
      spec: { taints },
    });
  });

  it('sends no empty maps, no spec without taints, and no precondition it does not know', () => {
    expect(mergePatchBody({ member: 'm', node: 'n', labels: { zone: 'a' }, annotations: {} })).toEqual({
      metadata: { labels: { zone: 'a' } },
    });
  });
});
