// Latency samples, one at a time while all the other grids exist:
//  - propagation: a grid's template image edited -> the last of its 6 member workloads carries it;
//  - drift: a member workload's image changed behind the hub's back -> the hub put it back;
//  - status: a member workload's readyReplicas changed -> the grid's status.states shows it.
// Every end is stamped by a watch event; waits are registered before the edit is sent.
import { PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { workloadName } from '#gridfed/grid-api';
import { gridObject, memberFor, patchGrid, type BenchContext } from '../context.js';
import { BENCH_NAMESPACE, containerImage, driftPatch, gridName, imagePatch, scalePatch } from '../grids.js';
import { MEMBERS, NODE_UNITS, memberOf } from '../layout.js';
import { progress } from '../log.js';
import { WaitTimeout } from '../watch.js';

export interface LatencySamples {
  samplesMs: number[];
  timeouts: number;
}

/** After this many timeouts in a row the hub is not keeping up: stop sampling this figure. */
const GIVE_UP_AFTER = 3;

type Sample = (k: number) => Promise<number>;

async function sampleLoop(ctx: BenchContext, figure: string, sample: Sample): Promise<LatencySamples> {
  const result: LatencySamples = { samplesMs: [], timeouts: 0 };
  let inARow = 0;
  for (let k = 0; k < ctx.config.edits; k++) {
    try {
      result.samplesMs.push(Math.round(await sample(k)));
      inARow = 0;
    } catch (err) {
      if (!(err instanceof WaitTimeout)) throw err;
      result.timeouts += 1;
      inARow += 1;
      progress(`${figure}: sample ${k + 1} timed out: ${err.message}`);
      if (inARow >= GIVE_UP_AFTER) {
        progress(`${figure}: ${GIVE_UP_AFTER} timeouts in a row, giving up on this figure (see ${ctx.fleet.hubLog})`);
        break;
      }
    }
    if ((k + 1) % 10 === 0 || k + 1 === ctx.config.edits) {
      progress(`${figure}: ${k + 1}/${ctx.config.edits} samples, last ${result.samplesMs.at(-1) ?? 'n/a'} ms`);
    }
  }
  return result;
}

const sampleTimeout = (ctx: BenchContext): number => ctx.config.sampleTimeoutSeconds * 1000;
const gridFor = (ctx: BenchContext, k: number): string => gridName(k % ctx.config.grids);
const nodeUnitFor = (k: number): string => NODE_UNITS[k % NODE_UNITS.length]!;

export function measurePropagation(ctx: BenchContext): Promise<LatencySamples> {
  return sampleLoop(ctx, 'propagation', async (k) => {
    const name = gridFor(ctx, k);
    const image = `bench/echo:propagation-${k}`;
    const waits = MEMBERS.map((member) => {
      const tests = new Map(
        NODE_UNITS.filter((nu) => memberOf(nu) === member).map((nu) => [
          workloadName(name, nu),
          (d: V1Deployment) => containerImage(d.spec) === image,
        ]),
      );
      return ctx.members.get(member)!.deployments.whenAll(tests, sampleTimeout(ctx), `propagation of ${image}`).done;
    });
    const start = performance.now();
    const [, ...ends] = await Promise.all([patchGrid(ctx, name, imagePatch(gridObject(ctx, name), image)), ...waits]);
    return Math.max(...ends) - start;
  });
}

export function measureDrift(ctx: BenchContext): Promise<LatencySamples> {
  return sampleLoop(ctx, 'drift', async (k) => {
    const nodeUnit = nodeUnitFor(k);
    const view = memberFor(ctx, nodeUnit);
    const name = workloadName(gridFor(ctx, k), nodeUnit);
    const live = view.deployments.get(name);
    const desired = containerImage(live?.spec);
    const generation = live?.metadata?.generation;
    if (!desired || generation === undefined) throw new Error(`drift: ${view.name} has no Deployment ${name}`);
    const reverted = view.deployments.when(
      name,
      (d) => (d.metadata?.generation ?? 0) > generation && containerImage(d.spec) === desired,
      sampleTimeout(ctx),
      `drift of ${view.name}/${name} reverted`,
    );
    const start = performance.now();
    const edit = view.apps.patchNamespacedDeployment(
      { name, namespace: BENCH_NAMESPACE, body: driftPatch(`bench/drift:${k}`) },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    const [, end] = await Promise.all([edit, reverted]);
    return end - start;
  });
}

export function measureStatus(ctx: BenchContext): Promise<LatencySamples> {
  const replicasOf = new Map<string, number>();
  return sampleLoop(ctx, 'status', async (k) => {
    const name = gridFor(ctx, k);
    const nodeUnit = nodeUnitFor(k);
    const target = (replicasOf.get(`${name}/${nodeUnit}`) ?? 1) + 1;
    replicasOf.set(`${name}/${nodeUnit}`, target);
    const view = memberFor(ctx, nodeUnit);
    const workload = workloadName(name, nodeUnit);
    const memberReady = view.deployments.when(
      workload,
      (d) => d.status?.readyReplicas === target,
      sampleTimeout(ctx),
      `${view.name}/${workload} readyReplicas ${target}`,
    );
    const gridShows = ctx.grids.when(
      name,
      (g) => g.status?.states?.[nodeUnit]?.readyReplicas === target,
      sampleTimeout(ctx),
      `grid ${name} status.states.${nodeUnit}.readyReplicas ${target}`,
    );
    const edit = patchGrid(ctx, name, scalePatch(gridObject(ctx, name), nodeUnit, target));
    const [, readyAt, shownAt] = await Promise.all([edit, memberReady, gridShows]);
    return Math.max(0, shownAt - readyAt);
  });
}
