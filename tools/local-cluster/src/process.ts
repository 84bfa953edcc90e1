// One control-plane component as an OS process: spawned in its own process group
// with its output in a log file and its pid in a file, so that a later command
// (`make clusters-down`, or the next test run after a crash) can still stop it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessSpec {
  name: string;
  binary: string;
  args: string[];
  env?: Record<string, string>;
  /** Folder holding `<name>.log` and `<name>.pid`. */
  dir: string;
}

export class ComponentProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(readonly spec: ProcessSpec) {}

  get pidFile(): string {
    return join(this.spec.dir, `${this.spec.name}.pid`);
  }

  get logFile(): string {
    return join(this.spec.dir, `${this.spec.name}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid ?? readPid(this.pidFile);
  }

  /** Starts the process detached, so it outlives this Node process when asked to (`make clusters`). */
  start(): void {
    const log = openSync(this.logFile, 'a');
    const child = spawn(this.spec.binary, this.spec.args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...this.spec.env },
    });
    closeSync(log);
    if (child.pid === undefined) throw new Error(`${this.spec.name}: could not start ${this.spec.binary}`);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    writeFileSync(this.pidFile, `${child.pid}\n`);
  }

  /** Lets this Node process exit while the component keeps running. */
  detach(): void {
    this.child?.unref();
  }

  isRunning(): boolean {
    if (this.child) return this.child.exitCode === null && this.child.signalCode === null;
    const pid = readPid(this.pidFile);
    return pid !== undefined && isAlive(pid);
  }

  /** Asks politely (SIGTERM), then insists (SIGKILL) after `graceMs`. Waits until the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    await this.signalAndWait('SIGTERM', graceMs);
    if (this.isRunning()) await this.signalAndWait('SIGKILL', 5000);
    rmSync(this.pidFile, { force: true });
  }

  /** SIGKILL, as an outage would: no chance to clean up. */
  async kill(): Promise<void> {
    await this.signalAndWait('SIGKILL', 5000);
    rmSync(this.pidFile, { force: true });
  }

  private async signalAndWait(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const pid = this.pid;
    if (pid === undefined || !this.isRunning()) return;
    signalGroup(pid, signal);
    if (this.child) {
      await Promise.race([this.exited, delay(timeoutMs)]);
      return;
    }
    const deadline = Date.now() + timeoutMs;
    while (isAlive(pid) && Date.now() < deadline) await delay(50);
  }
}

/** Stops a component known only by its pid file (left by an earlier, maybe crashed, run). */
export async function stopByPidFile(pidFile: string): Promise<void> {
  const pid = readPid(pidFile);
  if (pid !== undefined && isAlive(pid)) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < deadline) await delay(50);
    if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await delay(50);
  }
  rmSync(pidFile, { force: true });
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Signals the whole process group: the component and anything it started. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
