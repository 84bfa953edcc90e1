// The hub as a real process (the compiled dist/apps/hub), so tests can SIGKILL it
// mid-rollout and start it again, exactly as an outage would.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, waitHealthy } from '../local-cluster/src/net.js';

/**
 * The Node flags the hub ships with (Dockerfile, demo), for a small resident set (README,
 * "Benchmark"): a small young generation, and a major GC before the old generation grows
 * past 1.3 times what the last one left live. V8's own factor goes up to 4 where Node
 * sizes the heap from a big machine's memory: at 1,200 objects garbage grew the hub past
 * 300 MiB. `--optimize-for-size` bounds the growth too but cost a third more CPU in a
 * fan-out. No `--enable-source-maps`: it parses and keeps every loaded library's source
 * map (client-node's are megabytes); set it in NODE_OPTIONS when a stack trace should
 * name TypeScript lines.
 */
export const HUB_NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=30'];

/**
 * The environment the hub ships with (Dockerfile, demo): two glibc malloc arenas, not
 * one per thread, so memory freed by V8's and libuv's worker threads is reused
 * instead of staying resident in per-thread arenas.
 */
export const HUB_ENV = { MALLOC_ARENA_MAX: '2' };

export interface HubOptions {
  kubeconfig: string;
  redisUrl: string;
  logFile: string;
  env?: Record<string, string>;
  /**
   * HUB_REPLICA_ID. Fixed, so a hub restarted after a SIGKILL is the same replica and keeps
   * its members at once (a new name would wait a lease duration for the old one's to lapse).
   */
  replicaId?: string;
  /** Node flags beside HUB_NODE_FLAGS (the benchmark's CPU profile). */
  nodeFlags?: string[];
}

export class HubProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  port = 0;

  constructor(private readonly opts: HubOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const log = openSync(this.opts.logFile, 'a');
    const child = spawn(
      process.execPath,
      [...HUB_NODE_FLAGS, ...(this.opts.nodeFlags ?? []), resolve('dist/apps/hub/src/main.js')],
      {
        stdio: ['ignore', log, log],
        env: {
          ...process.env,
          KUBECONFIG: this.opts.kubeconfig,
          REDIS_URL: this.opts.redisUrl,
          HTTP_PORT: String(this.port),
          HTTP_HOST: '127.0.0.1',
          PROBE_INTERVAL_SECONDS: '1',
          RESYNC_INTERVAL_SECONDS: '300',
          LOG_LEVEL: 'info',
          HUB_REPLICA_ID: this.opts.replicaId ?? 'local-hub',
          // Bound to loopback, the suites read /api and /metrics without a token, as the demo
          // does; test/hub/access.e2e.ts starts its hub with HTTP_AUTH=kubernetes.
          HTTP_AUTH: 'none',
          ...HUB_ENV,
          ...this.opts.env,
        },
      },
    );
    closeSync(log);
    this.child = child;
    this.exited = new Promise((r) => child.once('exit', () => r()));
    await waitHealthy('hub', { url: `${this.url}/readyz` }, 60_000, () => child.exitCode !== null);
  }

  get pid(): number | undefined {
    const child = this.child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  /** SIGKILL: no shutdown hooks, in-flight jobs abandoned in Redis. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: graceful shutdown. */
  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 30_000))]);
    if (this.child.exitCode === null) await this.kill();
  }
}
