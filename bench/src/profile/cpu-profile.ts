// Reads a V8 CPU profile (.cpuprofile, as `node --cpu-prof` writes it): the time spent in
// each function, on its own (self) and with what it called (inclusive), within a window
// of the monotonic clock, and the same grouped by where the code comes from.
import { activityOf } from './activities.js';

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The fields of Chrome's Profile type that this reads. Times in microseconds. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  /** The leaf node of each sample. */
  samples: number[];
  /** Microseconds from the previous sample (from startTime for the first). */
  timeDeltas: number[];
}

/** Microseconds per key. */
export type Times = Map<string, number>;

export interface WindowTimes {
  /** Sampled microseconds in the window, idle included (only here: the other figures are busy time). */
  totalUs: number;
  /** The same without `(idle)`: the CPU the process used. */
  busyUs: number;
  selfByFunction: Times;
  inclusiveByFunction: Times;
  selfByGroup: Times;
  inclusiveByGroup: Times;
  /** Busy time by what the hub was doing (activities.ts). */
  byActivity: Times;
}

/** A function's key: its name, and file and line when it has them. */
export function functionKey({ functionName, url, lineNumber }: CallFrame): string {
  const name = functionName || '(anonymous)';
  if (!url) return name;
  return `${name} ${shortUrl(url)}:${lineNumber + 1}`;
}

/** The part of a file URL worth reading: from node_modules/ or dist/ on. */
export function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

interface GroupRule {
  group: string;
  test: (frame: CallFrame) => boolean;
}

const inPackage =
  (...names: string[]) =>
  ({ url }: CallFrame): boolean =>
    names.some((n) => url.includes(`/node_modules/${n}/`));
const inNode =
  (...prefixes: string[]) =>
  ({ url }: CallFrame): boolean =>
    prefixes.some((p) => url.startsWith(p));

/** First match wins: the groups the summary adds up, by the code a frame belongs to. */
const GROUP_RULES: GroupRule[] = [
  { group: 'GC', test: (f) => f.functionName === '(garbage collector)' },
  { group: 'idle', test: (f) => f.functionName === '(idle)' },
  { group: 'V8/native, unattributed', test: (f) => f.functionName === '(program)' },
  {
    group: 'client-node ObjectSerializer',
    test: (f) => f.url.includes('/@kubernetes/client-node/') && f.url.endsWith('/ObjectSerializer.js'),
  },
  { group: 'client-node (other)', test: inPackage('@kubernetes/client-node') },
  { group: 'BullMQ', test: inPackage('bullmq') },
  { group: 'ioredis', test: inPackage('ioredis', '@ioredis', 'redis-parser', 'cluster-key-slot', 'denque') },
  { group: 'msgpack (BullMQ)', test: inPackage('msgpackr') },
  { group: 'NestJS/express/pino', test: inPackage('@nestjs', 'express', 'pino', 'nestjs-pino', 'pino-http') },
  { group: 'prom-client', test: inPackage('prom-client') },
  { group: 'safe-stable-stringify', test: inPackage('safe-stable-stringify') },
  { group: 'undici (client-node fetch)', test: inPackage('undici') },
  { group: 'other packages', test: (f) => f.url.includes('/node_modules/') },
  { group: 'TLS', test: inNode('node:_tls', 'node:tls', 'node:internal/tls') },
  { group: 'undici (fetch, HTTP)', test: inNode('node:internal/deps/undici') },
  { group: 'crypto', test: inNode('node:crypto', 'node:internal/crypto') },
  {
    group: 'net/streams/timers',
    test: inNode(
      'node:net',
      'node:internal/stream',
      'node:stream',
      'node:internal/timers',
      'node:timers',
      'node:events',
      'node:internal/streams',
      'node:internal/webstreams',
    ),
  },
  { group: 'node (other)', test: inNode('node:') },
  { group: 'gridfed libs', test: (f) => f.url.includes('/dist/libs/') },
  { group: 'gridfed hub app', test: (f) => f.url.includes('/dist/apps/') },
  { group: 'JSON.parse/stringify', test: (f) => f.url === '' && ['parse', 'stringify'].includes(f.functionName) },
  { group: 'native and builtins (microtasks, socket writes)', test: (f) => f.url === '' },
];

/** The group a frame's code belongs to. gridfed's libs are told apart: `gridfed libs (kube)`. */
export function groupOf(frame: CallFrame): string {
  const group = GROUP_RULES.find((r) => r.test(frame))?.group ?? 'other';
  if (group !== 'gridfed libs') return group;
  const lib = /\/dist\/libs\/([^/]+)\//.exec(frame.url)?.[1];
  return lib ? `gridfed libs (${lib})` : group;
}

/**
 * Each sample's time (the gap until the next sample, as DevTools counts it) and its leaf,
 * for the samples taken within [fromUs, toUs].
 */
export function windowSamples(profile: CpuProfile, fromUs: number, toUs: number): { node: number; us: number }[] {
  const out: { node: number; us: number }[] = [];
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (at >= fromUs && at <= toUs) out.push({ node: profile.samples[i]!, us: Math.max(0, next) });
  }
  return out;
}

/** Self and inclusive time by function and by group within [fromUs, toUs]. */
export function windowTimes(profile: CpuProfile, fromUs: number, toUs: number): WindowTimes {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const times: WindowTimes = {
    totalUs: 0,
    busyUs: 0,
    selfByFunction: new Map(),
    inclusiveByFunction: new Map(),
    selfByGroup: new Map(),
    inclusiveByGroup: new Map(),
    byActivity: new Map(),
  };
  for (const { node, us } of windowSamples(profile, fromUs, toUs)) {
    const leaf = byId.get(node);
    if (!leaf) continue;
    times.totalUs += us;
    // Idle is no work: only the total counts it.
    if (leaf.callFrame.functionName === '(idle)') continue;
    times.busyUs += us;
    add(times.selfByFunction, functionKey(leaf.callFrame), us);
    add(times.selfByGroup, groupOf(leaf.callFrame), us);
    const stack: CallFrame[] = [];
    for (let id: number | undefined = node; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName !== '(root)') stack.push(frame);
    }
    add(times.byActivity, activityOf(stack), us);
    // A recursive function, or a group entered twice on one stack, counts once per sample.
    for (const f of new Set(stack.map(functionKey))) add(times.inclusiveByFunction, f, us);
    for (const g of new Set(stack.map(groupOf))) add(times.inclusiveByGroup, g, us);
  }
  return times;
}

function add(times: Times, key: string, us: number): void {
  times.set(key, (times.get(key) ?? 0) + us);
}

/** The `n` largest entries, largest first. */
export function top(times: Times, n: number): [string, number][] {
  return [...times].sort((a, b) => b[1] - a[1]).slice(0, n);
}
