// Identity of the grid being rendered, and errors that name it and the offending field.
import { formatGridErrors, gridRefOf, type AnyGrid } from '#gridfed/grid-api';

const PLAIN_KEY = /^[A-Za-z0-9_-]+$/;

/** `spec.templates.zone1`, or `spec.templates["rack.7"]` when the key would read as a path. */
export function fieldPath(parent: string, key: string): string {
  return PLAIN_KEY.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** `grid default/web: <path> <message>`, the wording validation uses. */
export function gridError(grid: AnyGrid, path: string, message: string): Error {
  const { namespace, name } = gridRefOf(grid);
  return new Error(formatGridErrors(`${namespace}/${name || '<unnamed>'}`, [{ path, message }]));
}

/** Namespace and name every member object of `grid` is derived from. */
export function gridIdentity(grid: AnyGrid): { namespace: string; name: string } {
  const { namespace, name } = gridRefOf(grid);
  if (!name) throw gridError(grid, 'metadata.name', 'is missing: member objects are named after the grid');
  return { namespace, name };
}
