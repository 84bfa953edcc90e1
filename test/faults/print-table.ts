// Prints the fault table that the fault suite wrote (make faults): fault, what was checked,
// the result, the hub's member writes and the time to converge.
import { existsSync, readFileSync } from 'node:fs';
import Table from 'cli-table3';
import { faultTable, type FaultRow } from './fault-record.js';

const file = faultTable();
if (!existsSync(file)) {
  process.stderr.write(`no fault table at ${file}: did the fault suite run?\n`);
  process.exit(1);
}
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as FaultRow);
const table = new Table({ head: ['fault', 'checked', 'result', 'writes', 'converged in'] });
for (const r of rows)
  table.push([r.fault, r.checked, r.result, r.writes === null ? 'n/a' : String(r.writes), `${r.convergeSeconds} s`]);
process.stdout.write(`${table.toString()}\n`);
process.exit(rows.every((r) => r.result === 'ok') ? 0 : 1);
