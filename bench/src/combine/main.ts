// Last step of `make bench`: puts the members section into bench/results/latest.md
// (see latest-sections.ts). Refuses results that are not from one run.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { notOneRun, totalRunLine, withMembersSection, type RunTimes } from './latest-sections.js';

const RESULTS = resolve('bench/results');
const read = (name: string): string => readFileSync(resolve(RESULTS, name), 'utf8');
const times = (name: string): RunTimes => JSON.parse(read(name)) as RunTimes;

const main = times('latest.json');
const members = times('members-latest.json');
const problem = notOneRun(main, members);
if (problem) {
  process.stderr.write(`bench: not combining the results: ${problem}\n`);
  process.exit(1);
}
writeFileSync(
  resolve(RESULTS, 'latest.md'),
  withMembersSection(read('latest.md'), read('members-latest.md'), totalRunLine(main, members)),
);
process.stdout.write('bench: bench/results/latest.md now holds the cost per member of this run, with its chart\n');
