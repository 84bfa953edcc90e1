// Writes a run's results: <timestamp>.json, latest.json and latest.md under bench/results.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './report.js';

/** An ISO timestamp that is also a portable file name (no colons). */
export function resultFileName(startedAt: string): string {
  return `${startedAt.replace(/:/g, '-')}.json`;
}

export function writeResults(dir: string, result: BenchResult, summary: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const files = [join(dir, resultFileName(result.startedAt)), join(dir, 'latest.json'), join(dir, 'latest.md')];
  writeFileSync(files[0]!, json);
  writeFileSync(files[1]!, json);
  writeFileSync(files[2]!, summary);
  return files;
}
