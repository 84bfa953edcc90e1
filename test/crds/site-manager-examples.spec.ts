// SuperEdge site-manager's example manifests (deploy/examples/site-manager) against the NodeUnit and
// NodeGroup CRDs of deploy/crds: each names a served version and breaks no part of its schema, so
// the apiserver takes it unchanged (nothing pruned). The checker itself is shown to catch what matters.
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadSiteManagerExamples } from './site-manager-examples.js';
import { loadCrd, schemaErrors, servedVersion, type Crd, type JsonSchema } from './structural-schema.js';

const CRDS = resolve('deploy/crds');
const CRD_BY_KIND: Record<string, Crd> = {
  NodeUnit: loadCrd(join(CRDS, 'nodeunits.site.superedge.io.yaml')),
  NodeGroup: loadCrd(join(CRDS, 'nodegroups.site.superedge.io.yaml')),
};

const manifests = loadSiteManagerExamples();

function schemaFor(kind: string, apiVersion: string): JsonSchema {
  const crd = CRD_BY_KIND[kind];
  if (!crd) throw new Error(`no CRD for kind ${kind}`);
  const version = servedVersion(crd, apiVersion);
  if (!version) throw new Error(`${crd.metadata.name} serves no ${apiVersion}`);
  return version.schema.openAPIV3Schema;
}

describe('site-manager example manifests', () => {
  it('include the documentation examples of both kinds and versions', () => {
    const seen = manifests.map(([, m]) => `${m.apiVersion} ${m.kind}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        'site.superedge.io/v1 NodeUnit',
        'site.superedge.io/v1 NodeGroup',
        'site.superedge.io/v1alpha1 NodeUnit',
        'site.superedge.io/v1alpha1 NodeGroup',
      ]),
    );
  });

  it.each(manifests)('%s fits its CRD unchanged', (_name, manifest) => {
    expect(schemaErrors(manifest, schemaFor(manifest.kind, manifest.apiVersion))).toEqual([]);
  });
});

describe('the CRDs', () => {
  it.each(Object.entries(CRD_BY_KIND))(
    '%s serves v1alpha1 (storage) and v1 with one schema and /status',
    (_kind, crd) => {
      const [alpha, v1] = crd.spec.versions;
      expect(crd.spec.group).toBe('site.superedge.io');
      expect(crd.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
        ['v1alpha1', true, true],
        ['v1', true, false],
      ]);
      // One schema, so the apiserver converts between them without a webhook.
      expect(v1?.schema).toEqual(alpha?.schema);
      expect(crd.spec.versions.every((v) => 'status' in ((v as { subresources?: object }).subresources ?? {}))).toBe(
        true,
      );
    },
  );

  it('do not serve v1alpha2, whose renamed fields need a conversion webhook', () => {
    expect(servedVersion(CRD_BY_KIND['NodeUnit'] as Crd, 'site.superedge.io/v1alpha2')).toBeUndefined();
  });
});

describe('the schema check', () => {
  const nodeUnit = schemaFor('NodeUnit', 'site.superedge.io/v1alpha1');
  const base = { apiVersion: 'site.superedge.io/v1alpha1', kind: 'NodeUnit', metadata: { name: 'a' } };

  it('reports a field the CRD does not declare (v1alpha2 spelling) as pruned', () => {
    expect(schemaErrors({ ...base, spec: { setNode: { labels: { a: 'b' } } } }, nodeUnit)).toEqual([
      'spec.setNode: is not in the schema (the apiserver would prune it)',
    ]);
  });

  it('reports wrong types, missing required fields and bad values', () => {
    const spec = { nodes: 'edge-1', unschedulable: 'no', setnode: { taints: [{ key: 'k' }], labels: { a: 1 } } };
    expect(schemaErrors({ ...base, spec }, nodeUnit)).toEqual([
      'spec.nodes: must be array, not "edge-1"',
      'spec.unschedulable: must be boolean, not "no"',
      'spec.setnode.taints[0].effect: is required',
      'spec.setnode.labels.a: must be string, not 1',
    ]);
    const conflict = { node: 'm/n', kind: 'selector', key: 'k', nodeUnits: [] };
    expect(schemaErrors({ ...base, status: { conflicts: [conflict], observedGeneration: -1 } }, nodeUnit)).toEqual([
      'status.conflicts[0].kind: "selector" is not one of ["label","annotation","taint"]',
      'status.observedGeneration: -1 is below 0',
    ]);
  });
});
