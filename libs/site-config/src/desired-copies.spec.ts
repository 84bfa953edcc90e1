import { describe, expect, it } from '@jest/globals';
import { desiredCopies } from './index.js';
import { siteConfigExample } from './spec-support.js';

describe('desiredCopies', () => {
  const config = siteConfigExample('siteconfig-configmap.yaml');

  it('gives one copy per hosted NodeUnit, and reports the NodeUnits that cannot have one', () => {
    const desired = desiredCopies(config, ['zone1', 'zone2', 'zone3'], 'member-1');
    if (desired.kind !== 'copies') throw new Error(desired.message);
    expect(desired.copies.map((c) => c.object.metadata.name)).toEqual(['mall-config-zone1', 'mall-config-zone2']);
    expect(Object.keys(desired.failed)).toEqual(['zone3']);
    expect(desired.failed['zone3']).toMatch(
      /^siteconfig default\/mall-config: spec\.nodeUnits\.zone3 is missing: .*"mall-id"/,
    );
  });

  it('wants nothing changed for an invalid SiteConfig, and says every problem', () => {
    const invalid = { ...config, spec: { ...config.spec, type: 'Secret' as const } };
    const desired = desiredCopies(invalid, ['zone1'], 'member-1');
    expect(desired).toEqual({
      kind: 'invalid',
      message: expect.stringContaining(
        'siteconfig default/mall-config: spec.defaults.data is not allowed on a SiteConfig of type Secret',
      ) as unknown as string,
    });
    if (desired.kind === 'invalid') expect(desired.message.split('\n')).toHaveLength(3);
  });

  it('gives nothing to a member hosting no NodeUnit of the key', () => {
    expect(desiredCopies(config, [], 'member-1')).toEqual({ kind: 'copies', copies: [], failed: {}, keep: [] });
  });
});
