// A private redis-server for one test file, started and stopped with scripts/redis.sh,
// so a test may flush or restart it without touching the hub's shared Redis.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = resolve('scripts/redis.sh');

export interface RedisServer {
  url: string;
  port: number;
  /** Stops it and deletes its folder. */
  stop(): Promise<void>;
  /** An outage: stops the server but keeps its folder and port for `start()`. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>;
}

async function redisScript(...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [script, ...args], { encoding: 'utf8' });
  return stdout.trim().split('\n').pop() ?? '';
}

export async function startRedis(name = `redis-test-${process.pid}-${randomUUID().slice(0, 8)}`): Promise<RedisServer> {
  const dir = resolve('.gridfed', name);
  const url = await redisScript('up', dir);
  const port = Number(/^redis:\/\/127\.0\.0\.1:(\d+)$/.exec(url)?.[1]);
  if (!(port > 0)) throw new Error(`scripts/redis.sh up ${dir} printed "${url}", not redis://127.0.0.1:<port>`);
  let stopped = false;
  return {
    url,
    port,
    stop: async () => {
      stopped = true;
      await redisScript('down', dir);
      await rm(dir, { recursive: true, force: true });
    },
    kill: async () => {
      await redisScript('down', dir);
    },
    start: async () => {
      // A test that timed out may still get here after stop(): never leave a server behind.
      if (!stopped) await redisScript('up', dir, String(port));
    },
  };
}
