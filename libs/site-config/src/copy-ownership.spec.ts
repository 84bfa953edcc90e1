import { describe, expect, it } from '@jest/globals';
import { copyOwnerOf, copySelector, renderSiteConfig } from './index.js';
import { siteConfigExample } from './spec-support.js';

describe('copy ownership', () => {
  const config = siteConfigExample('siteconfig-configmap.yaml');

  it('reads the SiteConfig and NodeUnit back from a rendered copy', () => {
    const { object } = renderSiteConfig(config, 'zone1', 'member-1');
    expect(copyOwnerOf(object)).toEqual({ namespace: 'default', name: 'mall-config', nodeUnit: 'zone1' });
  });

  it('keeps the full name of a SiteConfig too long for a label value', () => {
    const long = { ...config, metadata: { ...config.metadata, name: `mall-${'x'.repeat(80)}` } };
    const { object } = renderSiteConfig(long, 'zone1', 'member-1');
    expect(object.metadata.labels['gridfed.io/site-config-name']).toHaveLength(63);
    expect(copyOwnerOf(object)?.name).toBe(long.metadata.name);
  });

  it('does not take a ConfigMap gridfed did not make for a copy, whatever its name', () => {
    expect(copyOwnerOf({ metadata: { name: 'mall-config-zone1', labels: { app: 'mall' } } })).toBeUndefined();
    const { object } = renderSiteConfig(config, 'zone1', 'member-1');
    const relabelled = {
      ...object,
      metadata: { ...object.metadata, labels: { ...object.metadata.labels, 'app.kubernetes.io/managed-by': 'helm' } },
    };
    expect(copyOwnerOf(relabelled)).toBeUndefined();
  });

  it('selects the copies of one SiteConfig by its labels', () => {
    const { labels } = renderSiteConfig(config, 'zone2', 'member-1').object.metadata;
    const selector = copySelector('default', 'mall-config');
    for (const term of selector.split(',')) {
      const [key, value] = term.split('=');
      expect(labels[key!]).toBe(value);
    }
    expect(selector).toBe(
      'app.kubernetes.io/managed-by=gridfed,gridfed.io/site-config-namespace=default,gridfed.io/site-config-name=mall-config',
    );
  });
});
