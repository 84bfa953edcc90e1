// What the CRD e2e test needs besides the apiserver itself: kubectl as a user runs it,
// the CRDs of deploy/crds applied and Established, and the seed examples as files say them.
import { expect } from '@jest/globals';
import { ApiextensionsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { GRID_KINDS, GRID_RESOURCES, type GridKind } from '#gridfed/grid-api';
import { eventually } from '../cluster/jest/eventually.js';
import { ensureKubeBinaries } from '../../tools/local-cluster/src/binaries.js';

export const CRDS_DIR = resolve('deploy/crds');
export const EXAMPLES_DIR = resolve('deploy/examples');

let kubectlBin: string | undefined;

/** Runs the harness's kubectl against one cluster; `input` goes to stdin (for `-f -`). */
export function kubectl(kubeconfig: string, args: string[], input?: string): string {
  kubectlBin ??= ensureKubeBinaries().kubectl;
  try {
    return execFileSync(kubectlBin, ['--kubeconfig', kubeconfig, ...args], {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`kubectl ${args.join(' ')}: ${stderr.trim() || String(err)}`, { cause: err });
  }
}

/** Applies every CRD file in deploy/crds, then waits until each CRD is Established; returns their names. */
export async function applyCrds(kubeconfig: string, kc: KubeConfig): Promise<string[]> {
  const files = readdirSync(CRDS_DIR).filter((f) => f.endsWith('.yaml'));
  const names = files.map((file) => {
    const crd = parse(readFileSync(join(CRDS_DIR, file), 'utf8')) as { metadata?: { name?: string } };
    const name = crd.metadata?.name;
    if (!name) throw new Error(`deploy/crds/${file}: metadata.name is missing`);
    kubectl(kubeconfig, ['apply', '--server-side', '--force-conflicts', '-f', join(CRDS_DIR, file)]);
    return name;
  });
  const api = kc.makeApiClient(ApiextensionsV1Api);
  for (const name of names) {
    await eventually(async () => {
      const crd = await api.readCustomResourceDefinition({ name });
      const established = crd.status?.conditions?.find((c) => c.type === 'Established');
      if (established?.status !== 'True') throw new Error(`CRD ${name} is not Established yet`);
    }, 30_000);
  }
  return names.sort();
}

/** A grid manifest as a file under deploy/examples declares it. */
export interface GridManifest {
  apiVersion: string;
  kind: GridKind;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

export interface Example {
  file: string;
  /** Each example gets a namespace of its own: several share a name. */
  namespace: string;
  plural: string;
  manifest: GridManifest;
}

export function loadExamples(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const manifest = parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as GridManifest;
      if (!GRID_KINDS.includes(manifest.kind)) {
        throw new Error(`deploy/examples/${file}: kind "${String(manifest.kind)}" is not a grid kind`);
      }
      const namespace = `crds-${basename(file, '.yaml')}`;
      return { file, namespace, plural: GRID_RESOURCES[manifest.kind].plural, manifest };
    });
}

/** `kubectl get` table output as rows keyed by upper-case column header. */
export function parseTable(out: string): Record<string, string>[] {
  const [header, ...lines] = out.trim().split('\n');
  const columns = (header ?? '').trim().split(/\s+/);
  return lines.map((line) => {
    const cells = line.trim().split(/\s+/);
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

/** `kubectl get <kind> <name>` printed exactly one row: `columns` besides AGE, and an AGE. */
export function expectOneRow(out: string, columns: Record<string, string>): void {
  const rows = parseTable(out);
  const { AGE, ...row } = rows[0] ?? {};
  expect(rows).toHaveLength(1);
  expect(row).toStrictEqual(columns);
  expect(AGE).toMatch(/^\d+[smhd]/);
}
