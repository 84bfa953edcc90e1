// Summarises the hub's CPU profile of a `BENCH_HUB_PROFILE=1 make bench` run over the
// fan-out (from the first grid created until every member Deployment is ready), as
// markdown tables on stdout:
//   npx tsx bench/src/profile/main.ts [.gridfed/bench/hub-profile] [applied|ready]
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { top, windowTimes, type CpuProfile, type Times, type WindowTimes } from './cpu-profile.js';
import { HUB_PROFILE_WINDOW_FILE, type FanoutWindow } from './window.js';

const ROWS = 25;

function readProfile(dir: string): { profile: CpuProfile; file: string } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`${dir}: expected one .cpuprofile, found ${files.length}`);
  const file = join(dir, files[0]!);
  return { profile: JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file };
}

const ms = (us: number): string => (us / 1000).toFixed(0);
const pct = (us: number, of: number): string => (of > 0 ? ((100 * us) / of).toFixed(1) : '0');

function table(title: string, times: Times, busyUs: number, rows: number): string {
  const lines = top(times, rows).map(
    ([key, us]) => `| ${key.replaceAll('|', '\\|')} | ${ms(us)} | ${pct(us, busyUs)} |`,
  );
  return [`### ${title}`, '', '| | ms | % of busy |', '|---|---:|---:|', ...lines, ''].join('\n');
}

function summary(t: WindowTimes, window: FanoutWindow, end: 'applied' | 'ready', file: string): string {
  const seconds = (t.totalUs / 1e6).toFixed(2);
  const cores = t.totalUs > 0 ? (t.busyUs / t.totalUs).toFixed(2) : '0';
  return [
    `Profile ${file}, window: first grid created until every member Deployment ${end === 'ready' ? 'is ready' : 'is applied'} ` +
      `(${seconds} s sampled; the hub's main thread busy ${ms(t.busyUs)} ms, ${cores} of a core).`,
    `Window on the monotonic clock: ${JSON.stringify(window)}.`,
    '',
    table('Busy time by activity (the first rule any frame of the stack matches)', t.byActivity, t.busyUs, ROWS),
    table('Self time by group', t.selfByGroup, t.busyUs, ROWS),
    table('Inclusive time by group (a group anywhere on the stack)', t.inclusiveByGroup, t.busyUs, ROWS),
    table('Self time by function', t.selfByFunction, t.busyUs, ROWS),
    table('Inclusive time by function', t.inclusiveByFunction, t.busyUs, 40),
  ].join('\n');
}

function main(): void {
  const dir = resolve(process.argv[2] ?? '.gridfed/bench/hub-profile');
  const end = process.argv[3] === 'applied' ? 'applied' : 'ready';
  const window = JSON.parse(readFileSync(join(dir, HUB_PROFILE_WINDOW_FILE), 'utf8')) as FanoutWindow;
  const { profile, file } = readProfile(dir);
  const to = end === 'applied' ? window.appliedUs : (window.readyUs ?? window.appliedUs);
  process.stdout.write(`${summary(windowTimes(profile, window.startUs, to), window, end, file)}\n`);
}

main();
