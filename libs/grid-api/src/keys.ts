// Every label, annotation and name gridfed reads or writes, in one place.

/** SuperEdge's API group and version, kept so existing grid manifests work unchanged. */
export const GRID_GROUP = 'superedge.io';
export const GRID_VERSION = 'v1';
export const GRID_API_VERSION = 'superedge.io/v1';

/** gridfed's own API group (MemberCluster). */
export const GRIDFED_GROUP = 'gridfed.io';
export const GRIDFED_VERSION = 'v1alpha1';
export const GRIDFED_API_VERSION = 'gridfed.io/v1alpha1';

/** A grid is distributed only when this label is exactly "yes". */
export const FED_LABEL = 'superedge.io/fed';
export const FED_LABEL_VALUE = 'yes';

/** Labels SuperEdge puts on generated objects; kept for its tools. */
export const GRID_SELECTOR_LABEL = 'superedge.io/grid-selector';
export const GRID_UNIQ_KEY_LABEL = 'superedge.io/grid-uniq-key';
/** Annotation SuperEdge's service wrapper reads to keep traffic inside a NodeUnit. */
export const TOPOLOGY_KEYS_ANNOTATION = 'topologyKeys';

/** gridfed's ownership labels: garbage collection is a label query on these. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'gridfed';
export const GRID_KIND_LABEL = 'gridfed.io/grid-kind';
export const GRID_NAMESPACE_LABEL = 'gridfed.io/grid-namespace';
export const GRID_NAME_LABEL = 'gridfed.io/grid-name';
export const GRID_UID_LABEL = 'gridfed.io/grid-uid';
export const NODE_UNIT_LABEL = 'gridfed.io/nodeunit';
export const MEMBER_CLUSTER_LABEL = 'gridfed.io/member-cluster';

/** Hash of the desired object as last applied, for cheap drift checks. */
export const DESIRED_HASH_ANNOTATION = 'gridfed.io/desired-hash';
/** On a member workload: who owns its replicas (`grid` or `member`) as gridfed last applied it. */
export const REPLICAS_MANAGED_BY_ANNOTATION = 'gridfed.io/replicas-managed-by';
/** On a member workload: the revision (template set hash) it was rendered from. */
export const REVISION_LABEL = 'gridfed.io/revision';
/** On a ControllerRevision gridfed made: the revision hash (its name ends with it too). */
export const REVISION_HASH_LABEL = 'gridfed.io/revision-hash';
/** On a grid: set to a new value to try a failed revision again (`gridfed rollout retry`). */
export const ROLLOUT_RETRY_ANNOTATION = 'gridfed.io/rollout-retry';
/** On a ControllerRevision: the change that made it (copied from the grid's `kubernetes.io/change-cause`). */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** Full grid name when it is too long for a label value. */
export const GRID_NAME_ANNOTATION = 'gridfed.io/grid-name';
/** On a member namespace gridfed created (and so may delete). */
export const CREATED_NAMESPACE_LABEL = 'gridfed.io/created-namespace';

/**
 * On a SiteConfig's copy (the ConfigMap or Secret of one NodeUnit): the SiteConfig that made
 * it. Garbage collection of copies is a label query on these, as for grids.
 */
export const SITE_CONFIG_NAMESPACE_LABEL = 'gridfed.io/site-config-namespace';
export const SITE_CONFIG_NAME_LABEL = 'gridfed.io/site-config-name';
export const SITE_CONFIG_UID_LABEL = 'gridfed.io/site-config-uid';
/**
 * On the ConfigMap in a member that records, before they are written, the names of a Secret
 * SiteConfig's copies there: the hub may not list Secrets, so it finds them by these names.
 */
export const SECRET_COPY_LEDGER_LABEL = 'gridfed.io/secret-copy-ledger';
/** Full SiteConfig name when it is too long for a label value. */
export const SITE_CONFIG_NAME_ANNOTATION = 'gridfed.io/site-config-name';
/**
 * On a copy: the hash of its content. On a member workload's pod template: `{siteconfig}={hash}`
 * of each copy it uses, so a change of one NodeUnit's configuration rolls only that NodeUnit's pods.
 */
export const SITE_CONFIG_HASH_ANNOTATION = 'gridfed.io/site-config-hash';
/** Finalizer on distributed grids: member objects go before the grid does. */
export const GRID_FINALIZER = 'gridfed.io/member-cleanup';

/** The single server-side-apply field manager of everything gridfed writes to members. */
export const FIELD_MANAGER = 'gridfed';

/** `spec.defaultTemplateName` value meaning "use spec.template". */
export const DEFAULT_TEMPLATE_NAME = 'default';
