// NodeGroup status.workloadstatus: per grid that follows the NodeGroup (a fed grid whose gridUniqKey
// is the NodeGroup's name, so its NodeUnits are the NodeGroup's), which of the NodeGroup's NodeUnits
// run it ready, as the grid's own status says.
import { FED_LABEL, FED_LABEL_VALUE, gridKey, gridRefOf, nodeUnitRows, type AnyGrid } from '#gridfed/grid-api';
import type { NodeGroupWorkloadStatus } from '#gridfed/site-api';

/** One entry per following grid, sorted by `Kind/namespace/name`; a NodeUnit with no ready member object is not ready. */
export function nodeGroupWorkloadStatus(
  nodeGroup: string,
  nodeUnits: string[],
  grids: AnyGrid[],
): NodeGroupWorkloadStatus[] {
  return grids
    .filter((g) => g.metadata.labels?.[FED_LABEL] === FED_LABEL_VALUE && g.spec.gridUniqKey === nodeGroup)
    .map((grid) => {
      const rows = nodeUnitRows(grid);
      const ready = (nu: string) => {
        const mine = rows.filter((r) => r.nodeUnit === nu);
        return mine.length > 0 && mine.every((r) => r.ready);
      };
      return {
        workloadname: gridKey(gridRefOf(grid)),
        readyunit: nodeUnits.filter(ready),
        notreadyunit: nodeUnits.filter((nu) => !ready(nu)),
      };
    })
    .sort((a, b) => a.workloadname.localeCompare(b.workloadname));
}
