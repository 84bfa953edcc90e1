// What a request may need to be allowed to do in the control cluster: the attributes of
// one SubjectAccessReview, for a grid, a MemberCluster or a non-resource URL.
import { GRID_GROUP, GRID_RESOURCES, GRIDFED_GROUP, type GridKind } from '#gridfed/grid-api';
import { NODE_GROUP_RESOURCE, NODE_UNIT_RESOURCE, SITE_GROUP } from '#gridfed/site-api';

/** The MemberCluster CRD's plural (gridfed.io). */
export const MEMBER_CLUSTERS = 'memberclusters';

export interface ResourceCheck {
  group: string;
  resource: string;
  verb: 'get' | 'list';
  /** Unset for cluster-scoped resources (MemberCluster, NodeUnit, NodeGroup). */
  namespace?: string;
  /** Unset: any object of the resource (what `list` asks). */
  name?: string;
}

export interface NonResourceCheck {
  /** A path without query, e.g. `/metrics`. */
  path: string;
  /** The lowercased HTTP method, as the apiserver names non-resource verbs (`get`, `post`, ...). */
  verb: string;
}

export type AccessCheck = { resource: ResourceCheck } | { nonResource: NonResourceCheck };

export function gridCheck(verb: ResourceCheck['verb'], kind: GridKind, namespace: string, name?: string): AccessCheck {
  return {
    resource: { group: GRID_GROUP, resource: GRID_RESOURCES[kind].plural, verb, namespace, ...(name ? { name } : {}) },
  };
}

export function memberCheck(verb: ResourceCheck['verb'], name?: string): AccessCheck {
  return { resource: { group: GRIDFED_GROUP, resource: MEMBER_CLUSTERS, verb, ...(name ? { name } : {}) } };
}

/** A cluster-scoped site.superedge.io resource. */
export type SiteResource = typeof NODE_UNIT_RESOURCE.plural | typeof NODE_GROUP_RESOURCE.plural;

export function siteCheck(verb: ResourceCheck['verb'], resource: SiteResource, name?: string): AccessCheck {
  return { resource: { group: SITE_GROUP, resource, verb, ...(name ? { name } : {}) } };
}

export function nonResourceCheck(path: string, method: string): AccessCheck {
  const verb = method.toLowerCase();
  return { nonResource: { path, verb: verb === 'head' ? 'get' : verb } };
}

/** A stable text of a check, for cache keys and messages (`get superedge.io/deploymentgrids a/web`). */
export function describeCheck(check: AccessCheck): string {
  if ('nonResource' in check) return `${check.nonResource.verb} ${check.nonResource.path}`;
  const r = check.resource;
  const where = [r.namespace, r.name].filter(Boolean).join('/');
  return `${r.verb} ${r.group}/${r.resource}${where ? ` ${where}` : ''}`;
}
