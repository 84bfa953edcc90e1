// Shared by this library's specs only (excluded from the build): the seed's examples
// as grids, and a deep freeze that proves rendering never mutates its input.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const EXAMPLES = new URL('../../../deploy/examples/', import.meta.url);

export function example<G>(file: string): G {
  return parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as G;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
