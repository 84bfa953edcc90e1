// The fan-out's time window on the monotonic clock, so the hub's CPU profile (whose sample
// times are on the same clock: V8's TimeTicks and process.hrtime both read
// CLOCK_MONOTONIC) can be cut down to the fan-out alone (BENCH_HUB_PROFILE=1).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HUB_PROFILE_WINDOW_FILE = 'fanout-window.json';

/** Where BENCH_HUB_PROFILE=1 has the hub write its .cpuprofile, and the bench its windows. */
export const hubProfileDir = (root: string): string => join(root, 'hub-profile');

export const hubProfiling = (env: Record<string, string | undefined>): boolean => env['BENCH_HUB_PROFILE'] === '1';

/** Microseconds on the monotonic clock, the unit of a .cpuprofile's startTime and endTime. */
export interface FanoutWindow {
  startUs: number;
  appliedUs: number;
  readyUs: number | null;
}

/** Maps performance.now() readings of this process onto the monotonic clock in microseconds. */
export function monotonicMapper(): (performanceMs: number) => number {
  const monotonicUs = Number(process.hrtime.bigint() / 1000n);
  const performanceMs = performance.now();
  return (ms) => Math.round(monotonicUs + (ms - performanceMs) * 1000);
}

export function writeFanoutWindow(root: string, window: FanoutWindow): void {
  const dir = hubProfileDir(root);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, HUB_PROFILE_WINDOW_FILE), `${JSON.stringify(window, null, 2)}\n`);
}
