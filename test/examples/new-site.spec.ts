// The two manifests of deploy/examples/new-site, which `make demo` applies to add site zone3,
// through the same pure code the hub runs: the NodeUnit fits its CRD and validates, and labels
// exactly the demo's new shop node (zone: zone3) and no node of the other sites; the SiteConfig
// entry, merged into mall-config as `kubectl patch --type merge` does, validates and gives zone3 a
// complete copy that grid mall's zone3 workload points at. Without the entry zone3 has no copy.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { renderWorkload } from '#gridfed/grid-render';
import { validateNodeUnit, type NodeUnit } from '#gridfed/site-api';
import { copyContent, validateSiteConfig, type SiteConfig } from '#gridfed/site-config';
import { memberNodeOf, planNodeMembership } from '#gridfed/sites';
import { FLEET, NEW_SHOP } from '../../tools/local-cluster/src/fleet.js';
import { renderNode } from '../../tools/local-cluster/src/nodes.js';
import { loadCrd, schemaErrors, servedVersion } from '../crds/structural-schema.js';

const EXAMPLES = resolve('deploy/examples');
const read = <T>(file: string): T => parse(readFileSync(join(EXAMPLES, file), 'utf8')) as T;

const nodeUnit = read<NodeUnit>('new-site/nodeunit-zone3.yaml');
const entry = read<Record<string, unknown>>('new-site/mall-config-zone3.yaml');
const mallConfig = read<SiteConfig>('site-config/siteconfig-configmap.yaml');
const mall = read<DeploymentGrid>('deploymentgrid-site-config.yaml');

/** RFC 7386 JSON merge patch, as `kubectl patch --type merge` has the apiserver apply it. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const base = typeof target === 'object' && target !== null && !Array.isArray(target) ? target : {};
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

const patched = mergePatch(mallConfig, entry) as SiteConfig;

function crdSchema(file: string, apiVersion: string) {
  const version = servedVersion(loadCrd(resolve('deploy/crds', file)), apiVersion);
  if (!version) throw new Error(`deploy/crds/${file} serves no ${apiVersion}`);
  return version.schema.openAPIV3Schema;
}

describe('the new site NodeUnit (deploy/examples/new-site/nodeunit-zone3.yaml)', () => {
  it('fits its CRD unchanged, validates, and is fed', () => {
    expect(nodeUnit.apiVersion).toBe('site.superedge.io/v1alpha1');
    expect(schemaErrors(nodeUnit, crdSchema('nodeunits.site.superedge.io.yaml', 'site.superedge.io/v1alpha1'))).toEqual(
      [],
    );
    expect(validateNodeUnit(nodeUnit).ok).toBe(true);
    expect(nodeUnit.metadata.labels?.['superedge.io/fed']).toBe('yes');
  });

  it("labels the demo's new shop node zone: zone3 and no node of the first two sites", () => {
    const members = FLEET.filter((c) => c.name !== 'control').map((c) => ({
      member: c.name,
      manageNodes: true,
      nodes: [...c.nodes, ...(c.name === NEW_SHOP.cluster ? [NEW_SHOP.node] : [])].map((n) =>
        memberNodeOf(renderNode(n)),
      ),
    }));
    const plan = planNodeMembership({ nodeUnits: [nodeUnit], nodeGroups: [], members, now: new Date(0) });
    expect(plan.patches.map((p) => [p.member, p.node, p.labels])).toEqual([
      [NEW_SHOP.cluster, NEW_SHOP.node.name, { zone: 'zone3' }],
    ]);
    expect(plan.nodeUnitStatus.get('zone3')?.notreadynodes).toEqual([`${NEW_SHOP.cluster}/${NEW_SHOP.node.name}`]);
  });
});

describe("the new site's SiteConfig entry (deploy/examples/new-site/mall-config-zone3.yaml)", () => {
  it('adds spec.nodeUnits.zone3 to mall-config and changes nothing else', () => {
    expect(patched).toEqual({
      ...mallConfig,
      spec: {
        ...mallConfig.spec,
        nodeUnits: { ...mallConfig.spec.nodeUnits, zone3: { data: { 'mall-id': 'hangzhou' } } },
      },
    });
  });

  it('leaves a SiteConfig that fits its CRD and validates', () => {
    expect(schemaErrors(patched, crdSchema('siteconfigs.yaml', patched.apiVersion))).toEqual([]);
    expect(validateSiteConfig(patched)).toEqual({ ok: true, siteConfig: patched });
  });

  it('is what gives zone3 a copy: the defaults under its own mall-id', () => {
    expect(() => copyContent(mallConfig, 'zone3')).toThrow('spec.nodeUnits.zone3 is missing');
    expect(copyContent(patched, 'zone3').data).toEqual({
      'log-level': 'info',
      'mall-id': 'hangzhou',
      upstream: 'http://consul.service.local:8500',
    });
  });

  it("points grid mall's zone3 workload (the one the demo waits for) at mall-config-zone3", () => {
    const siteConfigs = { siteConfig: (name: string) => (name === 'mall-config' ? patched : undefined) };
    const { object } = renderWorkload(mall, 'zone3', NEW_SHOP.cluster, undefined, siteConfigs);
    const pod = object.spec.template.spec;
    expect(object.metadata.name).toBe('mall-zone3');
    expect(pod?.nodeSelector).toEqual({ zone: 'zone3' });
    expect(pod?.volumes?.[0]?.configMap?.name).toBe('mall-config-zone3');
    expect(pod?.containers[0]?.envFrom?.[0]?.configMapRef?.name).toBe('mall-config-zone3');
    expect(pod?.containers[0]?.env?.[0]?.valueFrom?.configMapKeyRef?.name).toBe('mall-config-zone3');
  });
});

describe('scripts/demo-new-site.sh', () => {
  it("watches the new shop node of tools/local-cluster's fleet (NEW_SHOP)", () => {
    const script = readFileSync(resolve('scripts/demo-new-site.sh'), 'utf8');
    expect(script).toContain(`\nmember=${NEW_SHOP.cluster}\n`);
    expect(script).toContain(`\nnode=${NEW_SHOP.node.name}\n`);
  });
});
