// Shared by this library's specs only (excluded from the build): the example SiteConfigs,
// and a deep freeze that proves rendering never mutates its input.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { SiteConfig } from './types.js';

const EXAMPLES = new URL('../../../deploy/examples/site-config/', import.meta.url);

export function siteConfigExample(file: string): SiteConfig {
  return parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as SiteConfig;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
