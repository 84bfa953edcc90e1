// Small network helpers for local clusters: free ports and readiness probes.
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { delay } from './process.js';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Probe {
  url: string;
  ca?: string;
  token?: string;
}

/** GETs `url` once; resolves with the status code, or 0 when nothing answered. */
export function probeOnce(probe: Probe, timeoutMs = 2000): Promise<number> {
  const url = new URL(probe.url);
  const send = url.protocol === 'https:' ? request : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: 'GET',
        timeout: timeoutMs,
        ca: probe.ca,
        headers: probe.token ? { Authorization: `Bearer ${probe.token}` } : {},
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Polls until `probe` answers 200, or fails after `timeoutMs` naming what it waited for. */
export async function waitHealthy(
  what: string,
  probe: Probe,
  timeoutMs: number,
  isDead?: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = await probeOnce(probe);
    if (last === 200) return;
    if (isDead?.()) throw new Error(`${what} exited before it became ready`);
    await delay(200);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms (last status ${last || 'no answer'} from ${probe.url})`);
}
