import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { V1EnvVar } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { AnyGrid, DeploymentGrid } from '#gridfed/grid-api';
import type { SiteConfig } from '#gridfed/site-config';
import { NodeUnitIndex } from '#gridfed/topology';
import { desiredState, isDistributed } from './desired-state.js';

const load = (file: string): AnyGrid => parse(readFileSync(`deploy/examples/${file}`, 'utf8')) as AnyGrid;

function fleet(): NodeUnitIndex {
  const topology = new NodeUnitIndex();
  topology.setNode('member-1', 'a', { zone: 'zone1' });
  topology.setNode('member-2', 'b', { zone: 'zone2' });
  topology.setNode('member-2', 'c', { zone: 'Zone_B' });
  return topology;
}

const names = (state: ReturnType<typeof desiredState>) =>
  state.kind === 'objects' ? state.objects.map((o) => o.rendered.object.metadata?.name) : state.message;

describe('desiredState', () => {
  it('wants one workload per NodeUnit the member hosts, and nothing elsewhere', () => {
    const grid = load('deploymentgrid-fed.yaml');
    const topology = fleet();
    expect(names(desiredState(grid, 'member-1', topology))).toEqual(['deploymentgrid-demo-zone1']);
    expect(names(desiredState(grid, 'member-2', topology))).toHaveLength(2);
    expect(names(desiredState(grid, 'member-3', topology))).toEqual([]);
  });

  it('escapes a NodeUnit that is not a DNS label and keeps valid ones as they are', () => {
    const state = desiredState(load('deploymentgrid-fed.yaml'), 'member-2', fleet());
    const list = names(state) as string[];
    expect(list).toContain('deploymentgrid-demo-zone2');
    expect(list.find((n) => n.startsWith('deploymentgrid-demo-zone-b-'))).toMatch(
      /^deploymentgrid-demo-zone-b-[0-9a-f]{6}$/,
    );
  });

  it('wants nothing for a grid without the fed label, with another value, or being deleted', () => {
    const topology = fleet();
    expect(names(desiredState(load('deploymentgrid.yaml'), 'member-1', topology))).toEqual([]);
    const no = load('deploymentgrid-fed.yaml');
    no.metadata.labels = { 'superedge.io/fed': 'no' };
    expect(isDistributed(no)).toBe(false);
    expect(names(desiredState(no, 'member-1', topology))).toEqual([]);
    const deleting = load('deploymentgrid-fed.yaml');
    deleting.metadata.deletionTimestamp = new Date();
    expect(names(desiredState(deleting, 'member-1', topology))).toEqual([]);
    expect(names(desiredState(undefined, 'member-1', topology))).toEqual([]);
  });

  it('wants the ServiceGrid Service in every member that hosts a NodeUnit of its key', () => {
    const sg = load('servicegrid-fed.yaml');
    const topology = fleet();
    expect(names(desiredState(sg, 'member-1', topology))).toEqual(['servicegrid-demo-svc']);
    expect(names(desiredState(sg, 'member-2', topology))).toEqual(['servicegrid-demo-svc']);
    expect(names(desiredState(sg, 'member-3', topology))).toEqual([]);
  });

  it('says "invalid" (leave everything as it is) for an invalid grid', () => {
    const bad = load('deploymentgrid-fed.yaml') as DeploymentGrid;
    bad.spec.templates = { zone1: 'canary' };
    const state = desiredState(bad, 'member-1', fleet());
    expect(state.kind).toBe('invalid');
    expect(names(state)).toContain('spec.templates.zone1 names "canary"');
  });

  it('skips a NodeUnit whose object name would be too long, and says so', () => {
    const grid = load('statefulsetgrid.yaml');
    grid.metadata.labels = { 'superedge.io/fed': 'yes' };
    const topology = new NodeUnitIndex();
    topology.setNode('m', 'a', { zone: 'z'.repeat(40) });
    topology.setNode('m', 'b', { zone: 'zone1' });
    const state = desiredState(grid, 'm', topology);
    expect(names(state)).toEqual(['statefulsetgrid-demo-zone1']);
    expect(state.kind === 'objects' && state.skippedNodeUnits).toEqual(['z'.repeat(40)]);
  });
});

describe('desiredState with SiteConfigs', () => {
  const siteConfig = parse(readFileSync('deploy/examples/site-config/siteconfig-configmap.yaml', 'utf8')) as SiteConfig;
  /** The example grid, every template of it mounting ConfigMap mall-config (and `env` if given). */
  function gridMounting(env?: V1EnvVar[]): DeploymentGrid {
    const grid = load('deploymentgrid-fed.yaml') as DeploymentGrid;
    for (const spec of [grid.spec.template, ...Object.values(grid.spec.templatePool ?? {})]) {
      spec.template.spec!.volumes = [{ name: 'config', configMap: { name: 'mall-config' } }];
      if (env) spec.template.spec!.containers[0]!.env = env;
    }
    return grid;
  }
  const inputs = (config: SiteConfig) => () => ({
    siteConfig: (name: string) => (name === 'mall-config' ? config : undefined),
  });
  const volumeOf = (state: ReturnType<typeof desiredState>, name: string) => {
    if (state.kind !== 'objects') throw new Error(state.message);
    const object = state.objects.find((o) => o.rendered.object.metadata?.name === name)?.rendered.object;
    return object?.kind === 'Deployment' ? object.spec.template.spec?.volumes?.[0]?.configMap?.name : undefined;
  };

  it("points each NodeUnit's workload at its own copy", () => {
    const state = desiredState(gridMounting(), 'member-2', fleet(), undefined, inputs(siteConfig));
    expect(volumeOf(state, 'deploymentgrid-demo-zone2')).toBe('mall-config-zone2');
    const zone1 = desiredState(gridMounting(), 'member-1', fleet(), undefined, inputs(siteConfig));
    expect(volumeOf(zone1, 'deploymentgrid-demo-zone1')).toBe('mall-config-zone1');
    expect(zone1).toMatchObject({ held: [], siteConfigErrors: {} });
  });

  it('holds only the NodeUnit without an override, naming SiteConfig, NodeUnit and key; the others render', () => {
    const state = desiredState(gridMounting(), 'member-2', fleet(), undefined, inputs(siteConfig));
    expect(names(state)).toEqual(['deploymentgrid-demo-zone2']);
    if (state.kind !== 'objects') throw new Error('a valid grid has objects');
    expect(state.held).toEqual([expect.stringMatching(/^default\/deploymentgrid-demo-zone-b-[0-9a-f]{6}$/)]);
    expect(state.siteConfigErrors.Zone_B).toContain(
      'names SiteConfig "mall-config", which has no copy for NodeUnit Zone_B',
    );
    expect(state.siteConfigErrors.Zone_B).toContain('"mall-id"');
  });

  it('holds a NodeUnit whose copy lacks a key the pod takes', () => {
    const grid = gridMounting([
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'mall-config', key: 'region' } } },
    ]);
    const state = desiredState(grid, 'member-1', fleet(), undefined, inputs(siteConfig));
    expect(names(state)).toEqual([]);
    expect(state).toMatchObject({
      held: ['default/deploymentgrid-demo-zone1'],
      siteConfigErrors: {
        zone1: expect.stringContaining(
          'names key "region", which NodeUnit zone1\'s copy of SiteConfig "mall-config" does not have',
        ),
      },
    });
  });

  it('without SiteConfig inputs, a grid naming the SiteConfig mounts the plain ConfigMap', () => {
    const state = desiredState(gridMounting(), 'member-1', fleet());
    expect(volumeOf(state, 'deploymentgrid-demo-zone1')).toBe('mall-config');
  });
});
