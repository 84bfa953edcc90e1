// The fault suite's table: each fault test appends one row (what was checked, the result,
// the hub's member writes, the time to converge) to faults.jsonl in the test fleet's
// folder; `make faults` prints the table once the suite has run.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';

export interface FaultRow {
  fault: string;
  checked: string;
  result: 'ok' | 'FAILED';
  /** Member objects the hub applied from the fault until convergence; null where restarts reset the count. */
  writes: number | null;
  convergeSeconds: number;
}

export const faultTable = (): string => join(testFleetRoot(), 'faults.jsonl');

export function recordFault(row: FaultRow): void {
  appendFileSync(faultTable(), `${JSON.stringify(row)}\n`);
}

/** How long a fault lasts: FAULT_<NAME>_SECONDS (`make faults` sets the long ones), else the short default. */
export function faultSeconds(name: string, short: number): number {
  const raw = process.env[`FAULT_${name}_SECONDS`];
  const value = raw === undefined ? short : Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`FAULT_${name}_SECONDS="${raw}" must be a positive number`);
  return value;
}

/**
 * Runs a fault until convergence and records its row, failed or not. `applied` reads the
 * hub's count of applied member objects (its difference is the row's writes); without
 * it (restarts reset the count) the row has none.
 */
export async function timedFault(
  fault: string,
  checked: string,
  run: () => Promise<void>,
  applied?: () => Promise<number>,
): Promise<void> {
  const before = applied ? await applied() : undefined;
  const started = performance.now();
  let result: FaultRow['result'] = 'FAILED';
  try {
    await run();
    result = 'ok';
  } finally {
    const after = applied && before !== undefined ? await applied().catch(() => before) : undefined;
    const writes = after !== undefined && before !== undefined ? after - before : null;
    recordFault({
      fault,
      checked,
      result,
      writes,
      convergeSeconds: Math.round((performance.now() - started) / 100) / 10,
    });
  }
}
