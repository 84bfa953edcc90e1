import { describe, expect, it } from '@jest/globals';
import { NodeUnitIndex } from './node-unit-index.js';

describe('NodeUnitIndex', () => {
  it('resolves which member hosts each NodeUnit from node labels', () => {
    const index = new NodeUnitIndex();
    index.setNode('member-1', 'a', { zone: 'zone1' });
    index.setNode('member-1', 'b', { zone: 'zone1' });
    index.setNode('member-2', 'c', { zone: 'zone2', rack: 'r1' });
    expect(index.nodeUnits('member-1', 'zone')).toEqual(['zone1']);
    expect(index.nodeUnits('member-2', 'zone')).toEqual(['zone2']);
    expect(index.nodeUnits('member-2', 'rack')).toEqual(['r1']);
    expect(index.clustersHosting('zone', 'zone2')).toEqual(['member-2']);
    expect(index.allNodeUnits('zone')).toEqual(['zone1', 'zone2']);
    expect(index.nodeUnits('member-3', 'zone')).toEqual([]);
  });

  it('reports a NodeUnit in two members under both', () => {
    const index = new NodeUnitIndex();
    index.setNode('member-1', 'a', { zone: 'shared' });
    index.setNode('member-2', 'b', { zone: 'shared' });
    expect(index.clustersHosting('zone', 'shared')).toEqual(['member-1', 'member-2']);
  });

  it('says when a NodeUnit appears and when its last node leaves (supplementary distribution)', () => {
    const index = new NodeUnitIndex();
    expect(index.setNode('m', 'a', { zone: 'zone2' })).toEqual([
      { cluster: 'm', key: 'zone', nodeUnit: 'zone2', present: true },
    ]);
    expect(index.setNode('m', 'b', { zone: 'zone2' })).toEqual([]);
    // relabel one node to zone3: zone3 appears, zone2 stays (b still has it)
    expect(index.setNode('m', 'a', { zone: 'zone3' })).toEqual([
      { cluster: 'm', key: 'zone', nodeUnit: 'zone3', present: true },
    ]);
    expect(index.nodeUnits('m', 'zone')).toEqual(['zone2', 'zone3']);
    // relabel the last zone2 node: zone2 vanishes
    expect(index.setNode('m', 'b', { zone: 'zone3' })).toEqual([
      { cluster: 'm', key: 'zone', nodeUnit: 'zone2', present: false },
    ]);
    expect(index.nodeUnits('m', 'zone')).toEqual(['zone3']);
  });

  it('handles label removal and node deletion', () => {
    const index = new NodeUnitIndex();
    index.setNode('m', 'a', { zone: 'zone1' });
    expect(index.setNode('m', 'a', {})).toEqual([{ cluster: 'm', key: 'zone', nodeUnit: 'zone1', present: false }]);
    index.setNode('m', 'a', { zone: 'zone1' });
    expect(index.deleteNode('m', 'a')).toEqual([{ cluster: 'm', key: 'zone', nodeUnit: 'zone1', present: false }]);
    expect(index.deleteNode('m', 'a')).toEqual([]);
    expect(index.nodeUnits('m', 'zone')).toEqual([]);
  });

  it('resets a cluster to a relisted set of nodes, reporting only real changes', () => {
    const index = new NodeUnitIndex();
    index.setNode('m', 'a', { zone: 'zone1' });
    index.setNode('m', 'b', { zone: 'zone2' });
    const changes = index.resetCluster('m', [
      { name: 'a', labels: { zone: 'zone1' } },
      { name: 'c', labels: { zone: 'zone3' } },
    ]);
    expect(changes).toEqual([
      { cluster: 'm', key: 'zone', nodeUnit: 'zone2', present: false },
      { cluster: 'm', key: 'zone', nodeUnit: 'zone3', present: true },
    ]);
    expect(
      index
        .removeCluster('m')
        .map((c) => c.nodeUnit)
        .sort(),
    ).toEqual(['zone1', 'zone3']);
    expect(index.clustersHosting('zone', 'zone1')).toEqual([]);
  });
});
