// Server-side apply of the kinds gridfed manages in members, with typed clients
// (no discovery round-trip per call).
import { PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeClients } from './clients.js';

export type ManagedKind = 'Deployment' | 'StatefulSet' | 'Service';

export interface ApplyOptions {
  fieldManager: string;
  /** Take fields back from whoever changed them: how drift is reverted. */
  force: boolean;
  /** Ask the apiserver what it would store, changing nothing (a preview). */
  dryRun?: boolean;
}

const applyContentType = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

/** Applies `body` (a full object of a managed kind) and returns the object the apiserver stored. */
export function applyObject(
  clients: KubeClients,
  body: KubernetesObject,
  opts: ApplyOptions,
): Promise<KubernetesObject> {
  const name = body.metadata?.name ?? '';
  const namespace = body.metadata?.namespace ?? 'default';
  const params = {
    name,
    namespace,
    body,
    fieldManager: opts.fieldManager,
    force: opts.force,
    // A field the member's schema lacks (a typo in a template) is an error naming it, not silently dropped.
    fieldValidation: 'Strict',
    ...(opts.dryRun ? { dryRun: 'All' } : {}),
  };
  switch (body.kind as ManagedKind) {
    case 'Deployment':
      return clients.apps.patchNamespacedDeployment(params, applyContentType);
    case 'StatefulSet':
      return clients.apps.patchNamespacedStatefulSet(params, applyContentType);
    case 'Service':
      return clients.core.patchNamespacedService(params, applyContentType);
    default:
      throw new Error(`apply: ${body.kind ?? 'object'} ${namespace}/${name} is not a kind gridfed manages`);
  }
}

export async function deleteObject(
  clients: KubeClients,
  kind: ManagedKind,
  namespace: string,
  name: string,
): Promise<void> {
  const params = { name, namespace, propagationPolicy: 'Background' };
  switch (kind) {
    case 'Deployment':
      await clients.apps.deleteNamespacedDeployment(params);
      return;
    case 'StatefulSet':
      await clients.apps.deleteNamespacedStatefulSet(params);
      return;
    case 'Service':
      await clients.core.deleteNamespacedService(params);
      return;
  }
}

export async function readObject(
  clients: KubeClients,
  kind: ManagedKind,
  namespace: string,
  name: string,
): Promise<KubernetesObject> {
  switch (kind) {
    case 'Deployment':
      return clients.apps.readNamespacedDeployment({ name, namespace });
    case 'StatefulSet':
      return clients.apps.readNamespacedStatefulSet({ name, namespace });
    case 'Service':
      return clients.core.readNamespacedService({ name, namespace });
  }
}
