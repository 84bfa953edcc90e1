// What `unregister` removes from a member, with the agent's own credentials (the hub's
// kubeconfig from the control cluster): everything gridfed created there, then the agent.
import type { KubernetesObject } from '@kubernetes/client-node';
import { MEMBER_AGENT_CLUSTER_ROLE, MEMBER_AGENT_NAMESPACE } from '#gridfed/cluster-registry';
import { CREATED_NAMESPACE_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '#gridfed/grid-api';
import { step, type Output } from './cli-output.js';
import type { CliClients } from './kube-access.js';
import { deleteIfPresent } from './kube-steps.js';

const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
const BACKGROUND = 'Background';

interface NamespacedKind {
  plural: string;
  list: (labelSelector: string) => Promise<{ items: KubernetesObject[] }>;
  remove: (namespace: string, name: string) => Promise<unknown>;
}

function managedKinds(member: CliClients): NamespacedKind[] {
  const { apps, core } = member;
  const propagationPolicy = BACKGROUND;
  return [
    {
      plural: 'Deployments',
      list: (labelSelector) => apps.listDeploymentForAllNamespaces({ labelSelector }),
      remove: (namespace, name) => apps.deleteNamespacedDeployment({ namespace, name, propagationPolicy }),
    },
    {
      plural: 'StatefulSets',
      list: (labelSelector) => apps.listStatefulSetForAllNamespaces({ labelSelector }),
      remove: (namespace, name) => apps.deleteNamespacedStatefulSet({ namespace, name, propagationPolicy }),
    },
    {
      plural: 'Services',
      list: (labelSelector) => core.listServiceForAllNamespaces({ labelSelector }),
      remove: (namespace, name) => core.deleteNamespacedService({ namespace, name, propagationPolicy }),
    },
  ];
}

export async function cleanMember(member: CliClients, out: Output): Promise<void> {
  await deleteManagedWorkloads(member, out);
  await deleteCreatedNamespaces(member, out);
  await removeAgent(member, out);
}

/** Deployments, StatefulSets and Services labelled as gridfed's, in every namespace. */
async function deleteManagedWorkloads(member: CliClients, out: Output): Promise<void> {
  for (const kind of managedKinds(member)) {
    const where = `member ${member.cluster}`;
    const list = await step(`${where}: list ${kind.plural} labelled ${MANAGED_SELECTOR}`, () =>
      kind.list(MANAGED_SELECTOR),
    );
    let deleted = 0;
    for (const obj of list.items) {
      const namespace = obj.metadata?.namespace ?? '';
      const name = obj.metadata?.name ?? '';
      const removed = await step(`${where}: delete ${kind.plural} ${namespace}/${name}`, () =>
        deleteIfPresent(() => kind.remove(namespace, name)),
      );
      if (removed) deleted += 1;
    }
    out.done(`${where}: deleted ${deleted} ${kind.plural} labelled ${MANAGED_SELECTOR}`);
  }
}

/** Namespaces the hub created (only those: a namespace it found is never deleted). */
async function deleteCreatedNamespaces(member: CliClients, out: Output): Promise<void> {
  const where = `member ${member.cluster}`;
  const list = await step(`${where}: list Namespaces labelled ${CREATED_NAMESPACE_LABEL}`, () =>
    member.core.listNamespace({ labelSelector: CREATED_NAMESPACE_LABEL }),
  );
  // The agent's namespace goes last, with the agent (deleting it now would revoke the token).
  const names = list.items.map((ns) => ns.metadata?.name ?? '').filter((n) => n && n !== MEMBER_AGENT_NAMESPACE);
  for (const name of names) {
    await step(`${where}: delete Namespace ${name}`, () =>
      deleteIfPresent(() => member.core.deleteNamespace({ name })),
    );
  }
  out.done(`${where}: deleted ${names.length} Namespaces labelled ${CREATED_NAMESPACE_LABEL}${inParens(names)}`);
}

/**
 * The agent's last act: deleting its ClusterRole. Every other agent object (binding,
 * ServiceAccount, token Secret, and the namespace when register created it) is owned by
 * that ClusterRole, so the garbage collector removes them; the agent could not delete them
 * one by one, as each deletion ends its own rights.
 */
async function removeAgent(member: CliClients, out: Output): Promise<void> {
  const where = `member ${member.cluster}`;
  const name = MEMBER_AGENT_CLUSTER_ROLE;
  const removed = await step(`${where}: delete ClusterRole ${name}`, () =>
    deleteIfPresent(() => member.rbac.deleteClusterRole({ name, propagationPolicy: BACKGROUND })),
  );
  out.done(
    removed
      ? `${where}: deleted ClusterRole ${name}; the garbage collector removes the ClusterRoleBinding, ` +
          `ServiceAccount and token Secret it owns (and Namespace ${MEMBER_AGENT_NAMESPACE} when register created it)`
      : `${where}: ClusterRole ${name} was already gone`,
  );
}

function inParens(names: string[]): string {
  return names.length > 0 ? ` (${names.join(', ')})` : '';
}
