import { describe, expect, it } from '@jest/globals';
import { SITE_MANAGED_ANNOTATION } from '#gridfed/site-api';
import { FED, NOW, afterPlan, converge, group, managed, member, node, nodeIn, plan, unit } from './spec-support.js';

const xian = unit('shop-xian', {
  selector: { matchLabels: { site: 'xian' } },
  setnode: {
    labels: { zone: 'shop-xian' },
    annotations: { 'example.com/contact': 'ops-xian' },
    taints: [{ key: 'example.com/edge', value: 'xian', effect: 'PreferNoSchedule' }],
  },
});
const XIAN_RECORD = managed({
  'shop-xian': {
    labels: ['zone'],
    annotations: ['example.com/contact'],
    taints: ['example.com/edge:PreferNoSchedule'],
  },
});

describe('planNodeMembership: nodes joining', () => {
  it('labels, annotates and taints the matching nodes of every member, recording what it set, and nothing else', () => {
    const members = [
      member('member-1', [node('edge-1', { site: 'xian' }), node('edge-2', { site: 'beijing' })]),
      member('member-2', [node('edge-9', { site: 'xian', keep: 'me' })]),
    ];
    const result = plan([xian], [], members);
    expect(result.patches).toEqual(
      ['member-1/edge-1', 'member-2/edge-9'].map((ref) => {
        const [m, n] = ref.split('/') as [string, string];
        return {
          member: m,
          node: n,
          labels: { zone: 'shop-xian' },
          annotations: { 'example.com/contact': 'ops-xian', ...XIAN_RECORD },
          taints: [{ key: 'example.com/edge', value: 'xian', effect: 'PreferNoSchedule' }],
        };
      }),
    );
    expect(result.warnings).toEqual([]);
  });

  it.each([
    ['member/node names one member only', ['member-2/edge-1'], ['member-2/edge-1']],
    ['a plain node name matches in every member', ['edge-1'], ['member-1/edge-1', 'member-2/edge-1']],
    ['a name no member has matches nothing', ['member-3/edge-1', 'edge-404'], []],
  ])('spec.nodes: %s', (_case, nodes, expected) => {
    const members = ['member-1', 'member-2'].map((m) => member(m, [node('edge-1'), node('edge-2')]));
    const result = plan([unit('named', { nodes, setnode: { labels: { zone: 'named' } } })], [], members);
    expect(result.patches.map((p) => `${p.member}/${p.node}`)).toEqual(expected);
    expect(result.nodeUnitStatus.get('named')?.readynodes).toEqual(expected);
  });

  it.each([
    ['matchLabels', { matchLabels: { site: 'xian' } }, ['a', 'c']],
    [
      'In',
      { matchExpressions: [{ key: 'site', operator: 'In' as const, values: ['xian', 'wuhan'] }] },
      ['a', 'b', 'c'],
    ],
    [
      'NotIn (a node without the label matches)',
      { matchExpressions: [{ key: 'site', operator: 'NotIn' as const, values: ['xian'] }] },
      ['b', 'd'],
    ],
    ['Exists', { matchExpressions: [{ key: 'gpu', operator: 'Exists' as const }] }, ['c']],
    ['DoesNotExist', { matchExpressions: [{ key: 'site', operator: 'DoesNotExist' as const }] }, ['d']],
    [
      'labels and expressions ANDed',
      { matchLabels: { site: 'xian' }, matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' as const }] },
      ['a'],
    ],
    ['annotations (site-manager)', { annotations: { rack: '7' } }, ['b']],
    ['an empty selector picks nothing', {}, []],
  ])('spec.selector: %s', (_case, selector, expected) => {
    const nodes = [
      node('a', { site: 'xian' }),
      node('b', { site: 'wuhan' }, { annotations: { rack: '7' } }),
      node('c', { site: 'xian', gpu: '' }),
      node('d'),
    ];
    const result = plan([unit('u', { selector, setnode: { labels: { zone: 'u' } } })], [], [member('m', nodes)]);
    expect(result.patches.map((p) => p.node)).toEqual(expected);
  });

  it('ignores NodeUnits and NodeGroups that are not labelled superedge.io/fed: "yes"', () => {
    const members = [member('m', [node('edge-1', { site: 'xian' })])];
    const notFed = { 'superedge.io/fed': 'no' };
    const result = plan(
      [unit('shop-xian', xian.spec ?? {}, notFed)],
      [group('zone-group', { nodeunits: ['shop-xian'] }, {})],
      members,
    );
    expect(result.patches).toEqual([]);
    expect([...result.nodeUnitStatus.keys(), ...result.nodeGroupStatus.keys()]).toEqual([]);
  });

  it('converges in one round: planning again after the patches changes nothing', () => {
    const members = [
      member('m', [node('edge-1', { site: 'xian' }, { taints: [{ key: 'other', effect: 'NoSchedule' }] })]),
    ];
    const after = converge({
      nodeUnits: [xian],
      nodeGroups: [group('zone-group', { nodeunits: ['shop-xian'] })],
      members,
    });
    expect(nodeIn(after, 'm', 'edge-1')).toEqual(
      node(
        'edge-1',
        { site: 'xian', zone: 'shop-xian', 'zone-group': 'shop-xian' },
        {
          annotations: {
            'example.com/contact': 'ops-xian',
            ...managed({
              'shop-xian': {
                labels: ['zone', 'zone-group'],
                annotations: ['example.com/contact'],
                taints: ['example.com/edge:PreferNoSchedule'],
              },
            }),
          },
          taints: [
            { key: 'other', effect: 'NoSchedule' },
            { key: 'example.com/edge', value: 'xian', effect: 'PreferNoSchedule' },
          ],
        },
      ),
    );
  });
});

describe('planNodeMembership: NodeGroups', () => {
  const units = [
    unit('xian', { selector: { matchLabels: { site: 'xian' } } }, { ...FED, region: 'nw' }),
    unit('lanzhou', { selector: { matchLabels: { site: 'lanzhou' } } }, { ...FED, 'zone-group': 'autofindnodekeys' }),
    unit('beijing', { selector: { matchLabels: { site: 'beijing' } } }),
  ];
  const members = [
    member('m', [node('x1', { site: 'xian' }), node('l1', { site: 'lanzhou' }), node('b1', { site: 'beijing' })]),
  ];

  it.each([
    [
      'spec.nodeunits (the autofindnodekeys label counts only with spec.autofindnodekeys)',
      { nodeunits: ['beijing'] },
      ['beijing'],
    ],
    ['spec.selector on NodeUnit labels', { selector: { matchLabels: { region: 'nw' } } }, ['xian']],
    ['NodeUnits labelled <nodegroup>: autofindnodekeys', { autofindnodekeys: ['site'] }, ['lanzhou']],
    [
      'all three at once',
      { nodeunits: ['beijing'], selector: { matchLabels: { region: 'nw' } }, autofindnodekeys: ['site'] },
      ['beijing', 'lanzhou', 'xian'],
    ],
  ])("%s put <nodegroup>: <nodeunit> on the NodeUnits' nodes", (_case, spec, expected) => {
    const result = plan(units, [group('zone-group', spec)], members);
    const labelled = result.patches.map((p) => [p.node, p.labels['zone-group']]);
    const nodeOf: Record<string, string> = { xian: 'x1', lanzhou: 'l1', beijing: 'b1' };
    expect(labelled.sort()).toEqual(expected.map((nu) => [nodeOf[nu], nu]).sort());
    expect(result.nodeGroupStatus.get('zone-group')).toMatchObject({
      unitnumber: expected.length,
      nodeunits: expected,
    });
  });

  it('reports names in spec.nodeunits that are no fed NodeUnit', () => {
    const status = plan(
      units,
      [group('zone-group', { nodeunits: ['beijing', 'nowhere'] })],
      members,
    ).nodeGroupStatus.get('zone-group');
    expect(status?.conditions?.find((c) => c.type === 'NodeUnitsFound')).toMatchObject({
      status: 'False',
      reason: 'NodeUnitNotFound',
      message: 'spec.nodeunits names "nowhere", which is not a fed NodeUnit',
    });
  });
});

describe('planNodeMembership: removing exactly what the hub set', () => {
  const setUp = () =>
    converge({
      nodeUnits: [xian],
      nodeGroups: [],
      members: [
        member('m', [
          node(
            'edge-1',
            { site: 'xian', team: 'a' },
            {
              annotations: { 'other/note': 'x' },
              taints: [
                { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-12-01T19:00:00.000Z' },
              ],
            },
          ),
        ]),
      ],
    });
  const untouched = node(
    'edge-1',
    { team: 'a' },
    {
      annotations: { 'other/note': 'x' },
      taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-12-01T19:00:00.000Z' }],
    },
  );

  it('when the node leaves the NodeUnit: the hub keys go, every other key stays', () => {
    const members = setUp();
    delete nodeIn(members, 'm', 'edge-1').labels['site'];
    const result = plan([xian], [], members);
    expect(result.patches).toEqual([
      {
        member: 'm',
        node: 'edge-1',
        labels: { zone: null },
        annotations: { 'example.com/contact': null, [SITE_MANAGED_ANNOTATION]: null },
        taints: untouched.taints,
      },
    ]);
    expect(nodeIn(afterPlan(members, result), 'm', 'edge-1')).toEqual(untouched);
  });

  it('when the NodeUnit is deleted or no longer fed', () => {
    for (const nodeUnits of [[], [unit('shop-xian', xian.spec ?? {}, {})]]) {
      const after = afterPlan(setUp(), plan(nodeUnits, [], setUp()));
      expect(nodeIn(after, 'm', 'edge-1')).toEqual({ ...untouched, labels: { site: 'xian', team: 'a' } });
    }
  });

  it('when setnode drops a key: only that key goes', () => {
    const fewer = unit('shop-xian', { ...xian.spec, setnode: { labels: { zone: 'shop-xian' } } });
    const result = plan([fewer], [], setUp());
    expect(result.patches[0]).toMatchObject({
      labels: {},
      annotations: { 'example.com/contact': null, ...managed({ 'shop-xian': { labels: ['zone'] } }) },
      taints: untouched.taints,
    });
  });

  it('never removes a key the hub did not set, though it once had the same value', () => {
    // The node was labelled by hand before the NodeUnit existed: the hub leaves it and records nothing.
    const members = [member('m', [node('edge-1', { site: 'xian', zone: 'shop-xian' })])];
    const joined = converge({
      nodeUnits: [
        unit('u', { selector: { matchLabels: { site: 'xian' } }, setnode: { labels: { zone: 'shop-xian' } } }),
      ],
      nodeGroups: [],
      members,
    });
    expect(nodeIn(joined, 'm', 'edge-1')).toEqual(node('edge-1', { site: 'xian', zone: 'shop-xian' }));
    expect(plan([], [], joined).patches).toEqual([]);
  });
});

describe('planNodeMembership: hand edits', () => {
  it.each([
    [
      'a hub label changed by hand is put back',
      (n: ReturnType<typeof node>) => (n.labels['zone'] = 'elsewhere'),
      { labels: { zone: 'shop-xian' }, annotations: {} },
    ],
    [
      'a hub label removed by hand is put back',
      (n: ReturnType<typeof node>) => delete n.labels['zone'],
      { labels: { zone: 'shop-xian' }, annotations: {} },
    ],
    [
      'a hub annotation changed by hand is put back',
      (n: ReturnType<typeof node>) => (n.annotations['example.com/contact'] = 'me'),
      { labels: {}, annotations: { 'example.com/contact': 'ops-xian' } },
    ],
    [
      'a hub taint removed by hand is put back',
      (n: ReturnType<typeof node>) => (n.taints = []),
      { labels: {}, annotations: {}, taints: [{ key: 'example.com/edge', value: 'xian', effect: 'PreferNoSchedule' }] },
    ],
    [
      'a hub taint given another value is put back, in place',
      (n: ReturnType<typeof node>) =>
        (n.taints = [
          { key: 'a', effect: 'NoSchedule' },
          { key: 'example.com/edge', value: 'x', effect: 'PreferNoSchedule' },
          { key: 'b', effect: 'NoSchedule' },
        ]),
      {
        labels: {},
        annotations: {},
        taints: [
          { key: 'a', effect: 'NoSchedule' },
          { key: 'example.com/edge', value: 'xian', effect: 'PreferNoSchedule' },
          { key: 'b', effect: 'NoSchedule' },
        ],
      },
    ],
  ])('%s', (_case, edit, expected) => {
    const members = converge({
      nodeUnits: [xian],
      nodeGroups: [],
      members: [member('m', [node('edge-1', { site: 'xian' })])],
    });
    edit(nodeIn(members, 'm', 'edge-1'));
    const result = plan([xian], [], members);
    expect(result.patches).toEqual([{ member: 'm', node: 'edge-1', ...expected }]);
    expect(plan([xian], [], afterPlan(members, result)).patches).toEqual([]);
  });

  it('a key someone else set with another value is left alone and reported', () => {
    const members = [member('m', [node('edge-1', { site: 'xian', zone: 'theirs' })])];
    const result = plan([xian], [], members);
    expect(result.patches[0]?.labels).toEqual({});
    expect(result.nodeUnitStatus.get('shop-xian')?.conflicts).toEqual([
      { node: 'm/edge-1', kind: 'label', key: 'zone', nodeUnits: ['shop-xian'], setByOthers: true },
    ]);
    expect(result.nodeUnitStatus.get('shop-xian')?.conditions?.find((c) => c.type === 'NoConflicts')).toMatchObject({
      status: 'False',
      reason: 'SetByOthers',
      message: '1 conflict; first: label zone on m/edge-1 was set by someone else (status.conflicts lists them)',
    });
  });
});

describe('planNodeMembership: a node in two NodeUnits of one NodeGroup', () => {
  const a = unit('site-a', { selector: { matchLabels: { rack: 'shared' } } });
  const b = unit('site-b', { nodes: ['m/edge-1'] });
  const zones = group('zones', { nodeunits: ['site-a', 'site-b'] });
  const CONFLICT = {
    node: 'm/edge-1',
    kind: 'label',
    key: 'zones',
    nodeUnits: ['site-a', 'site-b'],
    nodeGroup: 'zones',
  };

  it('sets neither NodeUnit on a fresh node and reports the conflict on both', () => {
    const members = [member('m', [node('edge-1', { rack: 'shared' }), node('edge-2', { rack: 'shared' })])];
    const result = plan([a, b], [zones], members);
    expect(result.patches).toEqual([
      {
        member: 'm',
        node: 'edge-2',
        labels: { zones: 'site-a' },
        annotations: managed({ 'site-a': { labels: ['zones'] } }),
      },
    ]);
    expect(result.nodeUnitStatus.get('site-a')?.conflicts).toEqual([CONFLICT]);
    expect(result.nodeUnitStatus.get('site-b')?.conflicts).toEqual([CONFLICT]);
  });

  it('keeps the NodeUnit the hub had set before the second one came, and stays so', () => {
    const members = converge({
      nodeUnits: [a],
      nodeGroups: [zones],
      members: [member('m', [node('edge-1', { rack: 'shared' })])],
    });
    const result = plan([a, b], [zones], members);
    expect(result.patches).toEqual([]);
    expect(nodeIn(members, 'm', 'edge-1').labels['zones']).toBe('site-a');
    expect(result.nodeUnitStatus.get('site-b')?.conflicts).toEqual([CONFLICT]);
  });

  it('gives the same plan whatever order the objects come in', () => {
    const members = [
      member('m', [node('edge-1', { rack: 'shared' }), node('edge-2', { rack: 'shared' })]),
      member('k', [node('edge-1')]),
    ];
    const one = plan([a, b], [zones], members);
    const other = plan([b, a], [zones], [...members].reverse());
    expect(other).toEqual(one);
  });

  it('two setnode values for one key: the same rule', () => {
    const one = unit('one', { nodes: ['n'], setnode: { labels: { tier: 'gold' } } });
    const two = unit('two', { nodes: ['n'], setnode: { labels: { tier: 'silver' } } });
    const result = plan([one, two], [], [member('m', [node('n')])]);
    expect(result.patches).toEqual([]);
    expect(result.nodeUnitStatus.get('two')?.conflicts).toEqual([
      { node: 'm/n', kind: 'label', key: 'tier', nodeUnits: ['one', 'two'] },
    ]);
  });

  it('removes the value the hub set when neither contender wants it any more', () => {
    const members = [
      member('m', [node('n', { tier: 'bronze' }, { annotations: managed({ old: { labels: ['tier'] } }) })]),
    ];
    const one = unit('one', { nodes: ['n'], setnode: { labels: { tier: 'gold' } } });
    const two = unit('two', { nodes: ['n'], setnode: { labels: { tier: 'silver' } } });
    expect(plan([one, two], [], members).patches).toEqual([
      { member: 'm', node: 'n', labels: { tier: null }, annotations: { [SITE_MANAGED_ANNOTATION]: null } },
    ]);
  });
});

describe('planNodeMembership: what it cannot act on', () => {
  it('leaves what it set for a NodeUnit that became invalid, and says why', () => {
    const members = converge({
      nodeUnits: [xian],
      nodeGroups: [],
      members: [member('m', [node('edge-1', { site: 'xian' })])],
    });
    const broken = unit('shop-xian', {
      ...xian.spec,
      selector: { matchExpressions: [{ key: 'site', operator: 'In', values: [] }] },
    });
    const result = plan([broken], [], members);
    expect(result.patches).toEqual([]);
    expect(result.nodeUnitStatus.get('shop-xian')).toEqual({
      observedGeneration: 1,
      conditions: [
        {
          type: 'Valid',
          status: 'False',
          reason: 'InvalidSpec',
          message: 'nodeunit shop-xian: spec.selector.matchExpressions[0].values must not be empty with In',
          observedGeneration: 1,
          lastTransitionTime: NOW,
        },
      ],
    });
  });

  it('leaves the labels of a NodeGroup that became invalid', () => {
    const zones = group('zones', { nodeunits: ['shop-xian'] });
    const members = converge({
      nodeUnits: [xian],
      nodeGroups: [zones],
      members: [member('m', [node('edge-1', { site: 'xian' })])],
    });
    const broken = group('zones', { selector: { annotations: { a: 'b' } } });
    expect(plan([xian], [broken], members).patches).toEqual([]);
    expect(plan([xian], [], members).patches[0]?.labels).toEqual({ zones: null });
  });

  it('patches no node of a member that did not opt in, counts its nodes, and says so', () => {
    const members = [
      member('m1', [node('a', { site: 'xian' })]),
      member('m2', [node('b', { site: 'xian' }, { ready: false })], false),
    ];
    const result = plan([xian], [], members);
    expect(result.patches.map((p) => p.member)).toEqual(['m1']);
    const status = result.nodeUnitStatus.get('shop-xian');
    expect(status).toMatchObject({
      readyrate: '1/2',
      readynodes: ['m1/a'],
      notreadynodes: ['m2/b'],
      members: ['m1', 'm2'],
    });
    expect(status?.conditions?.find((c) => c.type === 'NodesManaged')).toMatchObject({
      status: 'False',
      reason: 'MemberNotOptedIn',
      message:
        'member m2 did not opt in to node management (gridfed register --manage-nodes): the hub does not label their nodes',
    });
  });

  it('treats an unreadable record as owning nothing, warns, and rewrites it', () => {
    const members = [
      member('m', [
        node('n', { site: 'xian', zone: 'old' }, { annotations: { [SITE_MANAGED_ANNOTATION]: '{not json' } }),
      ]),
    ];
    const result = plan([xian], [], members);
    expect(result.warnings).toEqual([
      `node m/n: annotation ${SITE_MANAGED_ANNOTATION} is not a record the hub wrote; the hub treats the node as carrying nothing of its own and rewrites it`,
    ]);
    // zone is someone else's now: left; the rest is set and recorded.
    expect(result.patches[0]?.labels).toEqual({});
    expect(result.patches[0]?.annotations[SITE_MANAGED_ANNOTATION]).toBe(
      JSON.stringify({
        'shop-xian': { annotations: ['example.com/contact'], taints: ['example.com/edge:PreferNoSchedule'] },
      }),
    );
  });
});

describe('planNodeMembership: status', () => {
  it('qualifies nodes by member and keeps transition times of unchanged conditions', () => {
    const earlier = new Date('2026-11-30T00:00:00Z');
    const previous = unit('shop-xian', xian.spec ?? {});
    previous.status = {
      conditions: [
        { type: 'Valid', status: 'True', reason: 'SpecValid', message: '', lastTransitionTime: earlier },
        { type: 'NodesManaged', status: 'False', reason: 'MemberNotOptedIn', message: '', lastTransitionTime: earlier },
      ],
    };
    const members = [
      member('b', [node('n2', { site: 'xian' }, { ready: false })]),
      member('a', [node('n1', { site: 'xian' })]),
    ];
    const status = plan([previous], [], members).nodeUnitStatus.get('shop-xian');
    expect(status).toMatchObject({
      readyrate: '1/2',
      readynodes: ['a/n1'],
      notreadynodes: ['b/n2'],
      members: ['a', 'b'],
      conflicts: [],
    });
    expect(status?.conditions?.map((c) => [c.type, c.status, c.lastTransitionTime])).toEqual([
      ['Valid', 'True', earlier],
      ['NoConflicts', 'True', NOW],
      ['NodesManaged', 'True', NOW],
    ]);
  });
});
