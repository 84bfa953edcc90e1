// Every right the hub holds, in the control cluster and in a member, with the reason it
// needs it. rbac.e2e.ts asks the real apiservers what each identity may do
// (SelfSubjectRulesReview) and fails on a right missing here, or listed here and no longer
// granted: widening RBAC takes a line in this file that says why.
// Format: "<verb> <group or core>/<resource>[:<resourceName>]" or "<verb> url:<path>".

const grids = ['deploymentgrids', 'statefulsetgrids', 'servicegrids'];

const each = (names: string[], line: (name: string) => [string, string][]): Record<string, string> =>
  Object.fromEntries(names.flatMap(line));

/** The hub's ServiceAccount in the control cluster (deploy/hub/rbac.yaml), in every namespace. */
export const HUB_CONTROL_CLUSTER: Record<string, string> = {
  ...each(grids, (g) => [
    [`list superedge.io/${g}`, 'the grid reflector lists fed grids'],
    [`watch superedge.io/${g}`, 'the grid reflector watches fed grids'],
    [`get superedge.io/${g}`, 'the status reconciler reads a grid again after a 409 on its status'],
    [`patch superedge.io/${g}`, 'adds and removes the hub finalizer; autoDeleteUnusedTemplate prunes templatePool'],
    [`update superedge.io/${g}/status`, 'the status reconciler replaces status under optimistic concurrency'],
    [`patch superedge.io/${g}/status`, 'the lifecycle writes status.rollout and the invalid-spec condition'],
  ]),
  'list gridfed.io/memberclusters': 'the registry lists registered members',
  'watch gridfed.io/memberclusters': 'the registry watches registered members',
  'update gridfed.io/memberclusters/status': 'reachability, version, NodeUnits and owner on each member',
  ...each(['nodeunits', 'nodegroups'], (k) => [
    [`list site.superedge.io/${k}`, 'the site cache lists fed NodeUnits and NodeGroups (libs/site-membership)'],
    [`watch site.superedge.io/${k}`, 'the site cache watches fed NodeUnits and NodeGroups'],
    [`get site.superedge.io/${k}`, 'the site status reconciler reads the object again after a 409 on its status'],
    [`update site.superedge.io/${k}/status`, 'the site status reconciler replaces status under optimistic concurrency'],
  ]),
  'list gridfed.io/siteconfigs': 'the SiteConfig cache lists per-NodeUnit configuration (libs/distribution)',
  'watch gridfed.io/siteconfigs': 'the SiteConfig cache watches it: a change renders the grids using it again',
  'get gridfed.io/siteconfigs': 'the SiteConfig status reconciler reads it again after a 409 on its status',
  'update gridfed.io/siteconfigs/status':
    'the SiteConfig status reconciler replaces status (per-NodeUnit copies, conditions) under optimistic concurrency',
  'get core/secrets':
    'a member sync reads, by name, only the control-cluster Secrets a Secret SiteConfig its grid uses names (no list/watch)',
  'create core/events': 'Events on grids, MemberClusters and NodeUnits for what a user must see',
  'create authentication.k8s.io/tokenreviews':
    'HTTP_AUTH=kubernetes: who holds the bearer token of an HTTP request (libs/access AccessReviewer)',
  'create authorization.k8s.io/subjectaccessreviews':
    'HTTP_AUTH=kubernetes: may that user get or list the grids and members it would see, /metrics, /queues',
  'list apps/controllerrevisions': 'the revision store lists grid revisions',
  'watch apps/controllerrevisions': 'the revision store watches grid revisions',
  'create apps/controllerrevisions': 'a new grid revision',
  'update apps/controllerrevisions': 'an old revision made current again (rollback) gets the next number',
  'delete apps/controllerrevisions': 'revisions beyond revisionHistoryLimit',
};

/** The hub's ServiceAccount in its own namespace only (gridfed-system), beyond the above. */
export const HUB_CONTROL_OWN_NAMESPACE: Record<string, string> = {
  'list core/secrets': 'the registry lists member kubeconfig Secrets (member-<name>) in its own namespace',
  'watch core/secrets': 'the registry watches member kubeconfig Secrets in its own namespace',
  'get coordination.k8s.io/leases': 'reads a member Lease before taking it over',
  'list coordination.k8s.io/leases': 'the shard coordinator lists replica and member Leases',
  'watch coordination.k8s.io/leases': 'the shard coordinator watches replica and member Leases',
  'create coordination.k8s.io/leases': "its own replica Lease; a member's Lease the first time",
  'update coordination.k8s.io/leases': 'renews its Lease; takes or frees a member Lease',
  'delete coordination.k8s.io/leases': 'its own Lease at shutdown; Leases of unregistered members and dead replicas',
};

const memberWorkloads = ['apps/deployments', 'apps/statefulsets', 'core/services'];

/** The member agent (`gridfed register`'s ClusterRole gridfed:hub in the member), in every namespace. */
export const MEMBER_AGENT: Record<string, string> = {
  'list core/nodes': 'the node reflector lists nodes',
  'watch core/nodes': 'the node reflector watches nodes',
  ...each(memberWorkloads, (w) => [
    [`get ${w}`, 'reads an object in the way of a first apply: whose is it?'],
    [`list ${w}`, 'the managed-object reflector lists what gridfed applied (and the CLI cleans up with it)'],
    [`watch ${w}`, 'drift is seen through watches'],
    [`create ${w}`, 'server-side apply creates {grid}-{nodeunit} objects'],
    [`patch ${w}`, 'server-side apply'],
    [`delete ${w}`, 'objects no longer wanted are deleted'],
  ]),
  'get core/configmaps': "reads an object in the way of a SiteConfig copy's first apply: whose is it?",
  'list core/configmaps': "a SiteConfig's copies, by its label selector (GC and drift)",
  'watch core/configmaps':
    'SiteConfig copies (label-selected, metadata only): a copy edited or deleted by hand is put back at once, orphans collected',
  'create core/configmaps': 'server-side apply creates {siteconfig}-{nodeunit} copies',
  'patch core/configmaps': 'server-side apply of a copy (and puts back one edited by hand)',
  'delete core/configmaps': "copies no longer wanted (only those copyOwnerOf says are the SiteConfig's)",
  'get core/namespaces': 'checks that a grid namespace exists in the member',
  'list core/namespaces': 'the namespace reflector (namespaces gridfed created)',
  'watch core/namespaces': 'the namespace reflector',
  'create core/namespaces': "a grid's namespace missing in the member",
  'delete core/namespaces': 'only namespaces labelled gridfed.io/created-namespace (the code keeps that)',
  'delete rbac.authorization.k8s.io/clusterroles:gridfed:hub':
    '`gridfed unregister` removes the agent (see member-agent.ts)',
  'delete rbac.authorization.k8s.io/clusterrolebindings:gridfed:hub': '`gridfed unregister` removes the agent binding',
};

/** Added by `gridfed register --manage-secrets` (ClusterRole gridfed:hub-secrets in the member), on top of MEMBER_AGENT. */
export const MEMBER_AGENT_MANAGE_SECRETS: Record<string, string> = {
  'get core/secrets':
    "reads a Secret SiteConfig's copy by the name the hub wrote or will write (drift, and whose is an object in the way); no list/watch, so it cannot enumerate Secrets",
  'create core/secrets': 'server-side apply creates {siteconfig}-{nodeunit} Secret copies',
  'patch core/secrets': 'server-side apply of a Secret copy (and puts back one edited by hand)',
  'delete core/secrets':
    "Secret copies no longer wanted, by the names in the SiteConfig's ledger ConfigMap, only those copyOwnerOf says are its",
};

/** Added by `gridfed register --manage-nodes` (ClusterRole gridfed:hub-nodes in the member), on top of MEMBER_AGENT. */
export const MEMBER_AGENT_MANAGE_NODES: Record<string, string> = {
  'patch core/nodes':
    'fed NodeUnits: sets and removes setnode labels, annotations, taints and <nodegroup>: <nodeunit> (libs/sites)',
};
