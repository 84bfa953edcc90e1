import { describe, expect, it } from '@jest/globals';
import type { V1Secret } from '@kubernetes/client-node';
import { DESIRED_HASH_ANNOTATION, SITE_CONFIG_HASH_ANNOTATION } from '#gridfed/grid-api';
import { renderSiteConfig, siteConfigCopyName, siteConfigCopyRef, SiteConfigRenderError } from './index.js';
import type { SecretLookup } from './content.js';
import { deepFreeze, siteConfigExample } from './spec-support.js';
import type { SiteConfig } from './types.js';

const mallConfig = (): SiteConfig => siteConfigExample('siteconfig-configmap.yaml');
const mallCredentials = (): SiteConfig => siteConfigExample('siteconfig-secret.yaml');

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const SECRET_VALUES = ['s3cret-common-token', 'xian-pw-9f2', 'hebei-pw-31a'];

function secret(name: string, uid: string, data: Record<string, string>): V1Secret {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  return { metadata: { name, namespace: 'default', uid }, data: encoded };
}

const CONTROL_SECRETS: Record<string, V1Secret> = {
  'mall-common': secret('mall-common', 'u-common', { 'api-token': SECRET_VALUES[0]!, 'db-user': 'mall' }),
  'mall-xian-db': secret('mall-xian-db', 'u-xian', { 'db-password': SECRET_VALUES[1]!, other: 'ignored' }),
  'mall-hebei-db': secret('mall-hebei-db', 'u-hebei', { 'db-password': SECRET_VALUES[2]! }),
};
const lookup =
  (secrets: Record<string, V1Secret> = CONTROL_SECRETS): SecretLookup =>
  (name) =>
    secrets[name];

/** The error a render must throw. */
function renderError(render: () => unknown): SiteConfigRenderError {
  try {
    render();
  } catch (err) {
    if (err instanceof SiteConfigRenderError) return err;
    throw err;
  }
  throw new Error('expected a SiteConfigRenderError');
}

describe('renderSiteConfig: a ConfigMap per NodeUnit', () => {
  it('merges the NodeUnit over the defaults, key by key', () => {
    const { object } = renderSiteConfig(mallConfig(), 'zone2', 'member-1');
    expect(object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(object.data).toStrictEqual({
      'log-level': 'debug',
      upstream: 'http://consul.service.local:8500',
      'mall-id': 'hebei',
    });
  });

  it('names it {siteconfig}-{nodeunit} in the SiteConfig namespace, so NodeUnits of one member never collide', () => {
    const zone1 = renderSiteConfig(mallConfig(), 'zone1', 'member-1').object.metadata;
    const zone2 = renderSiteConfig(mallConfig(), 'zone2', 'member-1').object.metadata;
    expect([zone1.namespace, zone1.name]).toEqual(['default', 'mall-config-zone1']);
    expect([zone2.namespace, zone2.name]).toEqual(['default', 'mall-config-zone2']);
  });

  it('labels it with its owner, NodeUnit and member, under the SiteConfig own labels', () => {
    const config = mallConfig();
    config.metadata.uid = 'uid-1';
    config.metadata.labels = {
      team: 'retail',
      'app.kubernetes.io/managed-by': 'someone-else',
      'superedge.io/fed': 'yes',
    };
    const { metadata } = renderSiteConfig(config, 'zone1', 'member-1').object;
    expect(metadata.labels).toStrictEqual({
      team: 'retail',
      'app.kubernetes.io/managed-by': 'gridfed',
      'gridfed.io/site-config-namespace': 'default',
      'gridfed.io/site-config-name': 'mall-config',
      'gridfed.io/site-config-uid': 'uid-1',
      'gridfed.io/nodeunit': 'zone1',
      'gridfed.io/member-cluster': 'member-1',
    });
    expect(metadata.annotations['gridfed.io/site-config-name']).toBe('mall-config');
  });

  it('carries its content hash and a desired hash; only content changes the content hash', () => {
    const base = renderSiteConfig(mallConfig(), 'zone1', 'member-1');
    expect(base.object.metadata.annotations[SITE_CONFIG_HASH_ANNOTATION]).toBe(base.contentHash);
    expect(base.object.metadata.annotations[DESIRED_HASH_ANNOTATION]).toBe(base.hash);
    expect(base.contentHash).toMatch(/^[0-9a-f]{16}$/);
    const elsewhere = renderSiteConfig(mallConfig(), 'zone1', 'member-2');
    expect(elsewhere.contentHash).toBe(base.contentHash);
    expect(elsewhere.hash).not.toBe(base.hash);
    const changed = mallConfig();
    changed.spec.nodeUnits!['zone1']!.data!['mall-id'] = 'xian-2';
    expect(renderSiteConfig(changed, 'zone1', 'member-1').contentHash).not.toBe(base.contentHash);
    expect(renderSiteConfig(changed, 'zone2', 'member-1').contentHash).toBe(
      renderSiteConfig(mallConfig(), 'zone2', 'member-1').contentHash,
    );
  });

  it('hashes the same content the same, whatever order its keys were written in', () => {
    const reordered = mallConfig();
    reordered.spec.nodeUnits!['zone2']!.data = { 'log-level': 'debug', 'mall-id': 'hebei' };
    expect(renderSiteConfig(reordered, 'zone2', 'm').contentHash).toBe(
      renderSiteConfig(mallConfig(), 'zone2', 'm').contentHash,
    );
  });

  it('never changes the SiteConfig', () => {
    const frozen = deepFreeze(mallConfig());
    expect(() => renderSiteConfig(frozen, 'zone1', 'member-1')).not.toThrow();
  });

  it('gives a NodeUnit without an entry the defaults when they hold every required key', () => {
    const config = mallConfig();
    config.spec.defaults!.data!['mall-id'] = 'unknown';
    expect(renderSiteConfig(config, 'zone9', 'member-1').object.data['mall-id']).toBe('unknown');
  });
});

describe('renderSiteConfig refuses an incomplete copy, naming SiteConfig, NodeUnit, field and key', () => {
  it('a NodeUnit without an entry that lacks a required key', () => {
    const err = renderError(() => renderSiteConfig(mallConfig(), 'zone3', 'member-1'));
    expect(err.message).toBe(
      'siteconfig default/mall-config: spec.nodeUnits.zone3 is missing: NodeUnit zone3 lacks required key "mall-id" (spec.required), ' +
        'which spec.defaults.data does not give: set it in spec.nodeUnits.zone3.data; NodeUnit zone3 gets no copy until then',
    );
    expect([err.siteConfig, err.nodeUnit]).toEqual(['default/mall-config', 'zone3']);
  });

  it('a NodeUnit entry that lacks required keys', () => {
    const config = mallConfig();
    config.spec.required = ['mall-id', 'upstream', 'region', 'floor'];
    const err = renderError(() => renderSiteConfig(config, 'zone1', 'member-1'));
    expect(err.problems).toEqual([
      {
        path: 'spec.nodeUnits.zone1',
        message: expect.stringContaining('lacks required keys "region", "floor" (spec.required)') as unknown as string,
      },
    ]);
  });

  it('a copy with no key at all, rather than an empty ConfigMap', () => {
    const empty: SiteConfig = { ...mallConfig(), spec: { gridUniqKey: 'zone' } };
    expect(() => renderSiteConfig(empty, 'zone1', 'member-1')).toThrow(
      'siteconfig default/mall-config: spec.nodeUnits.zone1 is missing: NodeUnit zone1 has no key at all',
    );
  });

  it('a NodeUnit name as it is written in the path', () => {
    expect(() => renderSiteConfig(mallConfig(), 'rack.7', 'member-1')).toThrow(
      'siteconfig default/mall-config: spec.nodeUnits["rack.7"] is missing: NodeUnit rack.7 lacks required key "mall-id"',
    );
  });
});

describe('renderSiteConfig: a Secret per NodeUnit from control-cluster Secrets', () => {
  it('takes every key of a Secret named without key, and only the key named with one; the NodeUnit wins', () => {
    const { object } = renderSiteConfig(mallCredentials(), 'zone1', 'member-1', lookup());
    expect(object).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque' });
    expect(object.metadata.name).toBe('mall-credentials-zone1');
    expect(object.data).toStrictEqual({
      'api-token': b64(SECRET_VALUES[0]!),
      'db-user': b64('mall'),
      'db-password': b64(SECRET_VALUES[1]!),
    });
  });

  it('changes the content hash when a source Secret value changes, and only for NodeUnits reading it', () => {
    const before = (nodeUnit: string): string => siteConfigCopyRef(mallCredentials(), nodeUnit, lookup()).contentHash;
    const changed = lookup({
      ...CONTROL_SECRETS,
      'mall-xian-db': secret('mall-xian-db', 'u-xian', { 'db-password': 'new' }),
    });
    expect(siteConfigCopyRef(mallCredentials(), 'zone1', changed).contentHash).not.toBe(before('zone1'));
    expect(siteConfigCopyRef(mallCredentials(), 'zone2', changed).contentHash).toBe(before('zone2'));
  });

  it('keys the content hash by the source uids: the same values give another hash than a plain sha256 would', () => {
    const other = Object.fromEntries(
      Object.entries(CONTROL_SECRETS).map(([n, s]) => [n, { ...s, metadata: { ...s.metadata, uid: `${n}-2` } }]),
    );
    expect(siteConfigCopyRef(mallCredentials(), 'zone1', lookup(other)).contentHash).not.toBe(
      siteConfigCopyRef(mallCredentials(), 'zone1', lookup()).contentHash,
    );
  });

  it('reports a missing Secret and a missing key by name, never a value', () => {
    const secrets = lookup({
      'mall-common': CONTROL_SECRETS['mall-common']!,
      'mall-xian-db': secret('mall-xian-db', 'u', { user: SECRET_VALUES[1]! }),
    });
    const zone1 = renderError(() => renderSiteConfig(mallCredentials(), 'zone1', 'member-1', secrets));
    expect(zone1.problems).toEqual([
      {
        path: 'spec.nodeUnits.zone1.secretRefs[0].key',
        message: 'names key "db-password", which Secret default/mall-xian-db does not have (it has user)',
      },
      expect.objectContaining({ path: 'spec.nodeUnits.zone1' }),
    ]);
    const zone2 = renderError(() => renderSiteConfig(mallCredentials(), 'zone2', 'member-1', secrets));
    expect(zone2.problems[0]).toEqual({
      path: 'spec.nodeUnits.zone2.secretRefs[0]',
      message:
        'names Secret default/mall-hebei-db, which the control cluster does not have: NodeUnit zone2 gets no copy until it does',
    });
    for (const err of [zone1, zone2]) {
      for (const value of SECRET_VALUES) {
        expect(err.message).not.toContain(value);
        expect(err.message).not.toContain(b64(value));
      }
    }
  });

  it('reports a required key none of the Secrets has', () => {
    const err = renderError(() => renderSiteConfig(mallCredentials(), 'zone3', 'member-1', lookup()));
    expect(err.message).toContain(
      'spec.nodeUnits.zone3 is missing: NodeUnit zone3 lacks required key "db-password" (spec.required), which spec.defaults.secretRefs does not give: set it in spec.nodeUnits.zone3.secretRefs',
    );
  });

  it('puts no value in the hashes or annotations', () => {
    const { object, hash, contentHash } = renderSiteConfig(mallCredentials(), 'zone1', 'member-1', lookup());
    const visible = JSON.stringify({ metadata: object.metadata, hash, contentHash });
    for (const value of SECRET_VALUES) expect(visible).not.toContain(b64(value));
    for (const value of SECRET_VALUES) expect(visible).not.toContain(value);
  });
});

describe('siteConfigCopyName', () => {
  it('follows the grid workload rule for NodeUnits that are not DNS labels', () => {
    expect(siteConfigCopyName('mall-config', 'Zone_A')).toMatch(/^mall-config-zone-a-[0-9a-f]{6}$/);
    expect(siteConfigCopyName('mall-config', 'Zone_A')).not.toBe(siteConfigCopyName('mall-config', 'zone-a'));
  });

  it('stays within 253 characters and distinct for very long names', () => {
    const long = 'c'.repeat(240);
    const a = siteConfigCopyName(long, 'zone-with-a-long-name-1');
    const b = siteConfigCopyName(long, 'zone-with-a-long-name-2');
    expect(a.length).toBeLessThanOrEqual(253);
    expect(b.length).toBeLessThanOrEqual(253);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^c{240}-z-[0-9a-f]{10}$/);
  });
});
