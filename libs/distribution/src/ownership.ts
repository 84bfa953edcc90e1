// Whose is a member object? gridfed's ownership labels say which grid made it; the
// managedFields entry of gridfed's apply proves gridfed made it even when someone
// stripped the labels (then a re-apply puts them back).
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  FIELD_MANAGER,
  GRID_KIND_LABEL,
  GRID_NAME_ANNOTATION,
  GRID_NAMESPACE_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type GridKind,
  type GridRef,
} from '#gridfed/grid-api';
import type { ManagedKind } from '#gridfed/kube';

export const MEMBER_KIND: Record<GridKind, ManagedKind> = {
  DeploymentGrid: 'Deployment',
  StatefulSetGrid: 'StatefulSet',
  ServiceGrid: 'Service',
};

export const GRID_KIND_OF: Record<ManagedKind, GridKind> = {
  Deployment: 'DeploymentGrid',
  StatefulSet: 'StatefulSetGrid',
  Service: 'ServiceGrid',
};

/** The grid a managed object belongs to, from its labels and annotations. */
export function gridRefOfObject(obj: KubernetesObject, kind: ManagedKind): GridRef | undefined {
  const labels = obj.metadata?.labels ?? {};
  const namespace = labels[GRID_NAMESPACE_LABEL];
  const name = obj.metadata?.annotations?.[GRID_NAME_ANNOTATION];
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE || labels[GRID_KIND_LABEL] !== GRID_KIND_OF[kind]) return undefined;
  if (!namespace || !name) return undefined;
  return { kind: GRID_KIND_OF[kind], namespace, name };
}

export function belongsTo(obj: KubernetesObject, kind: ManagedKind, grid: GridRef): boolean {
  const ref = gridRefOfObject(obj, kind);
  return ref !== undefined && ref.kind === grid.kind && ref.namespace === grid.namespace && ref.name === grid.name;
}

/** True when gridfed's own field manager applied this object: it is gridfed's to fix. */
export function appliedByGridfed(obj: KubernetesObject): boolean {
  return (obj.metadata?.managedFields ?? []).some((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply');
}
