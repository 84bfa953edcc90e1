import { describe, expect, it } from '@jest/globals';
import type { V1Secret } from '@kubernetes/client-node';
import { desiredCopies, keptCopyName, renderSiteConfig, siteConfigDigest } from './index.js';
import { siteConfigExample } from './spec-support.js';
import type { SiteConfig } from './types.js';

const mallConfig = (): SiteConfig => siteConfigExample('siteconfig-configmap.yaml');
const mallCredentials = (): SiteConfig => siteConfigExample('siteconfig-secret.yaml');
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function secret(name: string, uid: string, data: Record<string, string>): V1Secret {
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  return { metadata: { name, namespace: 'default', uid }, data: encoded };
}

const secrets = (password: string): Record<string, V1Secret> => ({
  'mall-common': secret('mall-common', 'u-common', { 'api-token': 'tok-1', 'db-user': 'mall' }),
  'mall-xian-db': secret('mall-xian-db', 'u-xian', { 'db-password': password }),
  'mall-hebei-db': secret('mall-hebei-db', 'u-hebei', { 'db-password': 'hebei-pw' }),
});

describe('kept copies', () => {
  it('are named by content: {siteconfig}-{nodeunit}-{10 hex of the content hash}', () => {
    const plain = renderSiteConfig(mallConfig(), 'zone1', 'member-1');
    const kept = renderSiteConfig(mallConfig(), 'zone1', 'member-1', undefined, 'kept');
    expect(kept.object.metadata.name).toBe(`mall-config-zone1-${plain.contentHash.slice(0, 10)}`);
    expect(kept.object.data).toEqual(plain.object.data);
    expect(kept.object.metadata.labels).toEqual(plain.object.metadata.labels);
    const changed = mallConfig();
    changed.spec.nodeUnits!['zone1']!.data = { ...changed.spec.nodeUnits!['zone1']!.data, extra: 'x' };
    const next = renderSiteConfig(changed, 'zone1', 'member-1', undefined, 'kept');
    expect(next.object.metadata.name).not.toBe(kept.object.metadata.name);
  });

  it('stay within 253 characters and distinct for very long names', () => {
    const long = 'c'.repeat(250);
    const a = keptCopyName(long, 'zone1', 'a'.repeat(16));
    const b = keptCopyName(long, 'zone2', 'a'.repeat(16));
    expect(a.length).toBeLessThanOrEqual(253);
    expect(a).toMatch(/-aaaaaaaaaa$/);
    expect(a).not.toBe(b);
  });

  it('are wanted beside the plain copies only when asked, and older ones named to keep are passed on', () => {
    const plainOnly = desiredCopies(mallConfig(), ['zone1', 'zone2'], 'member-1');
    const withKept = desiredCopies(mallConfig(), ['zone1', 'zone2'], 'member-1', undefined, {
      current: true,
      keep: ['mall-config-zone1-0123456789'],
    });
    if (plainOnly.kind !== 'copies' || withKept.kind !== 'copies') throw new Error('invalid');
    expect(plainOnly.copies).toHaveLength(2);
    expect(plainOnly.keep).toEqual([]);
    const names = withKept.copies.map((c) => c.object.metadata.name);
    expect(names).toHaveLength(4);
    expect(names.filter((n) => /^mall-config-zone[12]-[0-9a-f]{10}$/.test(n))).toHaveLength(2);
    expect(withKept.keep).toEqual(['mall-config-zone1-0123456789']);
  });
});

describe('siteConfigDigest', () => {
  it('changes with the spec, not with metadata or status', () => {
    const base = siteConfigDigest(mallConfig());
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    const relabelled = mallConfig();
    relabelled.metadata.labels = { team: 'x' };
    relabelled.status = { observedGeneration: 4 };
    expect(siteConfigDigest(relabelled)).toBe(base);
    const edited = mallConfig();
    edited.spec.defaults = { data: { ...edited.spec.defaults?.data, added: '1' } };
    expect(siteConfigDigest(edited)).not.toBe(base);
  });

  it("of a Secret SiteConfig changes with a control Secret's value, and shows no value", () => {
    const one = siteConfigDigest(mallCredentials(), (name) => secrets('pw-one')[name]);
    const again = siteConfigDigest(mallCredentials(), (name) => secrets('pw-one')[name]);
    const two = siteConfigDigest(mallCredentials(), (name) => secrets('pw-two')[name]);
    const missing = siteConfigDigest(mallCredentials(), () => undefined);
    expect(again).toBe(one);
    expect(two).not.toBe(one);
    expect(missing).not.toBe(one);
    expect(one).not.toContain(b64('pw-one'));
  });
});
