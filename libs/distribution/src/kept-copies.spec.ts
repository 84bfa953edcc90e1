import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { recordedCopy, revisionHash, templateSetOf, type TemplateSet } from '#gridfed/rollout';
import { siteConfigCopyRef, type SiteConfig } from '#gridfed/site-config';
import { NodeUnitIndex } from '#gridfed/topology';
import { currentRevision, desiredState } from './desired-state.js';
import { currentTemplateSet, keepsCopies, keptCopiesIn, siteConfigsOf } from './kept-copies.js';

const mallConfig = (): SiteConfig =>
  parse(readFileSync('deploy/examples/site-config/siteconfig-configmap.yaml', 'utf8')) as SiteConfig;

/** The example grid, its templates mounting ConfigMap mall-config; Progressive unless told otherwise. */
function gridMounting(progressive = true): DeploymentGrid {
  const grid = parse(readFileSync('deploy/examples/deploymentgrid-fed.yaml', 'utf8')) as DeploymentGrid;
  for (const spec of [grid.spec.template, ...Object.values(grid.spec.templatePool ?? {})])
    spec.template.spec!.volumes = [{ name: 'config', configMap: { name: 'mall-config' } }];
  if (progressive) grid.spec.rolloutStrategy = { type: 'Progressive' };
  return grid;
}

const inputsOf = (config: SiteConfig) => ({
  siteConfig: (name: string) => (name === 'mall-config' ? config : undefined),
});

function withOverride(mallId: string): SiteConfig {
  const config = mallConfig();
  config.spec.nodeUnits!['zone1']!.data!['mall-id'] = mallId;
  return config;
}

describe('currentTemplateSet', () => {
  it('is the templates alone for a grid that does not keep copies, or names no SiteConfig', () => {
    expect(currentTemplateSet(gridMounting(false), inputsOf(mallConfig()))).toEqual(templateSetOf(gridMounting(false)));
    expect(currentTemplateSet(gridMounting(), inputsOf(mallConfig()))).not.toEqual(templateSetOf(gridMounting()));
    expect(currentTemplateSet(gridMounting(), { siteConfig: () => undefined })).toEqual(templateSetOf(gridMounting()));
    expect(keepsCopies(gridMounting())).toBe(true);
    expect(keepsCopies(gridMounting(false))).toBe(false);
  });

  it("records, from the SiteConfig alone, each listed NodeUnit's copy and the defaults' copy, never a value", () => {
    const set = currentTemplateSet(gridMounting(), inputsOf(mallConfig()));
    const zone1 = siteConfigCopyRef(mallConfig(), 'zone1');
    // The example requires mall-id, which the defaults lack: a NodeUnit without an entry gets no copy.
    expect(set.siteConfigs?.['mall-config']).toEqual({
      digest: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
      copies: {
        zone1: { hash: zone1.contentHash, keys: zone1.keys },
        zone2: { hash: siteConfigCopyRef(mallConfig(), 'zone2').contentHash, keys: expect.any(Array) as unknown },
      },
    });
    expect(JSON.stringify(set.siteConfigs)).not.toContain('xian');
    const open = mallConfig();
    open.spec.required = ['upstream'];
    open.spec.nodeUnits!['zone3'] = { data: { 'mall-id': '' } };
    open.spec.defaults = { data: { upstream: 'u' } };
    const snapshot = currentTemplateSet(gridMounting(), inputsOf(open)).siteConfigs?.['mall-config'];
    const anyOther = siteConfigCopyRef(open, 'zone9');
    expect(snapshot?.defaults).toEqual({ hash: anyOther.contentHash, keys: anyOther.keys });
    expect(recordedCopy(snapshot!, 'zone9')).toEqual(snapshot?.defaults);
    expect(recordedCopy(snapshot!, 'zone1')).toEqual(snapshot?.copies['zone1']);
  });

  it('says which listed NodeUnits had no copy: they are not taken for NodeUnits reading the defaults', () => {
    const broken = mallConfig();
    broken.spec.required = ['upstream'];
    broken.spec.nodeUnits = { zone1: { data: { upstream: 'u' } }, zone2: {} };
    broken.spec.defaults = {};
    const snapshot = currentTemplateSet(gridMounting(), inputsOf(broken)).siteConfigs?.['mall-config'];
    expect(snapshot?.withoutCopy).toEqual(['zone2']);
    expect(snapshot?.defaults).toBeUndefined();
    expect(recordedCopy(snapshot!, 'zone2')).toBeUndefined();
  });

  it('makes a configuration change a new revision', () => {
    const grid = gridMounting();
    const before = currentRevision(grid, inputsOf(mallConfig()));
    expect(currentRevision(grid, inputsOf(withOverride('xian-2')))).not.toBe(before);
    expect(revisionHash(currentTemplateSet(grid, inputsOf(mallConfig())))).toBe(before);
    // Without inputs, or for a grid that does not keep copies: the templates' revision, as before.
    expect(currentRevision(grid)).toBe(revisionHash(templateSetOf(grid)));
    const all = gridMounting(false);
    expect(currentRevision(all, inputsOf(withOverride('xian-2')))).toBe(currentRevision(all));
  });

  it('names only SiteConfigs of the kind and gridUniqKey the grid reads', () => {
    const otherKey = mallConfig();
    otherKey.spec.gridUniqKey = 'site';
    expect(siteConfigsOf(gridMounting(), inputsOf(otherKey))).toEqual([]);
    const secretType = mallConfig();
    secretType.spec.type = 'Secret';
    expect(siteConfigsOf(gridMounting(), inputsOf(secretType))).toEqual([]);
    expect(siteConfigsOf(gridMounting(), inputsOf(mallConfig()))).toHaveLength(1);
  });
});

describe('desiredState of a grid that keeps copies', () => {
  const topology = new NodeUnitIndex();
  topology.setNode('member-1', 'a', { zone: 'zone1' });
  topology.setNode('member-1', 'b', { zone: 'zone2' });
  const oldHash = 'a'.repeat(16);
  const volumes = (state: ReturnType<typeof desiredState>) => {
    if (state.kind !== 'objects') throw new Error(state.message);
    return Object.fromEntries(
      state.objects.map((o) => {
        const object = o.rendered.object;
        const volume = object.kind === 'Deployment' ? object.spec.template.spec?.volumes?.[0]?.configMap?.name : '';
        return [o.nodeUnits[0], volume];
      }),
    );
  };

  it("keeps a NodeUnit the rollout has not moved on its revision's copy; a moved one reads the new one", () => {
    const config = withOverride('xian-2');
    const grid = gridMounting();
    const current = currentRevision(grid, inputsOf(config));
    grid.status = {
      rollout: { stableRevision: 'old', updateRevision: current, moved: { zone2: { revision: current, since: '' } } },
    };
    const old: TemplateSet = {
      ...templateSetOf(grid),
      siteConfigs: { 'mall-config': { digest: 'd', copies: { zone1: { hash: oldHash, keys: ['mall-id'] } } } },
    };
    const state = desiredState(
      grid,
      'member-1',
      topology,
      (_g, r) => (r === 'old' ? old : undefined),
      () => inputsOf(config),
    );
    const zone2 = siteConfigCopyRef(config, 'zone2').contentHash.slice(0, 10);
    expect(volumes(state)).toEqual({ zone1: 'mall-config-zone1-aaaaaaaaaa', zone2: `mall-config-zone2-${zone2}` });
  });

  it('renders a revision made before gridfed kept copies at the plain copy', () => {
    const grid = gridMounting();
    grid.status = { rollout: { stableRevision: 'old', updateRevision: 'old' } };
    const state = desiredState(
      grid,
      'member-1',
      topology,
      () => templateSetOf(grid),
      () => inputsOf(mallConfig()),
    );
    expect(volumes(state)).toEqual({ zone1: 'mall-config-zone1', zone2: 'mall-config-zone2' });
  });
});

describe('keptCopiesIn', () => {
  const snapshot = (hash: string): TemplateSet => ({
    template: {},
    siteConfigs: { 'mall-config': { digest: 'd', copies: { zone1: { hash, keys: [] }, zone9: { hash, keys: [] } } } },
  });
  const revisions = (_grid: unknown, revision: string) =>
    ({ s: snapshot('1'.repeat(16)), u: snapshot('2'.repeat(16)) })[revision];

  it("wants the current kept copies and keeps those of every revision the grids' rollouts use, in this member", () => {
    const grid = gridMounting();
    grid.status = { rollout: { stableRevision: 's', updateRevision: 'u' } };
    expect(keptCopiesIn(mallConfig(), ['zone1', 'zone2'], [grid], revisions)).toEqual({
      current: true,
      keep: ['mall-config-zone1-1111111111', 'mall-config-zone1-2222222222'],
    });
  });

  it('wants none for grids that do not keep copies', () => {
    const grid = gridMounting(false);
    grid.status = { rollout: { stableRevision: 's', updateRevision: 'u' } };
    expect(keptCopiesIn(mallConfig(), ['zone1'], [grid], revisions)).toEqual({ current: false, keep: [] });
  });
});
