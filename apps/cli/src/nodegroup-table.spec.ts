import { describe, expect, it } from '@jest/globals';
import type { NodeGroup } from '#gridfed/site-api';
import { formatNodeGroups, nodeGroupRow, unitsPerGrid } from './nodegroup-table.js';

const NOW = new Date('2026-12-01T20:00:00Z');
const condition = (type: string, status: string) => ({
  type,
  status,
  reason: type,
  message: '',
  lastTransitionTime: NOW,
});
const shops: NodeGroup = {
  apiVersion: 'site.superedge.io/v1alpha1',
  kind: 'NodeGroup',
  metadata: {
    name: 'shops',
    labels: { 'superedge.io/fed': 'yes' },
    creationTimestamp: new Date('2026-12-01T19:30:00Z'),
  },
  spec: { nodeunits: ['east', 'west', 'north'] },
  status: {
    nodeunits: ['east', 'west'],
    workloadstatus: [
      { workloadname: 'DeploymentGrid/shop/web', readyunit: ['east'], notreadyunit: ['west'] },
      { workloadname: 'ServiceGrid/shop/web', readyunit: ['east', 'west'] },
    ],
    conditions: [condition('Valid', 'True'), condition('NodeUnitsFound', 'False')],
  },
};
const plain: NodeGroup = { metadata: { name: 'demo' }, spec: { nodeunits: ['a'] } };

describe('gridfed nodegroups', () => {
  it('counts ready/all NodeUnits per grid that follows the NodeGroup', () => {
    expect(unitsPerGrid(shops)).toBe('DeploymentGrid/shop/web 1/2, ServiceGrid/shop/web 2/2');
    expect(unitsPerGrid({ metadata: { name: 'idle' }, status: { nodeunits: ['a'] } })).toBe('-');
  });

  it('shows NodeUnits, grids and failing conditions of fed NodeGroups only', () => {
    expect(nodeGroupRow(shops, NOW)).toEqual([
      'shops',
      'yes',
      'east,west',
      'DeploymentGrid/shop/web 1/2, ServiceGrid/shop/web 2/2',
      'NodeUnitsFound',
      '30m',
    ]);
    const healthy = { ...shops, status: { conditions: [condition('Valid', 'True')] } };
    expect(nodeGroupRow(healthy, NOW).slice(2, 5)).toEqual(['-', '-', 'none']);
    expect(nodeGroupRow(plain, NOW)).toEqual(['demo', 'no', '-', '-', '-', '<unknown>']);
  });

  it('prints a kubectl-like table sorted by name', () => {
    const table = formatNodeGroups([shops, plain], 'table', NOW).split('\n');
    expect(table[0]?.split(/\s{2,}/)).toEqual(['NAME', 'FED', 'NODEUNITS', 'GRIDS', 'PROBLEMS', 'AGE']);
    expect(table.slice(1, 3).map((line) => line.split(/\s+/)[0])).toEqual(['demo', 'shops']);
    expect(JSON.parse(formatNodeGroups([shops], 'json', NOW)).items[0].status.nodeunits).toEqual(['east', 'west']);
  });
});
