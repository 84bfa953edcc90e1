// `make bench-members`: its knobs, read from the environment. Pure.

export interface MembersBenchConfig {
  /** Fleet sizes to measure, ascending (BENCH_MEMBER_COUNTS, e.g. "1,5,10,20"). */
  counts: number[];
  /** DeploymentGrids at every size: each becomes one Deployment per member (BENCH_MEMBERS_GRIDS). */
  grids: number;
  /** Idle window at every size (BENCH_MEMBERS_IDLE_SECONDS). */
  idleSeconds: number;
  /** Deadline of the fan-out and of the cleanup at every size (BENCH_MEMBERS_TIMEOUT_SECONDS). */
  timeoutSeconds: number;
  /** Propagation samples at the largest size, 0 for none (BENCH_MEMBERS_EDITS). */
  edits: number;
}

export const MEMBERS_BENCH_DEFAULTS: MembersBenchConfig = {
  counts: [1, 5, 10, 20],
  grids: 20,
  idleSeconds: 60,
  timeoutSeconds: 180,
  edits: 30,
};

function wholeNumber(name: string, raw: string, min: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw new Error(`${name}="${raw}" must be a whole number of at least ${min}`);
  return Number(raw);
}

export function readMembersBenchConfig(env: Record<string, string | undefined>): MembersBenchConfig {
  const config = { ...MEMBERS_BENCH_DEFAULTS };
  const counts = env['BENCH_MEMBER_COUNTS']?.trim();
  if (counts) {
    const parsed = counts.split(',').map((c) => wholeNumber('BENCH_MEMBER_COUNTS', c.trim(), 1));
    config.counts = [...new Set(parsed)].sort((a, b) => a - b);
  }
  const numbers = [
    ['grids', 'BENCH_MEMBERS_GRIDS', 1],
    ['idleSeconds', 'BENCH_MEMBERS_IDLE_SECONDS', 1],
    ['timeoutSeconds', 'BENCH_MEMBERS_TIMEOUT_SECONDS', 1],
    ['edits', 'BENCH_MEMBERS_EDITS', 0],
  ] as const;
  for (const [key, name, min] of numbers) {
    const raw = env[name]?.trim();
    if (raw !== undefined && raw !== '') config[key] = wholeNumber(name, raw, min);
  }
  return config;
}
