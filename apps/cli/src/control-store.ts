// The control cluster's side of a registration: the MemberCluster and the Secret with
// the member's agent kubeconfig.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { MEMBER_CLUSTER_PLURAL, memberSecretName, type MemberCluster } from '#gridfed/cluster-registry';
import { GRIDFED_GROUP, GRIDFED_VERSION } from '#gridfed/grid-api';
import { describeError, isNotFound } from '#gridfed/kube';
import { CliError, step, type Output } from './cli-output.js';
import type { CliClients } from './kube-access.js';
import { deleteIfPresent, ensureNamespace, readIfPresent } from './kube-steps.js';
import { hubNamespace, memberClusterObject, memberKubeconfigSecret } from './registration.js';
import type { UndoLog } from './undo.js';

const MEMBER_CLUSTERS = { group: GRIDFED_GROUP, version: GRIDFED_VERSION, plural: MEMBER_CLUSTER_PLURAL };

/** Fails clearly when the control cluster does not serve MemberClusters (the CRD is missing). */
export async function requireMemberClusterApi(control: CliClients): Promise<void> {
  try {
    await control.custom.listClusterCustomObject({ ...MEMBER_CLUSTERS, limit: 1 });
  } catch (err) {
    if (!isNotFound(err)) {
      throw new CliError(`control cluster at ${control.server}: list MemberClusters: ${describeError(err)}`);
    }
    throw new CliError(
      `control cluster at ${control.server} does not serve ${MEMBER_CLUSTER_PLURAL}.${GRIDFED_GROUP}: ` +
        `apply deploy/crds/membercluster.yaml first`,
    );
  }
}

export async function listMemberClusters(control: CliClients): Promise<MemberCluster[]> {
  await requireMemberClusterApi(control);
  const list = (await step('control cluster: list MemberClusters', () =>
    control.custom.listClusterCustomObject(MEMBER_CLUSTERS),
  )) as { items?: MemberCluster[] };
  return list.items ?? [];
}

export async function readMemberCluster(control: CliClients, name: string): Promise<MemberCluster | undefined> {
  return (await step(`control cluster: read MemberCluster ${name}`, () =>
    readIfPresent(() => control.custom.getClusterCustomObject({ ...MEMBER_CLUSTERS, name })),
  )) as MemberCluster | undefined;
}

/** Refuses a name already registered, or whose Secret is left in the hub's namespace. */
export async function requireFreeName(control: CliClients, name: string, namespace: string): Promise<void> {
  await requireMemberClusterApi(control);
  if (await readMemberCluster(control, name)) {
    throw new CliError(
      `MemberCluster "${name}" already exists in the control cluster: choose another name, or run "gridfed unregister ${name}" first`,
    );
  }
  const secret = memberSecretName(name);
  const existing = await step(`control cluster: read Secret ${namespace}/${secret}`, () =>
    readIfPresent(() => control.core.readNamespacedSecret({ namespace, name: secret })),
  );
  if (existing) {
    throw new CliError(
      `Secret ${namespace}/${secret} already exists in the control cluster (left by an earlier registration?): ` +
        `delete it or choose another name`,
    );
  }
}

export interface Registration {
  name: string;
  namespace: string;
  kubeconfig: string;
  description?: string;
  manageNodes?: boolean;
  manageSecrets?: boolean;
}

export async function storeRegistration(
  control: CliClients,
  reg: Registration,
  undo: UndoLog,
  out: Output,
): Promise<void> {
  const { core, custom } = control;
  const { name, namespace } = reg;
  await ensureNamespace(core, hubNamespace(namespace), `control: Namespace ${namespace}`, undo, out);
  const secret = memberKubeconfigSecret(name, namespace, reg.kubeconfig);
  const secretName = memberSecretName(name);
  await createNew(`control: Secret ${namespace}/${secretName}`, undo, out, {
    create: () => core.createNamespacedSecret({ namespace, body: secret }),
    remove: () => core.deleteNamespacedSecret({ namespace, name: secretName }),
  });
  const mc = memberClusterObject(name, namespace, reg.description, reg.manageNodes, reg.manageSecrets);
  await createNew(`control: MemberCluster ${name}`, undo, out, {
    create: () => custom.createClusterCustomObject({ ...MEMBER_CLUSTERS, body: mc }),
    remove: () => custom.deleteClusterCustomObject({ ...MEMBER_CLUSTERS, name }),
  });
}

/**
 * `register --renew-credentials`: the member must be registered already; only its
 * kubeconfig Secret changes (the hub reconnects with the new token; nothing in the
 * member is removed, as unregister + register would).
 */
export async function renewRegistration(control: CliClients, reg: Registration, out: Output): Promise<void> {
  const { name, namespace } = reg;
  await requireMemberClusterApi(control);
  if (!(await readMemberCluster(control, name))) {
    throw new CliError(`MemberCluster "${name}" is not registered: drop --renew-credentials to register it`);
  }
  const secretName = memberSecretName(name);
  const body = memberKubeconfigSecret(name, namespace, reg.kubeconfig);
  await step(`control cluster: replace Secret ${namespace}/${secretName}`, async () => {
    const existing = await readIfPresent(() => control.core.readNamespacedSecret({ namespace, name: secretName }));
    if (!existing) return control.core.createNamespacedSecret({ namespace, body });
    body.metadata = { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion };
    return control.core.replaceNamespacedSecret({ namespace, name: secretName, body });
  });
  out.done(`stored new credentials for ${name} in Secret ${namespace}/${secretName}`);
  if (reg.manageNodes) await markOptIn(control, name, 'manageNodes', 'node management', out);
  if (reg.manageSecrets) await markOptIn(control, name, 'manageSecrets', 'Secret copies', out);
}

/** `register --renew-credentials --manage-nodes` (or `--manage-secrets`): the registered member opts in. */
async function markOptIn(
  control: CliClients,
  name: string,
  field: 'manageNodes' | 'manageSecrets',
  what: string,
  out: Output,
): Promise<void> {
  await step(`control cluster: set spec.${field} of MemberCluster ${name}`, () =>
    control.custom.patchClusterCustomObject(
      { ...MEMBER_CLUSTERS, name, body: { spec: { [field]: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    ),
  );
  out.done(`MemberCluster ${name} opted in to ${what} (spec.${field})`);
}

/** Creates an object that must not exist yet (a conflict is a failure, not a reuse). */
async function createNew(
  what: string,
  undo: UndoLog,
  out: Output,
  ops: { create: () => Promise<unknown>; remove: () => Promise<unknown> },
): Promise<void> {
  await step(`create ${what}`, ops.create);
  undo.record(what, async () => {
    await deleteIfPresent(ops.remove);
  });
  out.done(`created ${what}`);
}

export async function deleteMemberCluster(control: CliClients, name: string): Promise<boolean> {
  return step(`control cluster: delete MemberCluster ${name}`, () =>
    deleteIfPresent(() => control.custom.deleteClusterCustomObject({ ...MEMBER_CLUSTERS, name })),
  );
}
