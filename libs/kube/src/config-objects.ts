// ConfigMaps and Secrets gridfed makes in members (per-NodeUnit copies of SiteConfigs):
// server-side apply, read, list by label and delete, with typed clients.
import { PatchStrategy, setHeaderOptions, type V1ConfigMap, type V1Secret } from '@kubernetes/client-node';
import type { KubeClients } from './clients.js';

export type ConfigObjectKind = 'ConfigMap' | 'Secret';
export type ConfigObject = V1ConfigMap | V1Secret;

const applyContentType = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

/** Applies `body` (a full ConfigMap or Secret); `force` takes fields back from whoever changed them. */
export function applyConfigObject(
  clients: KubeClients,
  body: ConfigObject & { kind: ConfigObjectKind },
  opts: { fieldManager: string; force: boolean },
): Promise<ConfigObject> {
  const params = {
    name: body.metadata?.name ?? '',
    namespace: body.metadata?.namespace ?? 'default',
    body,
    fieldManager: opts.fieldManager,
    force: opts.force,
    fieldValidation: 'Strict',
  };
  return body.kind === 'Secret'
    ? clients.core.patchNamespacedSecret(params, applyContentType)
    : clients.core.patchNamespacedConfigMap(params, applyContentType);
}

export function readConfigObject(
  clients: KubeClients,
  kind: ConfigObjectKind,
  namespace: string,
  name: string,
): Promise<ConfigObject> {
  return kind === 'Secret'
    ? clients.core.readNamespacedSecret({ name, namespace })
    : clients.core.readNamespacedConfigMap({ name, namespace });
}

/** The objects of `kind` in `namespace` matching `labelSelector`, each with its kind set. */
export async function listConfigObjects(
  clients: KubeClients,
  kind: ConfigObjectKind,
  namespace: string,
  labelSelector: string,
): Promise<ConfigObject[]> {
  const list =
    kind === 'Secret'
      ? await clients.core.listNamespacedSecret({ namespace, labelSelector })
      : await clients.core.listNamespacedConfigMap({ namespace, labelSelector });
  return list.items.map((item: ConfigObject) => ({ ...item, kind }));
}

export async function deleteConfigObject(
  clients: KubeClients,
  kind: ConfigObjectKind,
  namespace: string,
  name: string,
): Promise<void> {
  if (kind === 'Secret') await clients.core.deleteNamespacedSecret({ name, namespace });
  else await clients.core.deleteNamespacedConfigMap({ name, namespace });
}
