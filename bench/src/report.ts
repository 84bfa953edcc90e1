// A run's results, the targets from the issue, and the markdown summary. Pure.
import type { RolloutStrategy } from '#gridfed/grid-api';
import type { BenchConfig } from './config.js';
import { secondsAt, type Milestone, type MilestoneRatios, type Milestones } from './milestones.js';
import { round, type LatencySummary } from './stats.js';

export interface Throughput {
  objects: number;
  seconds: number;
  objectsPerSecond: number | null;
}

export interface CostFigures {
  /** Requests the hub sent to member apiservers from the first grid create to convergence. */
  memberRequestsDuringFanout: number;
  requestsPerMemberObject: number | null;
  fanoutRequestsByMethod: Record<string, number>;
  /** Every cluster's requests during the fan-out, keyed `cluster METHOD resource` (JSON only). */
  fanoutRequestsByResource: Record<string, number>;
  /** CPU the hub process used from the first create to convergence (context: the machine has 2 cores). */
  hubCpuSecondsDuringFanout: number;
  /** Member sync jobs run from the first create to convergence; per grid and member, 1 is one sync each. */
  memberSyncsDuringFanout?: number;
  memberSyncsPerGridAndMember?: number | null;
  /** Grid status writes (status and status.rollout) from the first create until every state showed ready, per grid. */
  statusWritesPerGrid: number | null;
  idleSeconds: number;
  /** Non-read requests (anything but GET, HEAD, LIST, WATCH) to any cluster while idle. */
  idleWrites: number;
  idleWritesByCluster: Record<string, number>;
  idleLeaseRenewals: number;
  hubRssBytes: number | null;
  /** Of the RSS: JavaScript heap in use and memory outside the heap, at the end (context for the RSS). */
  hubHeapUsedBytes: number | null;
  hubExternalBytes: number | null;
  redisUsedMemoryBytes: number | null;
}

export interface BenchResult {
  startedAt: string;
  finishedAt: string;
  config: BenchConfig;
  /** loadAverage1m: the machine's 1-minute load when the run started (other work skews the figures). */
  machine: { cpus: number; node: string; loadAverage1m: number };
  /** Seconds from the bench's start (clusters included) until the results were written. */
  runSeconds: number;
  memberObjects: number;
  fanout: Throughput & { hashMismatches: number };
  /** The faster of the two direct apply loops below. */
  floor: Throughput;
  /** client-node with one connection pool per member, and as it ships (a TLS connection per request). */
  floors: { pooled: Throughput; perRequest: Throughput };
  /** Both ends timed to the same three moments; the floor's is each moment's faster direct loop. */
  milestones: { hub: Milestones; floor: Milestones; floors: { pooled: Milestones; perRequest: Milestones } };
  /** hub / floor at each moment; `ready` is the end-to-end one, what users feel. */
  ratios: MilestoneRatios;
  propagation: LatencySummary;
  drift: LatencySummary;
  status: LatencySummary;
  samplesMs: { propagation: number[]; drift: number[]; status: number[] };
  /** A fleet-wide image change, every grid at once: seconds until every workload ran it, ready. */
  rollouts?: { allSeconds: number | null; progressiveSeconds: number | null; progressiveStrategy: RolloutStrategy };
  cost: CostFigures;
  /** What went wrong or differs from the plan (settling timed out, hash mismatches, ...). */
  notes: string[];
}

export const TARGETS = {
  appliedRatio: 1.5,
  readyRatio: 1.2,
  runSeconds: 15 * 60,
  requestsPerMemberObject: 2,
  idleWrites: 0,
  p99Ms: 2000,
  /** Issue 14: the hub's libraries alone used to cost ~175 MiB; at most 200 MiB at 1,200 objects. */
  hubRssBytes: 200 * 1024 * 1024,
  rssReferenceObjects: 1200,
} as const;

export interface TargetCheck {
  figure: string;
  value: string;
  target: string;
  /** null: a figure reported for context, with no target of its own. */
  pass: boolean | null;
}

const MIB = 1024 * 1024;
const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : `${round(bytes / MIB)} MiB`);

function throughputText(t: Throughput): string {
  return `${t.objects} objects in ${t.seconds} s (${t.objectsPerSecond ?? 'n/a'} objects/s)`;
}

const secondsText = (v: number | null): string => (v === null ? 'not reached' : `${v} s`);

/** The apply throughput, then when every workload existed and was ready. */
function endsText(t: Throughput, m: Milestones): string {
  return `${throughputText(t)}; all exist ${secondsText(m.existsSeconds)}, all ready ${secondsText(m.readySeconds)}`;
}

const RATIO_FIGURES: Record<Milestone, { figure: string; target: number | null }> = {
  applied: {
    figure: 'hub / floor, applied (floor: loop returned; hub: every object as desired)',
    target: TARGETS.appliedRatio,
  },
  exists: { figure: 'hub / floor, every member workload exists', target: null },
  ready: { figure: 'hub / floor, every member workload ready (end to end)', target: TARGETS.readyRatio },
};

/** One row per moment: the ratio, both times, and the target where the issue sets one. */
export function ratioChecks(r: BenchResult): TargetCheck[] {
  return (Object.keys(RATIO_FIGURES) as Milestone[]).map((m) => {
    const { figure, target } = RATIO_FIGURES[m];
    const value = r.ratios[m];
    const times = `hub ${secondsText(secondsAt(r.milestones.hub, m))}, floor ${secondsText(secondsAt(r.milestones.floor, m))}`;
    return {
      figure,
      value: `${value === null ? 'n/a' : value.toFixed(2)} (${times})`,
      target: target === null ? '' : `<= ${target}`,
      pass: target === null ? null : value !== null && value <= target,
    };
  });
}

function runTimeCheck(r: BenchResult): TargetCheck {
  const whole = Math.round(r.runSeconds);
  return {
    figure: 'bench run time (clusters, phases, results)',
    value: `${Math.floor(whole / 60)} min ${whole % 60} s`,
    target: `< ${TARGETS.runSeconds / 60} min`,
    pass: r.runSeconds < TARGETS.runSeconds,
  };
}

function latencyText(l: LatencySummary): string {
  const ms = (v: number | null): string => (v === null ? 'n/a' : String(Math.round(v)));
  const timeouts = l.timeouts > 0 ? `, ${l.timeouts} timed out` : '';
  return `${ms(l.p50Ms)} / ${ms(l.p95Ms)} / ${ms(l.p99Ms)} ms (${l.samples} samples${timeouts})`;
}

function latencyCheck(figure: string, l: LatencySummary): TargetCheck {
  return {
    figure: `${figure} p50 / p95 / p99`,
    value: latencyText(l),
    target: `p99 < ${TARGETS.p99Ms} ms`,
    pass: l.p99Ms !== null && l.p99Ms < TARGETS.p99Ms && l.timeouts === 0,
  };
}

function rolloutChecks(r: BenchResult): TargetCheck[] {
  if (!r.rollouts) return [];
  const seconds = (v: number | null): string => (v === null ? 'did not finish' : `${v} s`);
  const waves = (r.rollouts.progressiveStrategy.waves ?? [])
    .map((w) => `${w.percent ?? w.nodeUnits?.join('+')}`)
    .join('/');
  const limit = String(r.rollouts.progressiveStrategy.maxUnavailableNodeUnits ?? 1);
  return [
    { figure: 'fleet-wide image change, All', value: seconds(r.rollouts.allSeconds), target: '', pass: null },
    {
      figure: `fleet-wide image change, Progressive (waves ${waves} %, ${limit} at a time)`,
      value: seconds(r.rollouts.progressiveSeconds),
      target: '',
      pass: null,
    },
  ];
}

export function evaluateTargets(r: BenchResult): TargetCheck[] {
  const { cost } = r;
  const rssNote = r.memberObjects === TARGETS.rssReferenceObjects ? '' : ` (${r.memberObjects} here)`;
  return [
    { figure: 'fan-out through the hub', value: endsText(r.fanout, r.milestones.hub), target: '', pass: null },
    {
      figure: 'floor: direct apply, pooled connections',
      value: endsText(r.floors.pooled, r.milestones.floors.pooled),
      target: '',
      pass: null,
    },
    {
      figure: 'floor: direct apply, a connection per request',
      value: endsText(r.floors.perRequest, r.milestones.floors.perRequest),
      target: '',
      pass: null,
    },
    ...ratioChecks(r),
    latencyCheck('propagation', r.propagation),
    ...rolloutChecks(r),
    latencyCheck('drift correction', r.drift),
    latencyCheck('status', r.status),
    {
      figure: 'API requests per member object (fan-out)',
      value: cost.requestsPerMemberObject === null ? 'n/a' : cost.requestsPerMemberObject.toFixed(2),
      target: `<= ${TARGETS.requestsPerMemberObject}`,
      pass: cost.requestsPerMemberObject !== null && cost.requestsPerMemberObject <= TARGETS.requestsPerMemberObject,
    },
    {
      figure: 'hub CPU during fan-out',
      value: `${cost.hubCpuSecondsDuringFanout} s`,
      target: '',
      pass: null,
    },
    ...syncsCheck(cost),
    {
      figure: 'grid status writes per grid (fan-out until settled)',
      value: cost.statusWritesPerGrid === null ? 'n/a' : cost.statusWritesPerGrid.toFixed(2),
      target: '',
      pass: null,
    },
    {
      figure: `writes while idle (${cost.idleSeconds} s)`,
      value: String(cost.idleWrites),
      target: String(TARGETS.idleWrites),
      pass: cost.idleWrites === TARGETS.idleWrites,
    },
    {
      figure: `the replica's Lease renewals while idle (${cost.idleSeconds} s; heartbeats, not counted above)`,
      value: String(cost.idleLeaseRenewals),
      target: '',
      pass: null,
    },
    {
      figure: 'hub resident memory',
      value: mib(cost.hubRssBytes),
      target: `<= ${mib(TARGETS.hubRssBytes)} at ${TARGETS.rssReferenceObjects.toLocaleString('en')} objects${rssNote}`,
      pass: cost.hubRssBytes !== null && cost.hubRssBytes <= TARGETS.hubRssBytes,
    },
    {
      figure: 'of which JS heap used / external',
      value: `${mib(cost.hubHeapUsedBytes)} / ${mib(cost.hubExternalBytes)}`,
      target: '',
      pass: null,
    },
    { figure: 'Redis used_memory', value: mib(cost.redisUsedMemoryBytes), target: '', pass: null },
    runTimeCheck(r),
  ];
}

const verdict = (pass: boolean | null): string => (pass === null ? '' : pass ? 'ok' : 'MISSED');

/** A markdown table, its columns padded so it reads as well in a terminal. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderSummary(r: BenchResult, checks: readonly TargetCheck[] = evaluateTargets(r)): string {
  const c = r.config;
  const missed = checks.filter((k) => k.pass === false).length;
  const lines = [
    '# gridfed benchmark',
    '',
    `${r.startedAt}: ${c.grids} DeploymentGrids x 6 NodeUnits = ${r.memberObjects} member Deployments in 3 members; ` +
      `concurrency ${c.concurrency}; ${c.edits} samples per latency; ${r.machine.cpus} CPUs ` +
      `(load ${r.machine.loadAverage1m} at the start), Node.js ${r.machine.node}.`,
    '',
    renderTable(
      ['figure', 'value', 'target', ''],
      checks.map((k) => [k.figure, k.value, k.target, verdict(k.pass)]),
    ),
    '',
    missed === 0 ? 'Every target met.' : `${missed} target${missed === 1 ? '' : 's'} missed.`,
  ];
  if (r.notes.length > 0) lines.push('', 'Notes:', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

/** Older results lack the sync count: no row for them. */
function syncsCheck(cost: CostFigures): TargetCheck[] {
  const perPair = cost.memberSyncsPerGridAndMember;
  if (perPair === undefined || perPair === null) return [];
  const value = `${perPair.toFixed(2)} (${cost.memberSyncsDuringFanout ?? 0} syncs)`;
  return [{ figure: 'member syncs per grid and member (fan-out)', value, target: '', pass: null }];
}
