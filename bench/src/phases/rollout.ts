// Fleet-wide image changes: every grid's image edited at once, timed from the first edit
// until every member workload runs the new image and is rolled out (ready). Once with
// type All (everything at once, as SuperEdge), once with a Progressive strategy (a canary
// NodeUnit, then half, then all; two NodeUnits updating at a time), which also waits
// for every grid's rollout to say Complete.
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import { workloadName, type RolloutStrategy } from '#gridfed/grid-api';
import { gridObject, memberFor, patchGrid, type BenchContext } from '../context.js';
import { containerImage, gridName, imagePatch } from '../grids.js';
import { NODE_UNITS } from '../layout.js';
import { progress } from '../log.js';
import { round } from '../stats.js';
import { isRolledOut } from './settle.js';

export interface RolloutTimes {
  /** Seconds until every workload ran the new image, ready; null when the deadline passed first. */
  allSeconds: number | null;
  progressiveSeconds: number | null;
  progressiveStrategy: RolloutStrategy;
}

export const BENCH_PROGRESSIVE: RolloutStrategy = {
  type: 'Progressive',
  waves: [{ percent: 17 }, { percent: 50 }, { percent: 100 }],
  maxUnavailableNodeUnits: 2,
  minReadySeconds: 0,
  progressDeadlineSeconds: 600,
};

export async function measureRollouts(ctx: BenchContext): Promise<RolloutTimes> {
  const allSeconds = await timeImageChange(ctx, 'bench/echo:all', 'All', { type: 'All' });
  const progressiveSeconds = await timeImageChange(ctx, 'bench/echo:progressive', 'Progressive', BENCH_PROGRESSIVE);
  return { allSeconds, progressiveSeconds, progressiveStrategy: BENCH_PROGRESSIVE };
}

async function timeImageChange(
  ctx: BenchContext,
  image: string,
  label: string,
  strategy: RolloutStrategy,
): Promise<number | null> {
  const names = Array.from({ length: ctx.config.grids }, (_, i) => gridName(i));
  const total = names.length * NODE_UNITS.length;
  const limit = pLimit(ctx.config.concurrency);
  progress(`rollout (${label}): setting ${image} on ${names.length} grids`);
  const start = performance.now();
  await Promise.all(
    names.map((name) =>
      limit(() =>
        patchGrid(ctx, name, {
          spec: {
            ...(imagePatch(gridObject(ctx, name), image) as { spec: object }).spec,
            // Every NodeUnit on the one template (the status samples gave some their own).
            templates: null,
            templatePool: null,
            rolloutStrategy: strategy,
          },
        }),
      ),
    ),
  );
  const deadline = Date.now() + ctx.config.timeoutSeconds * 1000;
  let lastReport = Date.now();
  for (;;) {
    const done = rolledOut(ctx, names, image);
    const complete =
      strategy.type !== 'Progressive' || names.every((n) => ctx.grids.get(n)?.status?.rollout?.phase === 'Complete');
    if (done === total && complete) {
      const seconds = round((performance.now() - start) / 1000, 2);
      progress(`rollout (${label}): ${total} workloads on ${image} and ready in ${seconds} s`);
      return seconds;
    }
    if (Date.now() > deadline) {
      progress(`rollout (${label}): only ${done}/${total} workloads on ${image} after ${ctx.config.timeoutSeconds} s`);
      return null;
    }
    if (Date.now() - lastReport >= 5000) {
      progress(`rollout (${label}): ${done}/${total} workloads on ${image} and ready`);
      lastReport = Date.now();
    }
    await sleep(200);
  }
}

function rolledOut(ctx: BenchContext, names: string[], image: string): number {
  let n = 0;
  for (const name of names) {
    for (const nodeUnit of NODE_UNITS) {
      const live = memberFor(ctx, nodeUnit).deployments.get(workloadName(name, nodeUnit));
      if (live && containerImage(live.spec) === image && isRolledOut(live)) n += 1;
    }
  }
  return n;
}
