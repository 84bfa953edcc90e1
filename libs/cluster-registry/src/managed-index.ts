// gridfed's objects in one member, by the grid they belong to (from their ownership
// labels), so a sync finds its grid's objects without scanning every object it manages.
import type { KubernetesObject } from '@kubernetes/client-node';
import { GRID_KIND_LABEL, GRID_NAME_ANNOTATION, GRID_NAMESPACE_LABEL } from '#gridfed/grid-api';
import { objectKey } from '#gridfed/kube';

/** `Kind/namespace/name` of the grid an object says it belongs to (as gridKey spells it). */
export function ownerKeyOf(obj: KubernetesObject): string | undefined {
  const kind = obj.metadata?.labels?.[GRID_KIND_LABEL];
  const namespace = obj.metadata?.labels?.[GRID_NAMESPACE_LABEL];
  const name = obj.metadata?.annotations?.[GRID_NAME_ANNOTATION];
  return kind && namespace && name ? `${kind}/${namespace}/${name}` : undefined;
}

export class ManagedIndex<T extends KubernetesObject> {
  private readonly byOwner = new Map<string, Map<string, T>>();
  /** object key -> owner key it is filed under. */
  private readonly filed = new Map<string, string>();

  put(obj: T): void {
    const key = objectKey(obj);
    this.remove(obj);
    const owner = ownerKeyOf(obj);
    if (!owner) return;
    let objects = this.byOwner.get(owner);
    if (!objects) this.byOwner.set(owner, (objects = new Map()));
    objects.set(key, obj);
    this.filed.set(key, owner);
  }

  remove(obj: T): void {
    const key = objectKey(obj);
    const owner = this.filed.get(key);
    if (owner === undefined) return;
    const objects = this.byOwner.get(owner);
    objects?.delete(key);
    if (objects?.size === 0) this.byOwner.delete(owner);
    this.filed.delete(key);
  }

  /** The objects that say they belong to grid `owner` (`Kind/namespace/name`). */
  of(owner: string): T[] {
    return [...(this.byOwner.get(owner)?.values() ?? [])];
  }
}
