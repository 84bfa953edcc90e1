// What validation hands back: every problem, each on the field it concerns.
import type { AnyGrid } from '../types.js';

/** One problem with a grid manifest. `path` is the field, e.g. `spec.templates.zone1`. */
export interface GridFieldError {
  path: string;
  /** Reads on from the path: `names "canary", which is not in templatePool`. */
  message: string;
}

export type GridValidation = { ok: true; grid: AnyGrid } | { ok: false; ref: string; errors: GridFieldError[] };

/** One line per error: `grid default/web: spec.templates.zone1 names "canary", which is not in templatePool`. */
export function formatGridErrors(ref: string, errors: GridFieldError[]): string {
  return formatFieldErrors('grid', ref, errors);
}

/** One line per error of any gridfed resource: `<what> <namespace/name>: <path> <message>`. */
export function formatFieldErrors(what: string, ref: string, errors: GridFieldError[]): string {
  return errors.map((error) => `${what} ${ref}: ${error.path ? `${error.path} ` : ''}${error.message}`).join('\n');
}

/** `namespace/name` of a manifest that may be anything; `<unnamed>` without a name. */
export function manifestRef(input: unknown): string {
  const metadata = isPlainObject(input) ? input['metadata'] : undefined;
  if (!isPlainObject(metadata)) return '<unnamed>';
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') return '<unnamed>';
  return `${typeof namespace === 'string' && namespace !== '' ? namespace : 'default'}/${name}`;
}

/**
 * `base.key`, or `base["key"]` when the key holds characters that would make the path
 * ambiguous (a NodeUnit `rack.7`, a label `app.kubernetes.io/name`).
 */
export function joinPath(base: string, key: string): string {
  const segment = /^[A-Za-z0-9_-]+$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (!base) return segment;
  return segment.startsWith('[') ? `${base}${segment}` : `${base}.${segment}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
