import { describe, expect, it } from '@jest/globals';
import { isNodeReady, labelPatch, renderNode } from './nodes.js';

describe('renderNode', () => {
  it('carries the requested labels over the defaults and no taint', () => {
    const node = renderNode({ name: 'n1', labels: { zone: 'zone1', type: 'edge' } });
    expect(node.metadata?.labels).toMatchObject({ zone: 'zone1', type: 'edge', 'kubernetes.io/hostname': 'n1' });
    expect(node.spec?.taints).toBeUndefined();
    expect(node.status?.allocatable?.['pods']).toBe('250');
  });
});

describe('labelPatch', () => {
  it('sets the wanted labels and removes the ones not named', () => {
    const current = { 'kubernetes.io/hostname': 'n1', type: 'kwok', zone: 'zone1', shelf: 'a' };
    const patch = labelPatch(current, { zone: 'zone3' }) as { metadata: { labels: Record<string, string | null> } };
    expect(patch.metadata.labels['zone']).toBe('zone3');
    expect(patch.metadata.labels['shelf']).toBeNull();
    expect(patch.metadata.labels['type']).toBe('kwok');
  });

  it('never touches the hostname label', () => {
    const patch = labelPatch({ 'kubernetes.io/hostname': 'n1' }, {}) as {
      metadata: { labels: Record<string, unknown> };
    };
    expect('kubernetes.io/hostname' in patch.metadata.labels).toBe(false);
  });
});

describe('isNodeReady', () => {
  it('is true only with a Ready=True condition', () => {
    expect(isNodeReady({ status: { conditions: [{ type: 'Ready', status: 'True' }] } })).toBe(true);
    expect(isNodeReady({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } })).toBe(false);
    expect(isNodeReady({})).toBe(false);
  });
});
