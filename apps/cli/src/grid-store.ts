// The CLI's reads and writes of grids and their revisions in the control cluster.
import type { V1ControllerRevision } from '@kubernetes/client-node';
import {
  GRID_GROUP,
  GRID_KIND_LABEL,
  GRID_NAME_ANNOTATION,
  GRID_RESOURCES,
  GRID_VERSION,
  type AnyGrid,
  type GridKind,
} from '#gridfed/grid-api';
import { CliError, step } from './cli-output.js';
import type { CliClients } from './kube-access.js';

export interface GridId {
  kind: GridKind;
  namespace: string;
  name: string;
}

const target = (id: GridId) => ({
  group: GRID_GROUP,
  version: GRID_VERSION,
  plural: GRID_RESOURCES[id.kind].plural,
  namespace: id.namespace,
});

export const describeGrid = (id: GridId): string => `${id.kind} ${id.namespace}/${id.name}`;

export async function readGrid(control: CliClients, id: GridId): Promise<AnyGrid> {
  try {
    const grid = (await control.custom.getNamespacedCustomObject({ ...target(id), name: id.name })) as AnyGrid;
    return { ...grid, kind: id.kind } as AnyGrid;
  } catch (err) {
    if ((err as { code?: number }).code === 404) throw new CliError(`${describeGrid(id)} not found`);
    return step(`read ${describeGrid(id)}`, () => Promise.reject(err));
  }
}

/** Read-modify-write of the whole grid, again on a conflict (the hub writes grids too). */
export async function updateGrid(control: CliClients, id: GridId, mutate: (grid: AnyGrid) => void): Promise<AnyGrid> {
  for (let attempt = 0; ; attempt++) {
    const grid = await readGrid(control, id);
    mutate(grid);
    try {
      return (await control.custom.replaceNamespacedCustomObject({
        ...target(id),
        name: id.name,
        body: grid,
      })) as AnyGrid;
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt >= 5) {
        return step(`update ${describeGrid(id)}`, () => Promise.reject(err));
      }
    }
  }
}

/** The grid's revisions (ControllerRevisions the hub keeps), oldest first. */
export async function listRevisions(control: CliClients, id: GridId): Promise<V1ControllerRevision[]> {
  const list = await step(`list revisions of ${describeGrid(id)}`, () =>
    control.apps.listNamespacedControllerRevision({
      namespace: id.namespace,
      labelSelector: `${GRID_KIND_LABEL}=${id.kind}`,
    }),
  );
  return list.items
    .filter((r) => r.metadata?.annotations?.[GRID_NAME_ANNOTATION] === id.name)
    .sort((a, b) => a.revision - b.revision);
}
