// What one member cluster costs on this machine, light or full: starts N of them, lets them
// idle, and prints each process's RSS and CPU over the idle window. Run under the shared lock:
//   flock /tmp/gridfed-e2e.lock npx tsx bench/src/members/light-cost.ts 5 light
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lightMemberSpecs } from '../../../tools/local-cluster/src/fleet.js';
import { ClusterHarness } from '../../../tools/local-cluster/src/harness.js';
import { residentBytes } from '../hub-process-info.js';

const SETTLE_MS = 30_000;
const IDLE_MS = 30_000;

/** User plus system CPU seconds of `pid` (/proc/<pid>/stat fields 14 and 15, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const comm = (pid: number): string => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

async function main(count: number, profile: 'light' | 'full'): Promise<void> {
  const root = resolve('.gridfed/light-cost');
  rmSync(root, { recursive: true, force: true });
  const harness = new ClusterHarness(root);
  try {
    const started = performance.now();
    const specs = lightMemberSpecs(count);
    const clusters = profile === 'light' ? await harness.startLightClusters(specs) : await harness.startClusters(specs);
    process.stdout.write(
      `${count} ${profile} cluster(s) ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    await sleep(SETTLE_MS);
    const pids = clusters.flatMap((c) => c.pids());
    if (profile === 'light') pids.push((await harness.etcd()).pid!);
    const before = pids.map(cpuSeconds);
    await sleep(IDLE_MS);
    const rows = pids.map((pid, i) => ({
      process: comm(pid),
      rssMiB: Math.round((residentBytes(pid) ?? 0) / 2 ** 20),
      idleCpuPercent: Math.round(((cpuSeconds(pid) - before[i]!) / (IDLE_MS / 1000)) * 1000) / 10,
    }));
    console.table(rows);
    const total = rows.reduce((s, r) => s + r.rssMiB, 0);
    process.stdout.write(`total ${total} MiB, ${Math.round(total / count)} MiB per cluster\n`);
  } finally {
    await harness.teardown();
  }
}

const [countArg = '2', profileArg = 'light'] = process.argv.slice(2);
if (!/^\d+$/.test(countArg) || (profileArg !== 'light' && profileArg !== 'full')) {
  process.stderr.write('usage: light-cost.ts <count> light|full\n');
  process.exit(2);
}
main(Number(countArg), profileArg).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
