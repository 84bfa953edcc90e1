import { describe, expect, it } from '@jest/globals';
import { formatSiteErrors, validateNodeGroup, validateNodeUnit, type SiteFieldError } from './index.js';

const nodeUnit = (spec: unknown, name = 'shop-xian') => ({
  apiVersion: 'site.superedge.io/v1alpha1',
  kind: 'NodeUnit',
  metadata: { name },
  spec,
});
const nodeGroup = (spec: unknown, name = 'zone-group') => ({ kind: 'NodeGroup', metadata: { name }, spec });
const errorsOf = (result: { ok: boolean; errors?: SiteFieldError[] }): string[] =>
  (result.errors ?? []).map((e) => `${e.path} ${e.message}`);

describe('validateNodeUnit', () => {
  it('accepts a full NodeUnit and hands back the same object', () => {
    const input = nodeUnit({
      type: 'edge',
      nodes: ['member-2/edge-17', 'edge-3'],
      selector: {
        matchLabels: { site: 'xian' },
        matchExpressions: [
          { key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' },
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
        ],
        annotations: { 'example.com/rack': '7' },
      },
      setnode: {
        labels: { zone: 'shop-xian', empty: '' },
        annotations: { 'example.com/contact': 'ops xian, +86 ...' },
        taints: [{ key: 'example.com/edge', value: 'x', effect: 'NoSchedule' }],
      },
    });
    expect(validateNodeUnit(input)).toEqual({ ok: true, object: input });
  });

  it.each([
    ['a spec that is not an object', nodeUnit('x'), ['spec must be an object, not "x"']],
    ['no name', { metadata: {}, spec: {} }, ['metadata.name is missing']],
    [
      'a name that cannot be a label value',
      nodeUnit({}, 'a'.repeat(64)),
      [
        `metadata.name "${'a'.repeat(64)}" cannot be a label value (at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit)`,
      ],
    ],
    [
      'a node entry that is not a string',
      nodeUnit({ nodes: ['ok', 7] }),
      ['spec.nodes[1] must be a non-empty string, not 7'],
    ],
    [
      'node entries with empty parts or two slashes',
      nodeUnit({ nodes: ['a/b/c', '/edge-1', 'member-1/'] }),
      [
        'spec.nodes[0] is "a/b/c": name a node as "node" or "member/node"',
        'spec.nodes[1] is "/edge-1": name a node as "node" or "member/node"',
        'spec.nodes[2] is "member-1/": name a node as "node" or "member/node"',
      ],
    ],
    [
      'selector requirements with a bad operator, missing or extra values, a bad key',
      nodeUnit({
        selector: {
          matchExpressions: [
            { key: 'zone', operator: 'Maybe' },
            { key: 'zone', operator: 'In', values: [] },
            { key: 'zone', operator: 'Exists', values: ['a'] },
            { key: 'bad key', operator: 'Exists' },
          ],
        },
      }),
      [
        'spec.selector.matchExpressions[0].operator is "Maybe", not one of In, NotIn, Exists, DoesNotExist',
        'spec.selector.matchExpressions[1].values must not be empty with In',
        'spec.selector.matchExpressions[2].values must be empty with Exists',
        'spec.selector.matchExpressions[3].key "bad key" is not a valid key: the name "bad key" must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
      ],
    ],
    [
      'setnode labels with a bad value, taints with a bad effect or repeated',
      nodeUnit({
        setnode: {
          labels: { 'example.com/site': 'not ok' },
          taints: [
            { key: 'k', effect: 'NoSchedule' },
            { key: 'k', effect: 'Sometimes' },
            { key: 'k', effect: 'NoSchedule', value: 'other' },
          ],
        },
      }),
      [
        'spec.setnode.labels["example.com/site"] is "not ok", not a label value (at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit)',
        'spec.setnode.taints[1].effect is "Sometimes", not one of NoSchedule, PreferNoSchedule, NoExecute',
        'spec.setnode.taints[2] repeats the taint k:NoSchedule',
      ],
    ],
    [
      "setnode annotations that would overwrite the hub's record",
      nodeUnit({ setnode: { annotations: { 'gridfed.io/site-managed': '{}' } } }),
      ['spec.setnode.annotations["gridfed.io/site-managed"] is where the hub records what it set; it cannot be set'],
    ],
  ])('reports %s', (_case, input, expected) => {
    const result = validateNodeUnit(input);
    expect(result.ok).toBe(false);
    expect(errorsOf(result)).toEqual(expected);
  });
});

describe('validateNodeGroup', () => {
  it("accepts site-manager's NodeGroup", () => {
    const input = nodeGroup({
      nodeunits: ['unit-node-edge'],
      selector: { matchLabels: { nodeunit: 'demo' } },
      workload: [{ name: 'demo' }],
    });
    expect(validateNodeGroup(input)).toEqual({ ok: true, object: input });
  });

  it.each([
    [
      'an empty NodeUnit name',
      nodeGroup({ nodeunits: ['', 'a'] }),
      ['spec.nodeunits[0] must be a non-empty string, not ""'],
    ],
    [
      'a selector on annotations, which NodeUnits are not matched by',
      nodeGroup({ selector: { annotations: { a: 'b' } } }),
      ['spec.selector.annotations is not supported for NodeGroups (NodeUnits are matched by label)'],
    ],
  ])('reports %s', (_case, input, expected) => {
    expect(errorsOf(validateNodeGroup(input))).toEqual(expected);
  });

  it('reports a name that cannot be a node label key, on the NodeGroup', () => {
    const result = validateNodeGroup(nodeGroup({}, 'a'.repeat(64)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatSiteErrors('NodeGroup', result.name, result.errors)).toBe(
      `nodegroup ${'a'.repeat(64)}: metadata.name cannot be a node label key: the name "${'a'.repeat(64)}" is 64 characters, over 63`,
    );
  });
});
