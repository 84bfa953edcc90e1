// make bench-members: the hub's cost as a function of the number of members, at a fixed
// number of grids. For each size: a fresh hub, the fan-out of the grids, an idle window,
// then its memory, CPU, connections and the watches it holds; the grids are deleted (and
// collected from the members) before the next size. Results: bench/results/members-latest.*
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { writeFileSync, mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CustomObjectsApi } from '@kubernetes/client-node';
import { GRID_GROUP, GRID_RESOURCES, GRID_VERSION } from '#gridfed/grid-api';
import { BENCH_NAMESPACE, benchGrid, gridName } from '../grids.js';
import { CONTROL_CLUSTER, HUB_CPU, HUB_HEAP_USED, HUB_RSS, KUBE_REQUESTS, scrapeHub } from '../hub-metrics.js';
import { residentBytes } from '../hub-process-info.js';
import { progress } from '../log.js';
import { counterDelta, isWriteMethod, sumMetric, type MetricSample } from '../prom.js';
import { openWatchesOn } from './apiserver-metrics.js';
import { readMembersBenchConfig, type MembersBenchConfig } from './config.js';
import { MembersFleet } from './fleet.js';
import {
  perMemberCost,
  renderMembersMarkdown,
  renderMembersSvg,
  type MembersResult,
  type MembersRow,
} from './report.js';
import { hubConnections } from './sockets.js';
import { measurePropagation, type PropagationSummary } from './propagation.js';

const ROOT = resolve('.gridfed/bench-members');
const RESULTS_DIR = resolve('bench/results');
const MIB = 1024 * 1024;
const gridTarget = {
  group: GRID_GROUP,
  version: GRID_VERSION,
  plural: GRID_RESOURCES.DeploymentGrid.plural,
  namespace: BENCH_NAMESPACE,
};

const toMember = (l: Record<string, string>): boolean => l['cluster'] !== CONTROL_CLUSTER;
const r2 = (x: number): number => Math.round(x * 100) / 100;

async function waitCounts(fleet: MembersFleet, want: number, what: string, timeoutMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const counts = await fleet.managedDeployments();
    if (counts.every((c) => c === want)) return (performance.now() - start) / 1000;
    if (performance.now() - start > timeoutMs)
      throw new Error(
        `${what}: members hold ${counts.join(',')} Deployments, not ${want} each, after ${timeoutMs / 1000} s`,
      );
    await sleep(250);
  }
}

interface SizeOutcome {
  row: MembersRow;
  propagation: PropagationSummary | null;
}

async function measureSize(fleet: MembersFleet, config: MembersBenchConfig, n: number): Promise<SizeOutcome> {
  await fleet.registerUpTo(n);
  const members = fleet.registeredMembers;
  const watchesWithoutHub = await openWatchesOn(members);
  const hub = await fleet.startHub();
  progress(`${n} member(s): hub up (pid ${hub.pid}); creating ${config.grids} grids`);
  await sleep(5000);
  const before = await scrapeHub(hub.url);
  const custom = fleet.custom();
  const created = performance.now();
  for (let i = 0; i < config.grids; i++)
    await custom.createNamespacedCustomObject({
      ...gridTarget,
      body: benchGrid(gridName(i)),
    });
  await waitCounts(fleet, config.grids, 'fan-out', config.timeoutSeconds * 1000);
  const fanoutSeconds = (performance.now() - created) / 1000;
  const afterFanout = await scrapeHub(hub.url);
  progress(`${n} member(s): fan-out in ${fanoutSeconds.toFixed(1)} s; idle for ${config.idleSeconds} s`);
  await sleep(5000);
  const idleBefore = await scrapeHub(hub.url);
  await sleep(config.idleSeconds * 1000);
  const idleAfter = await scrapeHub(hub.url);
  const row = sizeRow(fleet, config, n, { before, afterFanout, idleBefore, idleAfter }, fanoutSeconds);
  row.watchesOnMembers = (await openWatchesOn(members)) - watchesWithoutHub;
  row.sharedEtcdRssMiB = r2((residentBytes((await fleet.etcdPid()) ?? 0) ?? 0) / MIB);
  progress(`${n} member(s): ${JSON.stringify(row)}`);
  const largest = n === config.counts.at(-1) && config.edits > 0;
  const propagation = largest ? await measurePropagation(fleet.control!, members, config.grids, config.edits) : null;
  await custom.deleteCollectionNamespacedCustomObject(gridTarget);
  await waitCounts(fleet, 0, 'cleanup', config.timeoutSeconds * 1000);
  await waitGridsGone(custom, config.timeoutSeconds * 1000);
  await fleet.stopHub();
  return { row, propagation };
}

/** Until the deleted grids are gone (the hub removes its finalizer), so the next size can create them again. */
async function waitGridsGone(custom: CustomObjectsApi, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = ((await custom.listNamespacedCustomObject(gridTarget)) as { items: unknown[] }).items.length;
    if (left === 0) return;
    if (Date.now() > deadline)
      throw new Error(`cleanup: ${left} grids still in ${BENCH_NAMESPACE} after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

interface Scrapes {
  before: MetricSample[];
  afterFanout: MetricSample[];
  idleBefore: MetricSample[];
  idleAfter: MetricSample[];
}

function sizeRow(
  fleet: MembersFleet,
  config: MembersBenchConfig,
  n: number,
  s: Scrapes,
  fanoutSeconds: number,
): MembersRow {
  const members = fleet.registeredMembers;
  const hubPid = fleet.hub?.pid;
  const connections = hubPid === undefined ? new Map<number, number>() : hubConnections(hubPid);
  const memberPorts = new Set(members.map((m) => m.ports.apiserver));
  const toMembers = [...connections].filter(([port]) => memberPorts.has(port)).reduce((a, [, c]) => a + c, 0);
  const idleRequests = counterDelta(s.idleBefore, s.idleAfter, KUBE_REQUESTS, toMember);
  const writes = (l: Record<string, string>): boolean =>
    isWriteMethod(l['method']) && l['resource'] !== 'leases' && toMember(l);
  const apiserverRss = members.map((m) => residentBytes(m.pids()[0] ?? 0) ?? 0);
  const memberObjects = n * config.grids;
  return {
    members: n,
    grids: config.grids,
    memberObjects,
    fanoutSeconds: r2(fanoutSeconds),
    fanoutRequestsPerMemberObject: r2(counterDelta(s.before, s.afterFanout, KUBE_REQUESTS, toMember) / memberObjects),
    hubCpuSecondsDuringFanout: r2(counterDelta(s.before, s.afterFanout, HUB_CPU)),
    hubRssMiB: r2((sumMetric(s.idleAfter, HUB_RSS) || (residentBytes(hubPid ?? 0) ?? 0)) / MIB),
    hubHeapUsedMiB: r2(sumMetric(s.idleAfter, HUB_HEAP_USED) / MIB),
    hubCpuSecondsIdle: r2(counterDelta(s.idleBefore, s.idleAfter, HUB_CPU)),
    connectionsToMembers: toMembers,
    connectionsToControl: connections.get(fleet.control!.ports.apiserver) ?? 0,
    watchesOnMembers: 0,
    idleRequestsPerSecond: r2(idleRequests / config.idleSeconds),
    idleRequestsPerSecondPerMember: r2(idleRequests / config.idleSeconds / n),
    idleWrites: counterDelta(s.idleBefore, s.idleAfter, KUBE_REQUESTS, writes),
    memberApiserverRssMiB: r2(apiserverRss.reduce((a, b) => a + b, 0) / apiserverRss.length / MIB),
    sharedEtcdRssMiB: 0,
  };
}

function writeResults(result: MembersResult): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = result.startedAt.replaceAll(':', '-');
  const files = {
    [`members-${stamp}.json`]: JSON.stringify(result, null, 2),
    'members-latest.json': JSON.stringify(result, null, 2),
    'members-latest.md': renderMembersMarkdown(result),
    'members-latest.svg': renderMembersSvg(result.rows),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(resolve(RESULTS_DIR, name), text);
  return Object.keys(files).map((f) => `bench/results/${f}`);
}

async function main(config: MembersBenchConfig, fleet: MembersFleet): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadAverage1m = r2(loadavg()[0] ?? 0);
  progress(`config ${JSON.stringify(config)}; load average ${loadAverage1m}`);
  await fleet.start(config.counts.at(-1)!);
  const rows: MembersRow[] = [];
  const notes: string[] = [];
  let propagation: PropagationSummary | null = null;
  for (const n of config.counts) {
    try {
      const outcome = await measureSize(fleet, config, n);
      rows.push(outcome.row);
      propagation = outcome.propagation ?? propagation;
    } catch (err) {
      notes.push(`${n} members: not measured: ${err instanceof Error ? err.message : String(err)}`);
      progress(notes.at(-1)!);
      break;
    }
  }
  const result: MembersResult = {
    startedAt,
    finishedAt: new Date().toISOString(),
    config: {
      counts: config.counts,
      grids: config.grids,
      idleSeconds: config.idleSeconds,
    },
    machine: { cpus: availableParallelism(), loadAverage1m },
    rows,
    propagation,
    perMember: perMemberCost(rows),
    notes,
  };
  const markdown = renderMembersMarkdown(result);
  process.stdout.write(`\n${markdown}\n`);
  progress(`results: ${writeResults(result).join(', ')}`);
}

function run(): void {
  let config: MembersBenchConfig;
  try {
    config = readMembersBenchConfig(process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const fleet = new MembersFleet(ROOT);
  let exiting: Promise<never> | undefined;
  const shutdown = (code: number): Promise<never> =>
    (exiting ??= (async () => {
      progress('stopping the hub, the clusters and Redis');
      await fleet.stop();
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(130));
  main(config, fleet).then(
    () => shutdown(0),
    (err: unknown) => {
      progress(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}; logs in ${ROOT}`);
      void shutdown(1);
    },
  );
}

run();
