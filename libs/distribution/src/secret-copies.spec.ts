import { describe, expect, it } from '@jest/globals';
import { renderSiteConfig, type RenderedCopy, type SiteConfig } from '#gridfed/site-config';
import type { CopyPlan } from './copy-plan.js';
import { ledgerAfter, ledgerBefore } from './secret-copies.js';

const creds: SiteConfig = {
  apiVersion: 'gridfed.io/v1alpha1',
  kind: 'SiteConfig',
  metadata: { namespace: 'shop', name: 'creds' },
  spec: { gridUniqKey: 'zone', type: 'Secret', defaults: { secretRefs: [{ name: 'db' }] } },
};
const secret = { data: { password: Buffer.from('s3cret').toString('base64') } };
const copy = (nodeUnit: string): RenderedCopy => renderSiteConfig(creds, nodeUnit, 'member-1', () => secret);
const plan = (p: Partial<CopyPlan>): CopyPlan => ({ create: [], apply: [], delete: [], ...p });
const ref = { namespace: 'shop', name: 'creds' };

describe('the Secret copy ledger around a copy sync', () => {
  it('names every Secret about to be written before it is, keeping what it named', () => {
    expect(ledgerBefore(['creds-old'], plan({ create: [copy('a')], apply: [copy('b')] }))).toEqual([
      'creds-a',
      'creds-b',
      'creds-old',
    ]);
  });

  it('drops a name only once its Secret was deleted, and keeps the copies still there', () => {
    const live = [copy('a').object, copy('old').object];
    const after = ledgerAfter(
      live,
      plan({ create: [copy('b')], delete: [{ kind: 'Secret', namespace: 'shop', name: 'creds-old' }] }),
      ref,
    );
    expect(after).toEqual(['creds-a', 'creds-b']);
  });

  it('ends empty when the SiteConfig is gone and its copies were deleted', () => {
    const live = [copy('a').object];
    expect(ledgerAfter(live, plan({ delete: [{ kind: 'Secret', namespace: 'shop', name: 'creds-a' }] }), ref)).toEqual(
      [],
    );
  });

  it('never names a Secret that is not this SiteConfig copy (an object in the way)', () => {
    const foreign = { kind: 'Secret', metadata: { name: 'creds-c', namespace: 'shop' } };
    expect(ledgerAfter([foreign], plan({}), ref)).toEqual([]);
  });
});
