// The hub's OS process, found by parentage: its pid goes into the bench folder so a
// later run can stop a hub that an interrupted run left behind, and its VmRSS is a
// second reading of the hub's memory next to the one it reports itself.
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const HUB_ENTRY = 'dist/apps/hub/src/main.js';

function readProc(pid: number | string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function parentOf(pid: string): number | undefined {
  const stat = readProc(pid, 'stat');
  if (!stat) return undefined;
  // "pid (comm) state ppid ...": comm may hold spaces, so count from its closing parenthesis.
  const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  return ppid === undefined ? undefined : Number(ppid);
}

/** True while `pid` is alive and runs the compiled hub. */
export function isHubProcess(pid: number): boolean {
  return (readProc(pid, 'cmdline') ?? '').includes(HUB_ENTRY);
}

/** A hub started by this process (HubProcess spawns it as a direct child); `pid` when it names one. */
export function childHubPid(parent = process.pid, pid?: number): number | undefined {
  if (pid !== undefined && isHubProcess(pid) && parentOf(String(pid)) === parent) return pid;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || parentOf(entry) !== parent) continue;
    if (isHubProcess(Number(entry))) return Number(entry);
  }
  return undefined;
}

/** Resident memory of `pid` in bytes (VmRSS), if it is still running. */
export function residentBytes(pid: number): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readProc(pid, 'status') ?? '');
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Stops the hubs whose pids an earlier run wrote to `pidFile` (one per line), if those pids still are hubs. */
export async function stopLeftoverHub(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  for (const line of readFileSync(pidFile, 'utf8').split('\n')) {
    const pid = Number.parseInt(line, 10);
    if (!Number.isInteger(pid) || pid <= 0 || !isHubProcess(pid)) continue;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && isHubProcess(pid); i++) await sleep(100);
    if (isHubProcess(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
}
