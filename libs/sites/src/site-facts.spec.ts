import { describe, expect, it } from '@jest/globals';
import { memberSiteFacts, nodeUnitStatusAcross } from './site-facts.js';
import { NOW, group, member, node, plan, unit } from './spec-support.js';

const xian = unit('shop-xian', { selector: { matchLabels: { site: 'xian' } } });
const also = unit('also-xian', { nodes: ['member-2/edge-9'], setnode: { labels: { zone: 'also' } } });
const zoned = unit('zoned', { selector: { matchLabels: { site: 'xian' } }, setnode: { labels: { zone: 'z' } } });
const groups = [group('shops', { nodeunits: ['shop-xian', 'also-xian'] })];
const members = [
  member('member-1', [node('edge-1', { site: 'xian' }), node('edge-2', { site: 'xian' }, { ready: false })]),
  member('member-2', [node('edge-9', { site: 'xian' }), node('edge-3')], false),
];

describe('site facts: per-member plans give the status one plan over every member gives', () => {
  it.each([xian, also, zoned])('NodeUnit %#', (nu) => {
    const units = [xian, also, zoned];
    const whole = plan(units, groups, members).nodeUnitStatus.get(nu.metadata.name);
    const facts = members.map((m) => memberSiteFacts(m.member, m.manageNodes, plan(units, groups, [m])));
    expect(nodeUnitStatusAcross(nu, facts, NOW)).toEqual(whole);
  });

  it('keeps only the NodeUnits a member hosts, with unqualified node names', () => {
    const facts = memberSiteFacts('member-1', true, plan([xian, also], [], [members[0]!]));
    expect(facts).toEqual({
      member: 'member-1',
      manageNodes: true,
      nodeUnits: { 'shop-xian': { ready: ['edge-1'], notReady: ['edge-2'], conflicts: [] } },
    });
  });

  it('says which hosting members did not opt in, and an invalid NodeUnit only why', () => {
    const facts = members.map((m) => memberSiteFacts(m.member, m.manageNodes, plan([xian], [], [m])));
    const status = nodeUnitStatusAcross(xian, facts, NOW);
    expect(status.members).toEqual(['member-1', 'member-2']);
    expect(status.readyrate).toBe('2/3');
    expect(status.conditions?.find((c) => c.type === 'NodesManaged')?.message).toContain('member-2');
    const bad = unit('bad', { nodes: ['a/b/c'] });
    expect(nodeUnitStatusAcross(bad, facts, NOW).conditions?.map((c) => [c.type, c.status])).toEqual([
      ['Valid', 'False'],
    ]);
  });
});
