// The few writes gridfed makes to grids in the control cluster: its finalizer, and
// the pool entries autoDeleteUnusedTemplate asks it to drop. Merge patches carry the
// resourceVersion they were computed from, so a concurrent user edit is never lost:
// such a write fails with a conflict, and the lifecycle reconciler tries again.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import {
  GRID_FINALIZER,
  GRID_GROUP,
  GRID_RESOURCES,
  GRID_VERSION,
  type AnyGrid,
  type RolloutStatus,
} from '#gridfed/grid-api';
import { isNotFound, withContext, type KubeClients } from '#gridfed/kube';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export class GridWriter {
  constructor(private readonly control: KubeClients) {}

  hasFinalizer(grid: AnyGrid): boolean {
    return (grid.metadata.finalizers ?? []).includes(GRID_FINALIZER);
  }

  addFinalizer(grid: AnyGrid): Promise<void> {
    return this.patchMetadata(grid, [...(grid.metadata.finalizers ?? []), GRID_FINALIZER], 'add finalizer');
  }

  removeFinalizer(grid: AnyGrid): Promise<void> {
    const rest = (grid.metadata.finalizers ?? []).filter((f) => f !== GRID_FINALIZER);
    return this.patchMetadata(grid, rest, 'remove finalizer');
  }

  /** Drops pool entries: `templatePool.<name>: null` in a merge patch. */
  async dropTemplates(grid: AnyGrid, names: string[]): Promise<void> {
    const pool = Object.fromEntries(names.map((n) => [n, null]));
    await this.patch(
      grid,
      { metadata: { resourceVersion: grid.metadata.resourceVersion }, spec: { templatePool: pool } },
      `drop unused templates ${names.join(', ')}`,
    );
  }

  /**
   * Replaces `status.rollout` and nothing else of the status (the status reconciler
   * writes the rest), if the grid is still the version the rollout was decided from.
   */
  async writeRollout(grid: AnyGrid, rollout: RolloutStatus): Promise<void> {
    const { namespace = 'default', name = '' } = grid.metadata;
    const body = [
      { op: 'test', path: '/metadata/resourceVersion', value: grid.metadata.resourceVersion },
      grid.status
        ? { op: 'add', path: '/status/rollout', value: rollout }
        : { op: 'add', path: '/status', value: { rollout } },
    ];
    await this.control.custom.patchNamespacedCustomObjectStatus(
      { group: GRID_GROUP, version: GRID_VERSION, plural: GRID_RESOURCES[grid.kind].plural, namespace, name, body },
      jsonPatch,
    );
  }

  /** Removes `status.rollout` (the grid is no longer Progressive), if the grid is still this version. */
  async clearRollout(grid: AnyGrid): Promise<void> {
    const { namespace = 'default', name = '' } = grid.metadata;
    const body = [
      { op: 'test', path: '/metadata/resourceVersion', value: grid.metadata.resourceVersion },
      { op: 'remove', path: '/status/rollout' },
    ];
    await this.control.custom.patchNamespacedCustomObjectStatus(
      { group: GRID_GROUP, version: GRID_VERSION, plural: GRID_RESOURCES[grid.kind].plural, namespace, name, body },
      jsonPatch,
    );
  }

  private patchMetadata(grid: AnyGrid, finalizers: string[], what: string): Promise<void> {
    return this.patch(grid, { metadata: { finalizers, resourceVersion: grid.metadata.resourceVersion } }, what);
  }

  private async patch(grid: AnyGrid, body: object, what: string): Promise<void> {
    const { namespace = 'default', name = '' } = grid.metadata;
    try {
      await this.control.custom.patchNamespacedCustomObject(
        { group: GRID_GROUP, version: GRID_VERSION, plural: GRID_RESOURCES[grid.kind].plural, namespace, name, body },
        mergePatch,
      );
    } catch (err) {
      // Gone: nothing left to write.
      if (isNotFound(err)) return;
      throw withContext(`grid ${namespace}/${name}: ${what}`, err);
    }
  }
}
