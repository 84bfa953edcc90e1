// The bad and hostile inputs of issue 13, as one table: test/hub/hostile-input.e2e.ts runs
// every row against the real fleet, and the README's "Bad input" section is this table
// (bad-input-table.spec.ts fails when they differ). `fragment` is what the e2e asserts is in
// the message at `shows`; grid and member names in it are the ones the e2e uses.

export type Surface =
  | 'control apiserver'
  | 'grid Event'
  | 'grid condition'
  | 'grid status'
  | 'MemberCluster condition'
  | 'HTTP API response'
  | 'CLI message';

export interface BadInputRow {
  id: string;
  /** What is wrong, in a few words. */
  kind: string;
  shows: Surface;
  fragment: string;
}

const row = (id: string, kind: string, shows: Surface, fragment: string): BadInputRow => ({
  id,
  kind,
  shows,
  fragment,
});

/** `{grid}-x` is over 52 characters for a StatefulSetGrid of this name. */
export const LONG_STATEFULSET_GRID = 'a-statefulset-grid-whose-name-is-far-too-long-for-pods';
/** `{grid}-svc` is over 63 characters for a ServiceGrid of this name. */
export const LONG_SERVICE_GRID = 'a-service-grid-whose-name-leaves-no-room-for-the-svc-suffix-x';
/** A NodeUnit (node label value) that gives `tiny-<it>` over 52 characters. */
export const LONG_NODE_UNIT = 'rack-of-a-site-whose-label-value-is-long-but-legal-x';

export const BAD_INPUT: BadInputRow[] = [
  // Grids
  row(
    'uppercase-name',
    'grid name not a DNS subdomain (`Web`)',
    'control apiserver',
    '"Web" is invalid: metadata.name',
  ),
  row(
    'statefulset-name-too-long',
    'StatefulSetGrid name too long for `{grid}-{nodeunit}` (52)',
    'grid Event',
    `grid hostile-input/${LONG_STATEFULSET_GRID}: metadata.name is too long`,
  ),
  row(
    'service-name-too-long',
    'ServiceGrid name too long for `{grid}-svc` (63)',
    'grid Event',
    `grid hostile-input/${LONG_SERVICE_GRID}: metadata.name gives the member Service name`,
  ),
  row(
    'missing-pool-entry',
    '`templates` names a template not in `templatePool`',
    'grid Event',
    'grid hostile-input/no-pool: spec.templates.zone1 names "canary", which is not in templatePool',
  ),
  row(
    'templates-key-invalid',
    '`templates` key that no node label can carry (`bad unit!`)',
    'grid Event',
    'grid hostile-input/bad-key: spec.templates["bad unit!"] cannot be a NodeUnit: "bad unit!" is not a valid label value',
  ),
  row(
    'replicas-string',
    'replicas as a string in a template (the CRD keeps templates as written)',
    'grid Event',
    'grid hostile-input/text-replicas: spec.templatePool.test1.replicas must be a whole number, not "three"',
  ),
  row(
    'schema-type',
    'wrong type where the CRD has a schema (`templates.zone1: 5`)',
    'control apiserver',
    '"typed" is invalid: [spec.templates.zone1: Invalid value: "integer": spec.templates.zone1 in body must be of type string',
  ),
  row(
    'unknown-spec-field',
    'unknown field in a grid spec (pruned; strict field validation refuses it)',
    'control apiserver',
    'unknown field "spec.replica"',
  ),
  row(
    'unknown-template-field',
    'unknown field inside a template (applied with strict field validation)',
    'grid condition',
    'member-1: apply Deployment hostile-input/typo-zone1: failed to create typed patch object (hostile-input/typo-zone1; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="echo"].imagePullPolicyy: field not declared in schema',
  ),
  row(
    'no-node-unit',
    '`gridUniqKey` that labels no node in any member',
    'grid condition',
    'grid hostile-input/nowhere: no node in any member cluster has the label spec.gridUniqKey "no-such-key"',
  ),
  row(
    'member-rejects-template',
    'template the member apiserver rejects (invalid container name)',
    'grid condition',
    'member-1: apply Deployment hostile-input/rejected-zone1: Deployment.apps "rejected-zone1" is invalid: spec.template.spec.containers[0].name',
  ),
  row(
    'pod-label-invalid',
    'template with a hostile pod label value (`bad value!`)',
    'grid condition',
    'member-1: apply Deployment hostile-input/bad-label-zone1: Deployment.apps "bad-label-zone1" is invalid: spec.template.labels: Invalid value: "bad value!"',
  ),
  row(
    'huge-template',
    'huge template (a 300 KiB annotation on the pods)',
    'grid condition',
    'member-1: apply Deployment hostile-input/huge-zone1: Deployment.apps "huge-zone1" is invalid: spec.template.annotations: Too long: may not be more than 262144 bytes',
  ),
  row(
    'large-grid',
    'large grid (a 1 MiB template, under the limits): distributed like any other',
    'grid condition',
    'Synced=True AllSynced: 2/2 NodeUnits synced',
  ),
  row(
    'over-size-limit',
    'grid over 2 MiB (the control apiserver refuses it before etcd)',
    'control apiserver',
    'trying to send message larger than max',
  ),
  row(
    'foreign-object',
    'Deployment `{grid}-{nodeunit}` in a member that gridfed does not own',
    'grid Event',
    'member-1: Deployment hostile-input/foreign-zone1 exists and belongs to someone else; gridfed leaves it untouched',
  ),
  row(
    'nodeunit-not-dns-label',
    'NodeUnit that is not a DNS label (node label `Rack_7`)',
    'grid status',
    'states.Rack_7 is Deployment hostile-input/odd-rack-7-',
  ),
  row(
    'nodeunit-too-long',
    'node label value that makes `{grid}-{nodeunit}` too long',
    'grid Event',
    `member-2: NodeUnit "${LONG_NODE_UNIT}" cannot form a valid StatefulSet name; skipped`,
  ),
  // Member Secrets (untrusted)
  row(
    'kubeconfig-exec',
    'kubeconfig with an `exec` credential plugin',
    'MemberCluster condition',
    'users[0].user.exec is not allowed: the hub never runs a program',
  ),
  row(
    'kubeconfig-auth-provider',
    'kubeconfig with an `auth-provider`',
    'MemberCluster condition',
    'users[0].user.auth-provider is not allowed',
  ),
  row(
    'kubeconfig-token-file',
    'kubeconfig with `token-file`',
    'MemberCluster condition',
    'users[0].user.token-file is a file path: the hub never reads local files',
  ),
  row(
    'kubeconfig-client-cert-file',
    'kubeconfig with `client-certificate` / `client-key` files',
    'MemberCluster condition',
    'users[0].user.client-certificate is a file path',
  ),
  row(
    'kubeconfig-ca-file',
    'kubeconfig with a `certificate-authority` file',
    'MemberCluster condition',
    'clusters[0].cluster.certificate-authority is a file path',
  ),
  row(
    'kubeconfig-proxy',
    'kubeconfig with `proxy-url`',
    'MemberCluster condition',
    'clusters[0].cluster.proxy-url is not allowed: the hub talks only to the apiserver the kubeconfig names',
  ),
  row(
    'kubeconfig-insecure',
    'kubeconfig with `insecure-skip-tls-verify: true`',
    'MemberCluster condition',
    'clusters[0].cluster.insecure-skip-tls-verify is not allowed',
  ),
  row(
    'kubeconfig-two-clusters',
    'kubeconfig with several clusters and contexts',
    'MemberCluster condition',
    'clusters must have exactly one entry (it has 2 entries)',
  ),
  row(
    'kubeconfig-http',
    'kubeconfig whose server is not https',
    'MemberCluster condition',
    'clusters[0].cluster.server must be an https:// URL (it is http://)',
  ),
  row(
    'kubeconfig-malformed',
    'kubeconfig that is not YAML',
    'MemberCluster condition',
    'key "kubeconfig": the document is not valid YAML',
  ),
  row(
    'secret-no-key',
    'member Secret without the `kubeconfig` key',
    'MemberCluster condition',
    'Secret gridfed-system/member-hostile-no-key has no key "kubeconfig"',
  ),
  row(
    'secret-missing',
    'MemberCluster whose Secret does not exist',
    'MemberCluster condition',
    'Secret gridfed-system/member-hostile-no-secret not found',
  ),
  row(
    'secret-other-namespace',
    "MemberCluster whose Secret is outside the hub's namespace",
    'MemberCluster condition',
    'spec.secretRef.namespace "kube-system" is not the hub\'s namespace "gridfed-system"',
  ),
  // HTTP API
  row(
    'api-bad-json',
    '`POST /api/diff` with a body that is not JSON',
    'HTTP API response',
    '400: request body is not valid JSON',
  ),
  row('api-oversize', '`POST /api/diff` over 2 MiB', 'HTTP API response', '413: request body is larger than 2 MiB'),
  row(
    'api-invalid-grid',
    '`POST /api/diff` with a grid missing `gridUniqKey`',
    'HTTP API response',
    '200: spec.gridUniqKey is required',
  ),
  row('api-traversal', 'path parameters with `../`', 'HTTP API response', '400: namespace must be a DNS label'),
  row(
    'api-bad-name',
    'path parameter that is not a Kubernetes name',
    'HTTP API response',
    '400: name must be a DNS subdomain',
  ),
  row(
    'api-bad-kind',
    'unknown grid kind in a query',
    'HTTP API response',
    '400: kind must be one of the following values',
  ),
  row('api-unknown-query', 'unknown query parameter', 'HTTP API response', '400: property foo should not exist'),
  // CLI
  row(
    'cli-bad-name',
    '`gridfed register` with a name that is not a DNS label',
    'CLI message',
    'member cluster name "Edge_1" is not a DNS label',
  ),
  row(
    'cli-malformed-kubeconfig',
    '`gridfed register` with a kubeconfig that is not YAML',
    'CLI message',
    'not a readable kubeconfig',
  ),
  row(
    'cli-missing-kubeconfig',
    '`gridfed register` with a kubeconfig that does not exist',
    'CLI message',
    'no such file',
  ),
  row(
    'cli-proxy',
    '`gridfed register` with a kubeconfig using `proxy-url`',
    'CLI message',
    'has proxy-url; the hub reaches members directly',
  ),
];

/** The README's "Bad input" table. */
export function badInputMarkdown(rows: BadInputRow[] = BAD_INPUT): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = ['| bad input | where the error shows | message contains |', '| --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${cell(r.kind)} | ${r.shows} | \`${cell(r.fragment)}\` |`);
  return lines.join('\n');
}
