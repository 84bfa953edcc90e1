// Propagation latency at the largest fleet size: a grid's template image edited -> the
// last member's Deployment carries it (stamped by a watch event in each member). One edit
// at a time, while every grid exists on every member.
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import {
  GRID_GROUP,
  GRID_RESOURCES,
  GRID_VERSION,
  MANAGED_BY_VALUE,
  workloadName,
  type DeploymentGrid,
} from '#gridfed/grid-api';
import type { LocalCluster } from '../../../tools/local-cluster/src/local-cluster.js';
import { deploymentWatch } from '../context.js';
import { BENCH_NAMESPACE, containerImage, gridName, imagePatch } from '../grids.js';
import { NODE_UNIT_KEY } from '../layout.js';
import { progress } from '../log.js';
import { percentile, round } from '../stats.js';
import { WaitTimeout } from '../watch.js';

export interface PropagationSummary {
  members: number;
  samples: number;
  timeouts: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  samplesMs: number[];
}

export function summarizePropagation(members: number, samplesMs: number[], timeouts: number): PropagationSummary {
  const at = (p: number): number | null => (samplesMs.length === 0 ? null : round(percentile(samplesMs, p)));
  return {
    members,
    samples: samplesMs.length,
    timeouts,
    p50Ms: at(50),
    p90Ms: at(90),
    p99Ms: at(99),
    maxMs: at(100),
    samplesMs,
  };
}

const SAMPLE_TIMEOUT_MS = 30_000;

/** The NodeUnit a light member hosts: the label of its only node. */
function nodeUnitOf(member: LocalCluster): string {
  const suffix = /-(\d+)$/.exec(member.name)?.[1];
  if (!suffix) throw new Error(`member ${member.name}: no index to name its NodeUnit after`);
  return `nu${suffix}`;
}

export async function measurePropagation(
  control: LocalCluster,
  members: readonly LocalCluster[],
  grids: number,
  edits: number,
): Promise<PropagationSummary> {
  const custom = control.kubeConfig().makeApiClient(CustomObjectsApi);
  const target = {
    group: GRID_GROUP,
    version: GRID_VERSION,
    plural: GRID_RESOURCES.DeploymentGrid.plural,
    namespace: BENCH_NAMESPACE,
  };
  const watches = members.map((m) => ({
    unit: nodeUnitOf(m),
    watch: deploymentWatch(m.name, m.kubeConfig(), BENCH_NAMESPACE, MANAGED_BY_VALUE),
  }));
  await Promise.all(watches.map((w) => w.watch.start()));
  const samplesMs: number[] = [];
  let timeouts = 0;
  try {
    for (let k = 0; k < edits; k++) {
      const name = gridName(k % grids);
      const image = `bench/echo:members-propagation-${k}`;
      const grid = (await custom.getNamespacedCustomObject({ ...target, name })) as DeploymentGrid;
      const test = (d: V1Deployment): boolean => containerImage(d.spec) === image;
      const waits = watches.map(
        (w) =>
          w.watch.whenAll(
            new Map([[workloadName(name, w.unit), test]]),
            SAMPLE_TIMEOUT_MS,
            `${image} on ${NODE_UNIT_KEY}=${w.unit}`,
          ).done,
      );
      const start = performance.now();
      await custom.patchNamespacedCustomObject(
        { ...target, name, body: imagePatch(grid, image) },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      try {
        samplesMs.push(Math.round(Math.max(...(await Promise.all(waits))) - start));
      } catch (err) {
        if (!(err instanceof WaitTimeout)) throw err;
        timeouts += 1;
        progress(`propagation: sample ${k + 1} timed out: ${err.message}`);
      }
    }
  } finally {
    await Promise.all(watches.map((w) => w.watch.stop()));
  }
  const summary = summarizePropagation(members.length, samplesMs, timeouts);
  progress(
    `propagation at ${members.length} members: p50 ${summary.p50Ms} p90 ${summary.p90Ms} p99 ${summary.p99Ms} ms`,
  );
  return summary;
}
