import { describe, expect, it } from '@jest/globals';
import { siteConfigExample } from '../spec-support.js';
import type { SiteConfig } from '../types.js';
import { formatSiteConfigErrors, validateSiteConfig } from './index.js';

const EXAMPLES = ['siteconfig-configmap.yaml', 'siteconfig-secret.yaml'];

/** The example with `edit` applied to a copy of it. */
function edited(file: string, edit: (config: Record<string, unknown>) => void): Record<string, unknown> {
  const config = structuredClone(siteConfigExample(file)) as unknown as Record<string, unknown>;
  edit(config);
  return config;
}

const specOf = (config: Record<string, unknown>): Record<string, unknown> => config['spec'] as Record<string, unknown>;

/** `[path, message]` of each error of an input that must fail. */
function errorsOf(input: unknown): [string, string][] {
  const result = validateSiteConfig(input);
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors.map((e) => [e.path, e.message]);
}

describe('the examples', () => {
  it.each(EXAMPLES)('%s is valid and comes back as it is', (file) => {
    const input = siteConfigExample(file);
    const result = validateSiteConfig(input);
    expect(result.ok && result.siteConfig).toBe(input);
  });

  it('allows a SiteConfig with only gridUniqKey (every NodeUnit then lacks configuration at rendering)', () => {
    const minimal = { ...siteConfigExample(EXAMPLES[0]!), spec: { gridUniqKey: 'zone' } } as SiteConfig;
    expect(validateSiteConfig(minimal).ok).toBe(true);
  });
});

describe('formatSiteConfigErrors', () => {
  it('names the SiteConfig and the field on each line', () => {
    const config = edited('siteconfig-configmap.yaml', (c) => (specOf(c)['type'] = 'Map'));
    const result = validateSiteConfig(config);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatSiteConfigErrors(result.ref, result.errors)).toBe(
      'siteconfig default/mall-config: spec.type must be ConfigMap or Secret (what each NodeUnit gets), not "Map"',
    );
  });
});

type Edit = (config: Record<string, unknown>) => void;
const CM = 'siteconfig-configmap.yaml';
const SECRET = 'siteconfig-secret.yaml';
const nodeUnit = (c: Record<string, unknown>, name: string): Record<string, unknown> =>
  (specOf(c)['nodeUnits'] as Record<string, Record<string, unknown>>)[name]!;

/** Bad input: which example, what is done to it, and every error expected (path, words of the message). */
const BAD_INPUT: [string, string, Edit, [string, string][]][] = [
  [
    'wrong apiVersion',
    CM,
    (c) => (c['apiVersion'] = 'gridfed.io/v1'),
    [['apiVersion', 'must be gridfed.io/v1alpha1, not "gridfed.io/v1"']],
  ],
  ['wrong kind', CM, (c) => (c['kind'] = 'ConfigMap'), [['kind', 'must be SiteConfig, not "ConfigMap"']]],
  [
    'no name',
    CM,
    (c) => (c['metadata'] = { namespace: 'edge' }),
    [['metadata.name', 'is required: the copies are named after the SiteConfig']],
  ],
  ['no spec', CM, (c) => delete c['spec'], [['spec', 'is required: a SiteConfig needs gridUniqKey']]],
  [
    'no gridUniqKey',
    CM,
    (c) => delete specOf(c)['gridUniqKey'],
    [['spec.gridUniqKey', 'is required: the node label key']],
  ],
  [
    'a gridUniqKey that is no label key',
    CM,
    (c) => (specOf(c)['gridUniqKey'] = 'a/b/c'),
    [['spec.gridUniqKey', '"a/b/c" is not a valid node label key: it may hold at most one "/"']],
  ],
  ['an unknown type', CM, (c) => (specOf(c)['type'] = 'Map'), [['spec.type', 'must be ConfigMap or Secret']]],
  [
    'required not a list',
    CM,
    (c) => (specOf(c)['required'] = 'mall-id'),
    [['spec.required', 'must be a list of keys every NodeUnit must have, not "mall-id"']],
  ],
  [
    'a required key Kubernetes refuses',
    CM,
    (c) => (specOf(c)['required'] = ['mall id']),
    [['spec.required[0]', '"mall id" cannot be a ConfigMap or Secret key']],
  ],
  [
    'defaults not an object',
    CM,
    (c) => (specOf(c)['defaults'] = 'x'),
    [['spec.defaults', 'must be an object, not "x"']],
  ],
  [
    'a number as a value',
    CM,
    (c) => ((nodeUnit(c, 'zone1')['data'] as Record<string, unknown>)['port'] = 8080),
    [['spec.nodeUnits.zone1.data.port', 'must be a string (quote it in YAML), not 8080']],
  ],
  [
    'a data key Kubernetes refuses',
    CM,
    (c) => (nodeUnit(c, 'zone2')['data'] = { 'a/b': 'x' }),
    [['spec.nodeUnits.zone2.data["a/b"]', '"a/b" cannot be a ConfigMap or Secret key']],
  ],
  [
    'a NodeUnit that no node can carry',
    CM,
    (c) => ((specOf(c)['nodeUnits'] as Record<string, unknown>)['zone 3'] = { data: { a: 'b' } }),
    [['spec.nodeUnits["zone 3"]', 'cannot be a NodeUnit: "zone 3" is not a valid label value']],
  ],
  [
    'a NodeUnit entry that is not an object',
    CM,
    (c) => ((specOf(c)['nodeUnits'] as Record<string, unknown>)['zone3'] = ['a']),
    [['spec.nodeUnits.zone3', 'must be an object (data or secretRefs), not ["a"]']],
  ],
  [
    'nodeUnits not a map',
    CM,
    (c) => (specOf(c)['nodeUnits'] = ['zone1']),
    [['spec.nodeUnits', 'must be a map of NodeUnit to its values']],
  ],
  [
    'secretRefs on a ConfigMap',
    CM,
    (c) => (nodeUnit(c, 'zone1')['secretRefs'] = [{ name: 'db' }]),
    [['spec.nodeUnits.zone1.secretRefs', 'is only for a SiteConfig of type Secret']],
  ],
  [
    'secret values in the resource',
    SECRET,
    (c) => (specOf(c)['defaults'] = { data: { 'db-password': 'hunter2' } }),
    [['spec.defaults.data', 'is not allowed on a SiteConfig of type Secret: secret values stay out of this resource']],
  ],
  [
    'a secretRef without a name',
    SECRET,
    (c) => (nodeUnit(c, 'zone1')['secretRefs'] = [{ key: 'db-password' }]),
    [['spec.nodeUnits.zone1.secretRefs[0].name', 'is required: the Secret']],
  ],
  [
    'a secretRef that is not an object',
    SECRET,
    (c) => (nodeUnit(c, 'zone1')['secretRefs'] = ['mall-xian-db']),
    [['spec.nodeUnits.zone1.secretRefs', 'must list objects {name, key?}']],
  ],
  [
    'a Secret name Kubernetes refuses',
    SECRET,
    (c) => (specOf(c)['defaults'] = { secretRefs: [{ name: 'Mall_Common' }] }),
    [['spec.defaults.secretRefs[0].name', '"Mall_Common" cannot be a Secret name']],
  ],
  [
    'a secret key Kubernetes refuses',
    SECRET,
    (c) => (nodeUnit(c, 'zone2')['secretRefs'] = [{ name: 'db', key: 'db password' }]),
    [['spec.nodeUnits.zone2.secretRefs[0].key', '"db password" cannot be a ConfigMap or Secret key']],
  ],
  [
    'an empty key',
    SECRET,
    (c) => (nodeUnit(c, 'zone2')['secretRefs'] = [{ name: 'db', key: '' }]),
    [['spec.nodeUnits.zone2.secretRefs[0].key', 'must not be empty: leave it out to take every key']],
  ],
];

describe('bad input: every problem, on its field', () => {
  it.each(BAD_INPUT)('%s', (_what, file, edit, expected) => {
    const errors = errorsOf(edited(file, edit));
    expect(errors.map(([path]) => path)).toEqual(expected.map(([path]) => path));
    errors.forEach(([, message], i) => expect(message).toContain(expected[i]![1]));
  });

  it('reports every problem at once, sorted by field', () => {
    const config = edited(CM, (c) => {
      specOf(c)['type'] = 'Map';
      specOf(c)['required'] = ['ok', 'not ok'];
      nodeUnit(c, 'zone1')['data'] = { n: 1 };
    });
    expect(errorsOf(config).map(([path]) => path)).toEqual([
      'spec.nodeUnits.zone1.data.n',
      'spec.required[1]',
      'spec.type',
    ]);
  });

  it('never puts a value of secret data in a message', () => {
    const config = edited(SECRET, (c) => (specOf(c)['defaults'] = { data: { 'db-password': 'hunter2' } }));
    const result = validateSiteConfig(config);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatSiteConfigErrors(result.ref, result.errors)).not.toContain('hunter2');
  });

  it('rejects what is not an object', () => {
    expect(errorsOf('kind: SiteConfig')).toEqual([
      ['', 'must be a SiteConfig manifest (an object), not "kind: SiteConfig"'],
    ]);
    expect(validateSiteConfig(null)).toMatchObject({ ok: false, ref: '<unnamed>' });
  });
});
