import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { desiredCopies, type SiteConfig } from '#gridfed/site-config';
import { planCopies } from './copy-plan.js';

const siteConfig = (): SiteConfig => {
  const sc = parse(readFileSync('deploy/examples/site-config/siteconfig-configmap.yaml', 'utf8')) as SiteConfig;
  sc.metadata.uid = 'u-1';
  return sc;
};
const REF = { namespace: 'default', name: 'mall-config' };
const cm = (name: string) => ({ kind: 'ConfigMap', namespace: 'default', name });

function wanted(sc: SiteConfig, nodeUnits: string[]) {
  const desired = desiredCopies(sc, nodeUnits, 'member-1');
  if (desired.kind !== 'copies') throw new Error(desired.message);
  return desired;
}

describe('planCopies', () => {
  it('creates what is missing and leaves an up-to-date copy alone', () => {
    const desired = wanted(siteConfig(), ['zone1', 'zone2']);
    const live = [structuredClone(desired.copies[0]!.object)];
    const plan = planCopies(REF, desired, live);
    expect(plan.create.map((c) => c.object.metadata.name)).toEqual(['mall-config-zone2']);
    expect(plan).toMatchObject({ apply: [], delete: [] });
  });

  it('applies a copy edited by hand (drift) or out of date', () => {
    const desired = wanted(siteConfig(), ['zone1']);
    const edited = structuredClone(desired.copies[0]!.object);
    edited.data['mall-id'] = 'changed by hand';
    expect(planCopies(REF, desired, [edited]).apply.map((c) => c.object.metadata.name)).toEqual(['mall-config-zone1']);
    const changed = siteConfig();
    changed.spec.nodeUnits!.zone1!.data!['mall-id'] = 'xian-2';
    const old = structuredClone(desired.copies[0]!.object);
    expect(planCopies(REF, wanted(changed, ['zone1']), [old]).apply).toHaveLength(1);
  });

  it("deletes copies no longer wanted, keeps a failing NodeUnit's copy, never touches another's object", () => {
    const sc = siteConfig();
    const before = wanted(sc, ['zone1', 'zone2']).copies.map((c) => structuredClone(c.object));
    delete sc.spec.nodeUnits!.zone2; // zone2 now lacks its required mall-id
    const other = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mall-config-zone3', namespace: 'default' },
    };
    const foreign = structuredClone(before[0]!);
    foreign.metadata.annotations['gridfed.io/site-config-name'] = 'another-config';
    foreign.metadata.name = 'another-config-zone1';
    const keepsZone2 = planCopies(REF, wanted(sc, ['zone2']), [...before, other, foreign]);
    expect(keepsZone2.delete).toEqual([cm('mall-config-zone1')]);
    const gone = planCopies(REF, { kind: 'copies', copies: [], failed: {}, keep: [] }, [...before, other, foreign]);
    expect(gone.delete).toEqual([cm('mall-config-zone1'), cm('mall-config-zone2')]);
  });

  it('keeps the kept copies a rollout still uses, as they are, and deletes the ones no revision uses', () => {
    const sc = siteConfig();
    const before = desiredCopies(sc, ['zone1'], 'member-1', undefined, { current: true, keep: [] });
    if (before.kind !== 'copies') throw new Error(before.message);
    const oldKept = structuredClone(before.copies[1]!.object);
    expect(oldKept.metadata.name).toMatch(/^mall-config-zone1-[0-9a-f]{10}$/);
    const changed = siteConfig();
    changed.spec.nodeUnits!.zone1!.data!['mall-id'] = 'xian-2';
    const live = [structuredClone(before.copies[0]!.object), oldKept];
    const keeping = desiredCopies(changed, ['zone1'], 'member-1', undefined, {
      current: true,
      keep: [oldKept.metadata.name],
    });
    if (keeping.kind !== 'copies') throw new Error(keeping.message);
    const plan = planCopies(REF, keeping, live);
    expect(plan.delete).toEqual([]);
    expect(plan.apply.map((c) => c.object.metadata.name)).toEqual(['mall-config-zone1']);
    expect(plan.create.map((c) => c.object.metadata.name)).toEqual([expect.stringMatching(/^mall-config-zone1-/)]);
    expect(plan.create[0]!.object.metadata.name).not.toBe(oldKept.metadata.name);
    const done = desiredCopies(changed, ['zone1'], 'member-1', undefined, { current: true, keep: [] });
    if (done.kind !== 'copies') throw new Error(done.message);
    expect(planCopies(REF, done, live).delete).toEqual([cm(oldKept.metadata.name)]);
  });

  it('after a switch of type, makes the Secret copy and deletes the ConfigMap copy of the same name', () => {
    const before = wanted(siteConfig(), ['zone1']);
    const oldConfigMap = { ...structuredClone(before.copies[0]!.object), kind: 'ConfigMap' };
    const secretType = siteConfig();
    secretType.spec = {
      gridUniqKey: 'zone',
      type: 'Secret',
      defaults: { secretRefs: [{ name: 'mall-db' }] },
    };
    const secrets = () => ({ metadata: { name: 'mall-db', uid: 'u-db' }, data: { password: 'cHc=' } });
    const desired = desiredCopies(secretType, ['zone1'], 'member-1', secrets);
    if (desired.kind !== 'copies') throw new Error(desired.message);
    const plan = planCopies(REF, desired, [oldConfigMap]);
    expect(plan.create.map((c) => [c.object.kind, c.object.metadata.name])).toEqual([['Secret', 'mall-config-zone1']]);
    expect(plan.delete).toEqual([cm('mall-config-zone1')]);
  });
});
