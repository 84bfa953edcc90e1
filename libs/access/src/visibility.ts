// What a requester sees of the hub's lists. The rule (README, "Access control"):
// - a grid is visible when the requester may `list` its kind in its namespace (a
//   ClusterRole bound cluster-wide allows every namespace), or may `get` it by name;
// - a MemberCluster, NodeUnit or NodeGroup (cluster-scoped) is visible when the requester
//   may `list` its resource, or may `get` it by name.
// Anything else is left out, as if it did not exist.
import { GRID_KINDS, type GridKind, type GridRef } from '#gridfed/grid-api';
import { gridCheck, memberCheck, siteCheck, type AccessCheck, type SiteResource } from './checks.js';
import type { Permissions } from './permissions.js';

/** The items whose grid the requester may see, in their order. */
export async function visibleGrids<T>(items: T[], refOf: (item: T) => GridRef, who: Permissions): Promise<T[]> {
  const listable = new Map<string, Promise<boolean>>();
  const mayList = (ref: GridRef): Promise<boolean> => {
    const key = `${ref.kind}/${ref.namespace}`;
    let answer = listable.get(key);
    if (!answer) listable.set(key, (answer = who.may(gridCheck('list', ref.kind, ref.namespace))));
    return answer;
  };
  const shown = await Promise.all(
    items.map(async (item) => {
      const ref = refOf(item);
      return (await mayList(ref)) || who.may(gridCheck('get', ref.kind, ref.namespace, ref.name));
    }),
  );
  return items.filter((_, i) => shown[i]);
}

/** The items whose MemberCluster the requester may see, in their order. */
export function visibleMembers<T>(items: T[], nameOf: (item: T) => string, who: Permissions): Promise<T[]> {
  return visibleClusterScoped(items, nameOf, (verb, name) => memberCheck(verb, name), who);
}

/** The NodeUnits or NodeGroups (`resource`) the requester may see, in their order. */
export function visibleSiteObjects<T>(
  items: T[],
  nameOf: (item: T) => string,
  resource: SiteResource,
  who: Permissions,
): Promise<T[]> {
  return visibleClusterScoped(items, nameOf, (verb, name) => siteCheck(verb, resource, name), who);
}

/** Whether the requester may see this one NodeUnit or NodeGroup (a detail page: 403 otherwise). */
export function mayGetSiteObject(resource: SiteResource, name: string, who: Permissions): Promise<boolean> {
  return who.may(siteCheck('get', resource, name));
}

/** One question when the requester may list them all, else one `get` per item. */
async function visibleClusterScoped<T>(
  items: T[],
  nameOf: (item: T) => string,
  check: (verb: 'get' | 'list', name?: string) => AccessCheck,
  who: Permissions,
): Promise<T[]> {
  if (await who.may(check('list'))) return items;
  const shown = await Promise.all(items.map((item) => who.may(check('get', nameOf(item)))));
  return items.filter((_, i) => shown[i]);
}

/** Whether the requester may see this one grid (a detail page: 403 otherwise). */
export function mayGetGrid(ref: GridRef, who: Permissions): Promise<boolean> {
  return who.may(gridCheck('get', ref.kind, ref.namespace, ref.name));
}

/**
 * The grid a manifest names (kind, namespace or `default`, name), when it names one: a
 * preview of it (/api/diff) is shown to those who may get that grid. A manifest that names
 * none is invalid and its preview holds only its own validation errors.
 */
export function gridNamedBy(manifest: unknown): GridRef | undefined {
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const { kind, metadata } = manifest as { kind?: unknown; metadata?: { namespace?: unknown; name?: unknown } };
  if (!GRID_KINDS.includes(kind as GridKind)) return undefined;
  const name = metadata?.name;
  const namespace = metadata?.namespace ?? 'default';
  if (typeof name !== 'string' || name === '' || typeof namespace !== 'string') return undefined;
  return { kind: kind as GridKind, namespace, name };
}
