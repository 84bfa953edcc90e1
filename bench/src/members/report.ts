// `make bench-members` results: the per-size rows, the marginal cost per member (least
// squares slope over the sizes), a markdown table and an SVG chart. Pure.
import type { PropagationSummary } from './propagation.js';

export interface MembersRow {
  members: number;
  grids: number;
  memberObjects: number;
  /** From the first grid create until every member holds every grid's Deployment. */
  fanoutSeconds: number;
  fanoutRequestsPerMemberObject: number;
  hubCpuSecondsDuringFanout: number;
  /** After the idle window. */
  hubRssMiB: number;
  hubHeapUsedMiB: number | null;
  hubCpuSecondsIdle: number;
  connectionsToMembers: number;
  connectionsToControl: number;
  /** Watches the hub holds open on the members, by the members' own apiserver_longrunning_requests. */
  watchesOnMembers: number;
  idleRequestsPerSecond: number;
  idleRequestsPerSecondPerMember: number;
  idleWrites: number;
  /** Light members' processes, for scale: one apiserver each and the etcd they share. */
  memberApiserverRssMiB: number;
  sharedEtcdRssMiB: number;
}

export interface MembersResult {
  startedAt: string;
  finishedAt: string;
  config: { counts: number[]; grids: number; idleSeconds: number };
  machine: { cpus: number; loadAverage1m: number };
  rows: MembersRow[];
  /** At the largest size; null when BENCH_MEMBERS_EDITS=0 or that size was not reached. */
  propagation: PropagationSummary | null;
  perMember: {
    hubRssMiB: number | null;
    idleRequestsPerSecond: number | null;
    connections: number | null;
    watches: number | null;
  };
  notes: string[];
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Least-squares slope of y over x; null with fewer than two distinct x. */
export function slope(points: readonly [number, number][]): number | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  if (sxx === 0) return null;
  return round(points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx, 3);
}

export function perMemberCost(rows: readonly MembersRow[]): MembersResult['perMember'] {
  const of = (pick: (r: MembersRow) => number): number | null => slope(rows.map((r) => [r.members, pick(r)]));
  return {
    hubRssMiB: of((r) => r.hubRssMiB),
    idleRequestsPerSecond: of((r) => r.idleRequestsPerSecond),
    connections: of((r) => r.connectionsToMembers),
    watches: of((r) => r.watchesOnMembers),
  };
}

const COLUMNS: [string, (r: MembersRow) => string | number | null][] = [
  ['members', (r) => r.members],
  ['member objects', (r) => r.memberObjects],
  ['fan-out s', (r) => r.fanoutSeconds],
  ['requests / object', (r) => r.fanoutRequestsPerMemberObject],
  ['hub CPU s (fan-out)', (r) => r.hubCpuSecondsDuringFanout],
  ['hub RSS MiB', (r) => r.hubRssMiB],
  ['heap used MiB', (r) => r.hubHeapUsedMiB],
  ['hub CPU s (idle)', (r) => r.hubCpuSecondsIdle],
  ['TCP to members', (r) => r.connectionsToMembers],
  ['TCP to control', (r) => r.connectionsToControl],
  ['watches on members', (r) => r.watchesOnMembers],
  ['idle req/s', (r) => r.idleRequestsPerSecond],
  ['idle req/s per member', (r) => r.idleRequestsPerSecondPerMember],
  ['idle writes', (r) => r.idleWrites],
];

export function renderMembersMarkdown(result: MembersResult): string {
  const header = `| ${COLUMNS.map(([h]) => h).join(' | ')} |`;
  const rule = `|${COLUMNS.map(() => '---:').join('|')}|`;
  const rows = result.rows.map((r) => `| ${COLUMNS.map(([, f]) => f(r) ?? '–').join(' | ')} |`);
  const pm = result.perMember;
  const last = result.rows.at(-1);
  return [
    '# gridfed: hub cost per member (`make bench-members`)',
    '',
    `Run ${result.startedAt} – ${result.finishedAt}; ${result.machine.cpus} CPUs, load average ${result.machine.loadAverage1m} at start.`,
    `${result.config.grids} DeploymentGrids at every size (one Deployment per member each), idle window ${result.config.idleSeconds} s.`,
    'Members are light local clusters: one kube-apiserver each (TLS, own CA, own tokens) on one shared etcd,',
    'each under its own --etcd-prefix; their token controller is stopped once the member is registered. The hub',
    'is started fresh at every size, with the shipped defaults (probes every 5 s).',
    '',
    header,
    rule,
    ...rows,
    '',
    '**Per member** (least-squares slope over the sizes): ' +
      `hub RSS ${pm.hubRssMiB ?? '–'} MiB, idle requests ${pm.idleRequestsPerSecond ?? '–'} /s, ` +
      `TCP connections ${pm.connections ?? '–'}, watches ${pm.watches ?? '–'}.`,
    '',
    last
      ? `A light member costs ${last.memberApiserverRssMiB} MiB (its apiserver's RSS, mean at ${last.members} members) ` +
        `plus its share of the shared etcd (${last.sharedEtcdRssMiB} MiB in all at ${last.members} members).`
      : '',
    '',
    ...propagationLines(result.propagation),
    '![hub RSS and idle requests per member vs members](members-latest.svg)',
    '',
    ...(result.notes.length > 0 ? ['Notes:', ...result.notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
}

function propagationLines(p: PropagationSummary | null): string[] {
  if (!p) return [];
  return [
    `**Propagation at ${p.members} members** (a grid's image edited until the last member's Deployment carries it, ` +
      `${p.samples} samples, ${p.timeouts} timeouts): p50 ${p.p50Ms} ms, p90 ${p.p90Ms} ms, p99 ${p.p99Ms} ms, max ${p.maxMs} ms. ` +
      "Karmada's published figures are for 100 clusters (p50/p90/p99 706/899/1298 ms) on real clusters; here the members " +
      'are light local apiservers on one 2-core machine, sharing it with the hub, and the Deployments are not scheduled.',
    '',
  ];
}

interface Series {
  title: string;
  unit: string;
  points: [number, number][];
}

/** One line chart in a box at (x0, 0) of `w`×`h`, axes from 0 to the largest value. */
function chart(series: Series, x0: number, w: number, h: number): string {
  const pad = { l: 50, r: 15, t: 30, b: 40 };
  const maxX = Math.max(1, ...series.points.map(([x]) => x));
  const maxY = Math.max(1e-9, ...series.points.map(([, y]) => y)) * 1.1;
  const px = (x: number): number => round(x0 + pad.l + (x / maxX) * (w - pad.l - pad.r), 1);
  const py = (y: number): number => round(h - pad.b - (y / maxY) * (h - pad.t - pad.b), 1);
  const path = series.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x)},${py(y)}`).join(' ');
  const dots = series.points
    .map(
      ([x, y]) =>
        `<circle cx="${px(x)}" cy="${py(y)}" r="3"/><text x="${px(x)}" y="${py(y) - 8}" text-anchor="middle">${round(y, 2)}</text>`,
    )
    .join('');
  const ticks = series.points
    .map(([x]) => `<text x="${px(x)}" y="${h - pad.b + 15}" text-anchor="middle">${x}</text>`)
    .join('');
  return [
    `<text x="${x0 + w / 2}" y="18" text-anchor="middle" font-weight="bold">${series.title} (${series.unit})</text>`,
    `<line x1="${px(0)}" y1="${py(0)}" x2="${px(maxX)}" y2="${py(0)}" stroke="#000"/>`,
    `<line x1="${px(0)}" y1="${py(0)}" x2="${px(0)}" y2="${pad.t}" stroke="#000"/>`,
    `<text x="${x0 + w / 2}" y="${h - 8}" text-anchor="middle">members</text>`,
    `<path d="${path}" fill="none" stroke="#2060c0" stroke-width="2"/>`,
    `<g fill="#2060c0">${dots}</g>`,
    ticks,
  ].join('\n');
}

export function renderMembersSvg(rows: readonly MembersRow[]): string {
  const w = 420;
  const h = 260;
  const rss: Series = {
    title: 'hub RSS',
    unit: 'MiB',
    points: rows.map((r) => [r.members, r.hubRssMiB]),
  };
  const idle: Series = {
    title: 'idle requests per member',
    unit: 'req/s',
    points: rows.map((r) => [r.members, r.idleRequestsPerSecondPerMember]),
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * w}" height="${h}" font-family="sans-serif" font-size="11">`,
    `<rect width="${2 * w}" height="${h}" fill="#fff"/>`,
    chart(rss, 0, w, h),
    chart(idle, w, w, h),
    '</svg>',
    '',
  ].join('\n');
}
