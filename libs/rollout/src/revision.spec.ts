import { describe, expect, it } from '@jest/globals';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { gridWithTemplates, revisionHash, templateSetOf } from './revision.js';
import { revisionFor } from './assignment.js';

const grid = (spec: Partial<DeploymentGrid['spec']> = {}, status?: DeploymentGrid['status']): DeploymentGrid => ({
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    gridUniqKey: 'zone',
    template: { selector: { matchLabels: { a: 'b' } }, template: {} },
    templatePool: { t1: { replicas: 2 } as never },
    templates: { zone1: 't1' },
    ...spec,
  },
  ...(status ? { status } : {}),
});

describe('revisions', () => {
  it('hash the templates only: replicasManagedBy, rolloutStrategy and key order do not count', () => {
    const base = revisionHash(templateSetOf(grid()));
    expect(base).toMatch(/^[0-9a-f]{10}$/);
    expect(
      revisionHash(templateSetOf(grid({ replicasManagedBy: 'member', rolloutStrategy: { type: 'Progressive' } }))),
    ).toBe(base);
    expect(revisionHash(templateSetOf(grid({ defaultTemplateName: 'default' })))).toBe(base);
    expect(revisionHash(templateSetOf(grid({ templates: { zone1: 't1', zone2: 't1' } })))).not.toBe(base);
  });

  it('put a template set back into a copy of the grid', () => {
    const g = grid({ defaultTemplateName: 't1' });
    const old = templateSetOf(grid());
    const back = gridWithTemplates(g, old);
    expect(back.spec).not.toHaveProperty('defaultTemplateName');
    expect(revisionHash(templateSetOf(back))).toBe(revisionHash(old));
    expect(g.spec.defaultTemplateName).toBe('t1');
  });

  it("include SiteConfig digests, not which NodeUnits had copies; the snapshot never reaches a grid's spec", () => {
    const set = templateSetOf(grid());
    const snapshot = (digest: string, copies = {}) => ({ ...set, siteConfigs: { cfg: { digest, copies } } });
    const withConfig = revisionHash(snapshot('d1'));
    expect(withConfig).not.toBe(revisionHash(set));
    expect(revisionHash(snapshot('d2'))).not.toBe(withConfig);
    expect(revisionHash(snapshot('d1', { zone1: { hash: 'h', keys: ['a'] } }))).toBe(withConfig);
    const back = gridWithTemplates(grid(), snapshot('d1'));
    expect(back.spec).not.toHaveProperty('siteConfigs');
  });
});

describe('revisionFor', () => {
  it('is the current revision unless a Progressive rollout keeps the NodeUnit elsewhere', () => {
    const rollout = { stableRevision: 's', updateRevision: 'u', moved: { zone1: { revision: 'u', since: '' } } };
    expect(revisionFor(grid({}, { rollout }), 'zone2', 'u')).toBe('u');
    const progressive = grid({ rolloutStrategy: { type: 'Progressive' } }, { rollout });
    expect(revisionFor(progressive, 'zone1', 'u')).toBe('u');
    expect(revisionFor(progressive, 'zone2', 'u')).toBe('s');
    // The rollout has not seen revision "v" yet: NodeUnits stay where it put them.
    expect(revisionFor(progressive, 'zone2', 'v')).toBe('s');
    // Nothing decided yet for a Progressive grid: its NodeUnits are left as they are.
    expect(revisionFor(grid({ rolloutStrategy: { type: 'Progressive' } }), 'zone2', 'v')).toBeUndefined();
  });
});
