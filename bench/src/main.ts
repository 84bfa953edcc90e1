// make bench: the hub's fan-out, latencies and cost, measured on local clusters against
// the physical floor (the same objects applied straight to the members). Options come
// from the environment (see config.ts); results land in bench/results/.
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { readBenchConfig, type BenchConfig } from './config.js';
import { closeContext, openContext, type BenchContext } from './context.js';
import { BenchEnvironment } from './environment.js';
import { MEMBERS, NODE_UNITS } from './layout.js';
import { elapsedSeconds, phases, progress } from './log.js';
import { fastestMilestones, milestoneRatios, ratio, unreachedNotes } from './milestones.js';
import { measureRollouts, type RolloutTimes } from './phases/rollout.js';
import {
  fanoutCost,
  measureFootprint,
  NO_FOOTPRINT,
  measureIdle,
  statusWritesPerGrid,
  type Footprint,
  type IdleCost,
} from './phases/cost.js';
import { runFanout, type FanoutOutcome } from './phases/fanout.js';
import { runFloor, type FloorOutcome } from './phases/floor.js';
import { measureDrift, measurePropagation, measureStatus, type LatencySamples } from './phases/latency.js';
import { waitSettled } from './phases/settle.js';
import { measureReplicas } from './phases/replicas.js';
import { renderReplicas, writeReplicasResults, type ReplicasResult } from './replicas-report.js';
import { renderSummary, type BenchResult, type Throughput } from './report.js';
import { writeResults } from './results.js';
import { round, summarizeLatencies } from './stats.js';

const BENCH_ROOT = resolve('.gridfed/bench');
const RESULTS_DIR = resolve('bench/results');

interface RunStart {
  startedAt: string;
  /** Taken before the bench starts anything: the load of other work on the machine. */
  loadAverage1m: number;
}

interface Measurements {
  rollouts: RolloutTimes;
  floor: FloorOutcome;
  floorPerRequest: FloorOutcome;
  fanout: FanoutOutcome;
  statusWritesPerGrid: number | null;
  propagation: LatencySamples;
  drift: LatencySamples;
  status: LatencySamples;
  idle: IdleCost;
  footprint: Footprint;
}

/** The phases in order; what went wrong without stopping the run goes into `notes`. */
async function measureAll(ctx: BenchContext, notes: string[]): Promise<Measurements> {
  const phase = phases(11);
  const settled = async (why: string): Promise<void> => {
    if (!(await waitSettled(ctx, why))) notes.push(`the fleet did not settle ${why}`);
  };
  const floorPerRequest = await phase('floor, a connection per request', () => runFloor(ctx, 'per-request'));
  const floor = await phase('floor, pooled connections', () => runFloor(ctx, 'pooled'));
  const fanout = await phase('fan-out through the hub', () => runFanout(ctx));
  const mismatches = fanout.throughput.hashMismatches;
  if (mismatches > 0) notes.push(`${mismatches} member Deployments carry a desired-hash other than the bench renders`);
  const sides = {
    'floor (a connection per request)': floorPerRequest.milestones,
    'floor (pooled connections)': floor.milestones,
    hub: fanout.milestones,
  };
  notes.push(...unreachedNotes(sides, ctx.config.timeoutSeconds));
  await phase('settling after the fan-out', () => settled('after the fan-out'));
  const statusWrites = await statusWritesPerGrid(ctx, fanout.before);
  const propagation = await phase('propagation latency', () => measurePropagation(ctx));
  const drift = await phase('drift correction latency', () => measureDrift(ctx));
  const status = await phase('status latency', () => measureStatus(ctx));
  await phase('settling before the rollouts', () => settled('before the rollouts'));
  const rollouts = await phase('fleet-wide image changes', () => measureRollouts(ctx));
  await phase('settling before idling', () => settled('before idling'));
  const idle = await phase(`idle window (${ctx.config.idleSeconds} s)`, () => measureIdle(ctx));
  const footprint = await measureFootprint(ctx).catch((err: unknown) => {
    notes.push(`memory not measured: ${err instanceof Error ? err.message : String(err)}`);
    return NO_FOOTPRINT;
  });
  return {
    rollouts,
    floor,
    floorPerRequest,
    fanout,
    statusWritesPerGrid: statusWrites,
    propagation,
    drift,
    status,
    idle,
    footprint,
  };
}

function toResult(config: BenchConfig, start: RunStart, m: Measurements, notes: string[]): BenchResult {
  const memberObjects = config.grids * NODE_UNITS.length;
  const floors = { pooled: m.floor.milestones, perRequest: m.floorPerRequest.milestones };
  const floor = fastestMilestones(floors.pooled, floors.perRequest);
  return {
    startedAt: start.startedAt,
    finishedAt: new Date().toISOString(),
    runSeconds: round(elapsedSeconds()),
    config,
    machine: { cpus: availableParallelism(), node: process.versions.node, loadAverage1m: start.loadAverage1m },
    memberObjects,
    fanout: m.fanout.throughput,
    floor: fasterFloor(m.floor.throughput, m.floorPerRequest.throughput),
    floors: { pooled: m.floor.throughput, perRequest: m.floorPerRequest.throughput },
    milestones: { hub: m.fanout.milestones, floor, floors },
    ratios: milestoneRatios(m.fanout.milestones, floor),
    propagation: summarizeLatencies(m.propagation.samplesMs, m.propagation.timeouts),
    drift: summarizeLatencies(m.drift.samplesMs, m.drift.timeouts),
    status: summarizeLatencies(m.status.samplesMs, m.status.timeouts),
    samplesMs: { propagation: m.propagation.samplesMs, drift: m.drift.samplesMs, status: m.status.samplesMs },
    rollouts: m.rollouts,
    cost: {
      ...fanoutCost(m.fanout.before, m.fanout.after, memberObjects, config.grids * MEMBERS.length),
      statusWritesPerGrid: m.statusWritesPerGrid,
      ...m.idle,
      ...m.footprint,
    },
    notes,
  };
}

async function main(config: BenchConfig, env: BenchEnvironment, onContext: (ctx: BenchContext) => void): Promise<void> {
  const start: RunStart = { startedAt: new Date().toISOString(), loadAverage1m: round(loadavg()[0] ?? 0, 2) };
  progress(`config ${JSON.stringify(config)}; load average ${start.loadAverage1m}`);
  const fleet = await env.start(config);
  const ctx = await openContext(fleet, config);
  onContext(ctx);
  const notes: string[] = [];
  if (config.hubReplicas > 1) return replicasRun(ctx, start, notes);
  const result = toResult(config, start, await measureAll(ctx, notes), notes);
  const summary = renderSummary(result);
  const files = writeResults(RESULTS_DIR, result, summary);
  process.stdout.write(`\n${summary}\n`);
  progress(`results: ${files.join(', ')}; ${Math.round(elapsedSeconds())} s so far`);
}

/**
 * Several replicas: the fan-out against the floor, each replica's members and memory,
 * and the handovers. The single-hub figures (latencies, requests, idle writes) read one
 * hub's metrics, so they are left to the default run.
 */
async function replicasRun(ctx: BenchContext, start: RunStart, notes: string[]): Promise<void> {
  const floorPerRequest = await runFloor(ctx, 'per-request');
  const floorPooled = await runFloor(ctx, 'pooled');
  const fanout = await runFanout(ctx);
  if (!(await waitSettled(ctx, 'after the fan-out'))) notes.push('the fleet did not settle after the fan-out');
  const replicas = await measureReplicas(ctx);
  const floor = fasterFloor(floorPooled.throughput, floorPerRequest.throughput);
  const result: ReplicasResult = {
    startedAt: start.startedAt,
    finishedAt: new Date().toISOString(),
    config: ctx.config,
    machine: { cpus: availableParallelism(), node: process.versions.node, loadAverage1m: start.loadAverage1m },
    fanout: fanout.throughput,
    floor,
    hubToFloorRatio: ratio(fanout.throughput.seconds, floor.seconds),
    replicas,
    notes,
  };
  const summary = renderReplicas(result);
  const files = writeReplicasResults(RESULTS_DIR, result, summary);
  process.stdout.write(`\n${summary}\n`);
  progress(`results: ${files.join(', ')}`);
}

function readConfigOrExit(): BenchConfig {
  try {
    return readBenchConfig(process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
}

function run(): void {
  const config = readConfigOrExit();
  const env = new BenchEnvironment(BENCH_ROOT);
  let ctx: BenchContext | undefined;
  let exiting: Promise<never> | undefined;
  // Once: a phase failing because ^C is tearing the fleet down must not stop it twice.
  const shutdown = (code: number): Promise<never> =>
    (exiting ??= (async () => {
      if (ctx) await closeContext(ctx).catch(() => undefined);
      progress('stopping the hub, the clusters and Redis');
      await env.stop();
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping`);
      void shutdown(130);
    });
  }
  main(config, env, (c) => (ctx = c)).then(
    () => shutdown(0),
    (err: unknown) => {
      if (exiting) return;
      progress(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      progress(`logs: ${BENCH_ROOT} (hub.log, clusters/<name>/*.log)`);
      void shutdown(1);
    },
  );
}

run();

/** The faster of the two direct apply loops. */
function fasterFloor(a: Throughput, b: Throughput): Throughput {
  return a.seconds <= b.seconds ? a : b;
}
