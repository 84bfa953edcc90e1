import { describe, expect, it } from '@jest/globals';
import { renderSiteConfig, type SiteConfig } from '#gridfed/site-config';
import { orphanedSiteConfigs, type SiteConfigView } from './copy-orphans.js';

const siteConfig = (namespace: string, name: string): SiteConfig => ({
  apiVersion: 'gridfed.io/v1alpha1',
  kind: 'SiteConfig',
  metadata: { namespace, name },
  spec: { gridUniqKey: 'zone', type: 'ConfigMap', defaults: { data: { k: 'v' } } },
});
const copyOf = (namespace: string, name: string, nodeUnit: string) =>
  renderSiteConfig(siteConfig(namespace, name), nodeUnit, 'member-1').object;

const cacheOf = (names: string[], synced = true): SiteConfigView => ({
  synced,
  size: names.length,
  has: (namespace, name) => names.includes(`${namespace}/${name}`),
});

describe('orphaned SiteConfig copies', () => {
  const copies = [
    copyOf('shop', 'kept', 'a'),
    copyOf('shop', 'gone', 'a'),
    copyOf('shop', 'gone', 'b'),
    copyOf('other', 'kept', 'a'),
  ];

  it('names each SiteConfig that no longer exists once, from the copies that name it', () => {
    expect(orphanedSiteConfigs(copies, cacheOf(['shop/kept']))).toEqual([
      { namespace: 'other', name: 'kept' },
      { namespace: 'shop', name: 'gone' },
    ]);
  });

  it('names none while the cache has not listed (or its list failed)', () => {
    expect(orphanedSiteConfigs(copies, cacheOf(['shop/kept'], false))).toEqual([]);
  });

  it('names none from an empty list: an empty cache is never taken as "every SiteConfig is gone"', () => {
    expect(orphanedSiteConfigs(copies, cacheOf([]))).toEqual([]);
  });

  it('names none when every SiteConfig exists', () => {
    expect(orphanedSiteConfigs(copies, cacheOf(['shop/kept', 'shop/gone', 'other/kept']))).toEqual([]);
  });

  it('ignores objects gridfed did not make as copies, whatever their labels say', () => {
    const foreign = {
      metadata: { name: 'gone-a', namespace: 'shop', labels: { 'gridfed.io/site-config-namespace': 'shop' } },
    };
    const helm = copyOf('shop', 'gone', 'c');
    helm.metadata.labels['app.kubernetes.io/managed-by'] = 'helm';
    expect(orphanedSiteConfigs([foreign, helm], cacheOf(['shop/kept']))).toEqual([]);
  });
});
