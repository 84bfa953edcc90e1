import { describe, expect, it } from '@jest/globals';
import { ledgerNames, ledgerOwnerOf, renderSiteConfig, secretCopyLedger, secretCopyLedgerName } from './index.js';
import { siteConfigOfMemberObject } from './copy-ownership.js';
import { siteConfigExample } from './spec-support.js';

describe('the ledger of Secret copy names', () => {
  it('holds each name once, sorted, labelled as the SiteConfig its copies are', () => {
    const ledger = secretCopyLedger('shop', 'creds', ['creds-b', 'creds-a', 'creds-b']);
    expect(ledger.metadata.name).toBe('gridfed-secret-copies-creds');
    expect(ledger.data).toEqual({ 'creds-a': '', 'creds-b': '' });
    expect(ledgerNames(ledger)).toEqual(['creds-a', 'creds-b']);
    expect(ledger.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'gridfed',
      'gridfed.io/site-config-namespace': 'shop',
      'gridfed.io/site-config-name': 'creds',
      'gridfed.io/secret-copy-ledger': 'true',
    });
    expect(ledgerOwnerOf(ledger)).toEqual({ namespace: 'shop', name: 'creds' });
    expect(siteConfigOfMemberObject(ledger)).toEqual({ namespace: 'shop', name: 'creds' });
  });

  it('keeps a name within 253 characters, distinct per SiteConfig', () => {
    const long = (c: string) => secretCopyLedgerName(`${c}${'x'.repeat(260)}`);
    expect(long('a')).toHaveLength(253);
    expect(long('a')).not.toBe(long('b'));
  });

  it('is not taken for a copy, and a copy or foreign ConfigMap is not taken for a ledger', () => {
    const ledger = secretCopyLedger('default', 'mall-config', ['mall-config-zone1']);
    const copy = renderSiteConfig(siteConfigExample('siteconfig-configmap.yaml'), 'zone1', 'member-1').object;
    expect(ledgerOwnerOf(copy)).toBeUndefined();
    expect(siteConfigOfMemberObject(copy)).toEqual({ namespace: 'default', name: 'mall-config' });
    // A ledger label on an object of another name (a copy faking it) does not make a ledger.
    const renamed = { ...ledger, metadata: { ...ledger.metadata, name: 'mall-config-zone1' } };
    expect(ledgerOwnerOf(renamed)).toBeUndefined();
    const foreign = {
      ...ledger,
      metadata: { ...ledger.metadata, labels: { 'gridfed.io/secret-copy-ledger': 'true' } },
    };
    expect(ledgerOwnerOf(foreign)).toBeUndefined();
  });
});
