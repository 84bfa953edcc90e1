// Polls an assertion until it passes: the e2e way to wait for a controller.
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await sleep(intervalMs);
    }
  }
}

/** eventually, with a failure that says what was awaited and for how long, then the last check's error. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  try {
    return await eventually(check, timeoutMs, intervalMs);
  } catch (err) {
    const last = err instanceof Error ? err.message : String(err);
    throw new Error(`${what}: not within ${timeoutMs / 1000} s; last check: ${last}`, { cause: err });
  }
}
