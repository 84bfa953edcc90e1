// Fan-out: G fed DeploymentGrids created on the control cluster, timed from the first
// create until every one of the G x 6 member Deployments exists with the desired spec,
// as the bench's own watches on the members see them arrive ("applied"), and, as the
// floor is, until every one exists and until every one is ready.
import type { V1Deployment } from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { DESIRED_HASH_ANNOTATION, workloadName } from '#gridfed/grid-api';
import { renderWorkload } from '#gridfed/grid-render';
import { revisionHash, templateSetOf } from '#gridfed/rollout';
import { createGrid, gridObject, memberFor, type BenchContext } from '../context.js';
import { BASE_IMAGE, benchGrid, containerImage, gridName } from '../grids.js';
import { scrapeHub } from '../hub-metrics.js';
import { MEMBERS, NODE_UNIT_KEY, NODE_UNITS, memberOf } from '../layout.js';
import { every, progress } from '../log.js';
import { hubProfiling, monotonicMapper, writeFanoutWindow } from '../profile/window.js';
import type { Milestones } from '../milestones.js';
import type { MetricSample } from '../prom.js';
import type { Throughput } from '../report.js';
import { ratePerSecond, round } from '../stats.js';
import { WaitTimeout, type AllWait, type ObjectTest } from '../watch.js';
import { WorkloadMilestones } from '../workload-milestones.js';

export interface FanoutOutcome {
  throughput: Throughput & { hashMismatches: number };
  milestones: Milestones;
  /** Hub metrics just before the first create and at convergence. */
  before: MetricSample[];
  after: MetricSample[];
}

/** The desired spec of a freshly created bench grid's workload in `nodeUnit`. */
function isAsCreated(nodeUnit: string): ObjectTest<V1Deployment> {
  return (d) =>
    containerImage(d.spec) === BASE_IMAGE &&
    d.spec?.replicas === 1 &&
    d.spec.template.spec?.nodeSelector?.[NODE_UNIT_KEY] === nodeUnit;
}

/** Per member: each workload name it must receive, with its test. */
export function fanoutExpectations(names: readonly string[]): Map<string, Map<string, ObjectTest<V1Deployment>>> {
  const expected = new Map(MEMBERS.map((m) => [m, new Map<string, ObjectTest<V1Deployment>>()]));
  for (const name of names) {
    for (const nodeUnit of NODE_UNITS)
      expected.get(memberOf(nodeUnit))!.set(workloadName(name, nodeUnit), isAsCreated(nodeUnit));
  }
  return expected;
}

export async function runFanout(ctx: BenchContext): Promise<FanoutOutcome> {
  const names = Array.from({ length: ctx.config.grids }, (_, i) => gridName(i));
  const total = names.length * NODE_UNITS.length;
  const timeoutMs = ctx.config.timeoutSeconds * 1000;
  const before = await scrapeHub(ctx.fleet.hub.url);
  const expected = fanoutExpectations(names);
  const waits = [...expected].map(
    ([member, tests]) =>
      [member, ctx.members.get(member)!.deployments.whenAll(tests, timeoutMs, `fan-out to ${member}`)] as const,
  );
  // Awaited only after the creates: a failed create must not leave their timeouts unhandled.
  for (const [, wait] of waits) wait.done.catch(() => undefined);
  const milestones = new WorkloadMilestones(
    [...expected].map(([member, tests]) => ({
      member,
      watch: ctx.members.get(member)!.deployments,
      names: [...tests.keys()],
    })),
    timeoutMs,
    'fan-out',
  );
  const arrived = (): number => total - waits.reduce((n, [, w]) => n + w.remaining(), 0);
  const stopProgress = every(5000, () => {
    const c = milestones.counts();
    progress(`fan-out: ${arrived()}/${total} member Deployments as desired, ${c.exists} exist, ${c.ready} ready`);
  });
  progress(`fan-out: creating ${names.length} DeploymentGrids, ${ctx.config.concurrency} at a time`);
  const start = performance.now();
  const monotonicUs = monotonicMapper();
  try {
    await createGrids(ctx, names);
    progress(`fan-out: ${names.length} grids created in ${round((performance.now() - start) / 1000, 2)} s`);
    const ends = await Promise.all(waits.map(([member, wait]) => explainTimeout(ctx, member, wait)));
    const seconds = round((Math.max(...ends) - start) / 1000, 2);
    const after = await scrapeHub(ctx.fleet.hub.url);
    progress(`fan-out: ${total} member Deployments as desired ${seconds} s after the first create`);
    const { existsSeconds, readySeconds } = await milestones.settle(start);
    if (hubProfiling(process.env)) {
      const at = (seconds: number): number => monotonicUs(start + seconds * 1000);
      const window = {
        startUs: at(0),
        appliedUs: at(seconds),
        readyUs: readySeconds === null ? null : at(readySeconds),
      };
      writeFanoutWindow(ctx.fleet.root, window);
    }
    const throughput = {
      objects: total,
      seconds,
      objectsPerSecond: ratePerSecond(total, seconds),
      hashMismatches: hashMismatches(ctx, names),
    };
    return { throughput, milestones: { appliedSeconds: seconds, existsSeconds, readySeconds }, before, after };
  } finally {
    stopProgress();
  }
}

async function createGrids(ctx: BenchContext, names: readonly string[]): Promise<void> {
  const limit = pLimit(ctx.config.concurrency);
  await Promise.all(names.map((name) => limit(() => createGrid(ctx, benchGrid(name)))));
}

/** A fan-out timeout, told in what the member holds: missing objects, or ones with another spec. */
async function explainTimeout(ctx: BenchContext, member: string, wait: AllWait): Promise<number> {
  try {
    return await wait.done;
  } catch (err) {
    if (!(err instanceof WaitTimeout)) throw err;
    const view = ctx.members.get(member)!;
    const present = err.pending.map((name) => view.deployments.get(name)).filter((d) => d !== undefined);
    const sample = present[0];
    const detail = sample
      ? `; e.g. ${sample.metadata?.name}: image ${containerImage(sample.spec)}, replicas ${sample.spec?.replicas}`
      : '';
    throw new Error(
      `fan-out to ${member}: ${err.pending.length} Deployments not as desired after ${ctx.config.timeoutSeconds} s ` +
        `(${err.pending.length - present.length} missing, ${present.length} with another spec${detail}); see ${ctx.fleet.hubLog}`,
      { cause: err },
    );
  }
}

/** Workloads whose desired-hash annotation differs from what rendering the grid gives: should be none. */
function hashMismatches(ctx: BenchContext, names: readonly string[]): number {
  let mismatches = 0;
  for (const name of names) {
    const grid = gridObject(ctx, name);
    for (const nodeUnit of NODE_UNITS) {
      const view = memberFor(ctx, nodeUnit);
      const live = view.deployments.get(workloadName(name, nodeUnit));
      const expected = renderWorkload(grid, nodeUnit, view.name, revisionHash(templateSetOf(grid))).hash;
      if (live?.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] !== expected) mismatches += 1;
    }
  }
  return mismatches;
}
