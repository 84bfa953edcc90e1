// Settled: every member workload rolled out and ready, and every grid's status.states
// showing what its members report. Latency samples and the idle window start from here.
import type { V1Deployment } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { workloadName, type DeploymentGrid } from '#gridfed/grid-api';
import { memberFor, type BenchContext } from '../context.js';
import { NODE_UNITS } from '../layout.js';
import { progress } from '../log.js';
import { workloadReady } from '../workload-milestones.js';

interface SettleCounts {
  total: number;
  ready: number;
  reported: number;
}

/** Ready by gridfed's one definition (libs/rollout memberObjectReady), as the grid status counts it. */
export function isRolledOut(d: V1Deployment | undefined): boolean {
  return d !== undefined && workloadReady(d);
}

/** The grid's state for `nodeUnit` counts the same replicas as the member workload. */
export function stateShows(grid: DeploymentGrid | undefined, nodeUnit: string, d: V1Deployment): boolean {
  const state = grid?.status?.states?.[nodeUnit];
  return (
    state !== undefined &&
    (state.readyReplicas ?? 0) === (d.status?.readyReplicas ?? 0) &&
    (state.replicas ?? 0) === (d.status?.replicas ?? 0)
  );
}

function countSettled(ctx: BenchContext): SettleCounts {
  const counts: SettleCounts = { total: 0, ready: 0, reported: 0 };
  for (const name of ctx.gridObjects.keys()) {
    const grid = ctx.grids.get(name);
    for (const nodeUnit of NODE_UNITS) {
      counts.total += 1;
      const live = memberFor(ctx, nodeUnit).deployments.get(workloadName(name, nodeUnit));
      if (!live || !isRolledOut(live)) continue;
      counts.ready += 1;
      if (stateShows(grid, nodeUnit, live)) counts.reported += 1;
    }
  }
  return counts;
}

/** Waits until settled; false (and a warning) when that does not happen before the deadline. */
export async function waitSettled(ctx: BenchContext, why: string): Promise<boolean> {
  const deadline = Date.now() + ctx.config.timeoutSeconds * 1000;
  let lastReport = Date.now();
  for (;;) {
    const c = countSettled(ctx);
    const line = `${c.ready}/${c.total} workloads ready, ${c.reported}/${c.total} shown in status.states`;
    if (c.ready === c.total && c.reported === c.total) {
      progress(`settled ${why}: ${line}`);
      return true;
    }
    if (Date.now() > deadline) {
      progress(`NOT settled ${why} after ${ctx.config.timeoutSeconds} s: ${line}`);
      return false;
    }
    if (Date.now() - lastReport >= 5000) {
      progress(`settling ${why}: ${line}`);
      lastReport = Date.now();
    }
    await sleep(250);
  }
}
