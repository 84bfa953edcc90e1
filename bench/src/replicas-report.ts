// The results of a run with several hub replicas: the fan-out beside the floor, each
// replica's members and memory, and the handover times.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchConfig } from './config.js';
import type { ReplicaFigures } from './phases/replicas.js';
import type { Throughput } from './report.js';
import { resultFileName } from './results.js';

export interface ReplicasResult {
  startedAt: string;
  finishedAt: string;
  config: BenchConfig;
  machine: { cpus: number; node: string; loadAverage1m: number };
  fanout: Throughput;
  floor: Throughput;
  hubToFloorRatio: number | null;
  replicas: ReplicaFigures;
  notes: string[];
}

const mib = (bytes: number | null): string => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MiB`);

export function renderReplicas(r: ReplicasResult): string {
  const f = r.replicas;
  const lines = [
    `# gridfed bench with ${f.replicas} hub replicas (${r.startedAt})`,
    '',
    `${r.config.grids} DeploymentGrids, ${r.fanout.objects} member Deployments over 3 members; ` +
      `${r.machine.cpus} CPUs, Node ${r.machine.node}, load average ${r.machine.loadAverage1m} at the start.`,
    '',
    '| figure | value |',
    '| --- | --- |',
    `| fan-out (first create until every member Deployment as desired) | ${r.fanout.seconds} s (${r.fanout.objectsPerSecond ?? 'n/a'} objects/s) |`,
    `| floor (the same objects applied straight to the members) | ${r.floor.seconds} s |`,
    `| hub / floor | ${r.hubToFloorRatio ?? 'n/a'} |`,
    ...Object.entries(f.owned).map(
      ([id, members]) =>
        `| ${id}: members owned, resident memory | ${members.join(', ') || 'none'}; ${mib(f.rssBytes[id] ?? null)} |`,
    ),
    `| handover after a SIGKILL of ${f.afterKill.replica} (${f.afterKill.members.join(', ')}) | ${f.afterKill.seconds} s (Lease duration 15 s) |`,
    `| ${f.comeback.replica} back: until it owns its members again | ${f.comeback.seconds} s |`,
    `| ${f.comeback.replica} back: member objects it applied (${f.comeback.syncs} syncs) | ${f.comeback.objectsApplied} |`,
    `| handover after a SIGTERM of ${f.afterStop.replica} (${f.afterStop.members.join(', ')}), shutdown included | ${f.afterStop.seconds} s |`,
    '',
    ...(r.notes.length > 0 ? ['Notes:', ...r.notes.map((n) => `- ${n}`), ''] : []),
  ];
  return `${lines.join('\n')}\n`;
}

export function writeReplicasResults(dir: string, result: ReplicasResult, summary: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const files = [
    join(dir, `replicas-${resultFileName(result.startedAt)}`),
    join(dir, 'replicas-latest.json'),
    join(dir, 'replicas-latest.md'),
  ];
  writeFileSync(files[0]!, json);
  writeFileSync(files[1]!, json);
  writeFileSync(files[2]!, summary);
  return files;
}
