import { describe, expect, it } from '@jest/globals';
import { copyStub, SITE_CONFIG_COPY_SELECTOR } from './copy-reflector.js';

const OWNER_LABELS = {
  'app.kubernetes.io/managed-by': 'gridfed',
  'gridfed.io/site-config-namespace': 'shop',
  'gridfed.io/site-config-name': 'shop-config',
  'gridfed.io/nodeunit': 'a',
};

const IDENTITY = { name: 'shop-config-a', namespace: 'shop', resourceVersion: '7' };

describe('SiteConfig copy watch', () => {
  it('selects gridfed objects that name a SiteConfig namespace', () => {
    expect(SITE_CONFIG_COPY_SELECTOR).toBe('app.kubernetes.io/managed-by=gridfed,gridfed.io/site-config-namespace');
  });

  it('keeps what says whose copy it is, and no content or other metadata', () => {
    const stub = copyStub({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        ...IDENTITY,
        labels: { ...OWNER_LABELS, team: 'x' },
        annotations: { 'gridfed.io/site-config-name': 'shop-config', 'gridfed.io/desired-hash': 'h' },
        managedFields: [{ manager: 'gridfed' }],
      },
      data: { secretish: 'value' },
    } as never);
    expect(stub).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        ...IDENTITY,
        labels: OWNER_LABELS,
        annotations: { 'gridfed.io/site-config-name': 'shop-config' },
      },
    });
  });
});
