import { describe, expect, it } from '@jest/globals';
import { lightMemberSpecs } from './fleet.js';

describe('lightMemberSpecs', () => {
  it('gives each member a DNS-label name and one node that is its own NodeUnit', () => {
    const specs = lightMemberSpecs(12, 'm');
    expect(specs.map((s) => s.name).slice(0, 2)).toEqual(['m-001', 'm-002']);
    expect(specs[11]?.nodes).toEqual([{ name: 'm-012-node-1', labels: { zone: 'nu012' } }]);
    const units = specs.flatMap((s) => s.nodes.map((n) => n.labels?.['zone']));
    expect(new Set(units).size).toBe(12);
  });
});
