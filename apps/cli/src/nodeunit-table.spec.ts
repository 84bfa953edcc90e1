import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { NodeUnit } from '#gridfed/site-api';
import { formatNodeUnits, nodesPerMember, nodeUnitRow } from './nodeunit-table.js';

const NOW = new Date('2026-12-01T20:00:00Z');
const fedUnit: NodeUnit = {
  apiVersion: 'site.superedge.io/v1alpha1',
  kind: 'NodeUnit',
  metadata: {
    name: 'shop-xian',
    labels: { 'superedge.io/fed': 'yes' },
    creationTimestamp: new Date('2026-12-01T19:00:00Z'),
    managedFields: [{ manager: 'gridfed' }],
  },
  spec: { type: 'edge' },
  status: {
    readyrate: '3/4',
    readynodes: ['member-2/edge-17', 'member-1/a', 'member-1/b'],
    notreadynodes: ['member-1/c'],
    conflicts: [{ node: 'member-1/a', kind: 'label', key: 'zones', nodeUnits: ['a', 'shop-xian'] }],
  },
};
const plainUnit: NodeUnit = { metadata: { name: 'nodeunit-demo' }, spec: { type: 'cloud' } };

describe('gridfed nodeunits', () => {
  it('counts ready/selected nodes per member from member/node names', () => {
    expect(nodesPerMember(fedUnit)).toBe('member-1 2/3, member-2 1/1');
    expect(nodesPerMember({ metadata: { name: 'empty' }, status: { readyrate: '0/0' } })).toBe('-');
  });

  it('shows readiness, members and conflicts of fed NodeUnits only', () => {
    expect(nodeUnitRow(fedUnit, NOW)).toEqual([
      'shop-xian',
      'yes',
      'edge',
      '3/4',
      'member-1 2/3, member-2 1/1',
      '1',
      '60m',
    ]);
    expect(nodeUnitRow(plainUnit, NOW)).toEqual(['nodeunit-demo', 'no', 'cloud', '-', '-', '-', '<unknown>']);
  });

  it('prints a kubectl-like table sorted by name, and lists without managedFields', () => {
    const table = formatNodeUnits([fedUnit, plainUnit], 'table', NOW).split('\n');
    expect(table[0]?.split(/\s{2,}/)).toEqual(['NAME', 'FED', 'TYPE', 'READY', 'MEMBERS', 'CONFLICTS', 'AGE']);
    expect(table.slice(1, 3).map((line) => line.split(/\s+/)[0])).toEqual(['nodeunit-demo', 'shop-xian']);
    const list = parse(formatNodeUnits([fedUnit], 'yaml', NOW)) as { kind: string; items: NodeUnit[] };
    expect(list.kind).toBe('List');
    expect(list.items[0]?.metadata).not.toHaveProperty('managedFields');
    expect(JSON.parse(formatNodeUnits([fedUnit], 'json', NOW)).items[0].status.readyrate).toBe('3/4');
  });
});
