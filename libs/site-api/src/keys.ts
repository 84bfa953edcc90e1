// Every name of the site API (SuperEdge site-manager's NodeUnit and NodeGroup) gridfed reads or writes.
export { FED_LABEL, FED_LABEL_VALUE } from '#gridfed/grid-api';

/** SuperEdge site-manager's API group; the CRDs serve v1alpha1 (storage) and v1 with one schema. */
export const SITE_GROUP = 'site.superedge.io';
/** The version the hub reads and writes. */
export const SITE_VERSION = 'v1alpha1';
export const SITE_API_VERSION = 'site.superedge.io/v1alpha1';
export const SITE_SERVED_VERSIONS: readonly string[] = ['v1alpha1', 'v1'];

export const NODE_UNIT_RESOURCE = { kind: 'NodeUnit', plural: 'nodeunits', shortName: 'nu' } as const;
export const NODE_GROUP_RESOURCE = { kind: 'NodeGroup', plural: 'nodegroups', shortName: 'ng' } as const;

/**
 * On a member's node: what the hub set there, as JSON `{"labels":[..],"annotations":[..],"taints":[..]}`
 * (label and annotation keys, taints as `key:effect`). The hub removes only what this lists, so a
 * label someone else set is never removed, and a hub restart loses nothing.
 */
export const SITE_MANAGED_ANNOTATION = 'gridfed.io/site-managed';

/**
 * A NodeUnit labelled `<nodegroup>: autofindnodekeys` belongs to that NodeGroup: site-manager labels
 * the NodeUnits its `autofindnodekeys` create that way. gridfed honours the label; it creates none.
 */
export const AUTO_FIND_NODE_KEYS_VALUE = 'autofindnodekeys';

/** Separates the member from the node in `spec.nodes` and in status: `member-2/edge-17`. */
export const MEMBER_NODE_SEPARATOR = '/';
