// Labels on every object gridfed renders: ownership (garbage collection is a label query
// on them) and the two SuperEdge puts on its own generated objects.
import {
  FED_LABEL,
  GRID_KIND_LABEL,
  GRID_NAME_LABEL,
  GRID_NAMESPACE_LABEL,
  GRID_SELECTOR_LABEL,
  GRID_UID_LABEL,
  GRID_UNIQ_KEY_LABEL,
  isValidNodeUnit,
  labelValueFor,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MEMBER_CLUSTER_LABEL,
  NODE_UNIT_LABEL,
  type AnyGrid,
} from '#gridfed/grid-api';
import { gridIdentity } from './grid-context.js';

/**
 * The grid's own labels (minus `superedge.io/fed`: a member that is itself a hub would
 * distribute the copy again) under gridfed's, which win so a grid cannot fake ownership.
 * `nodeUnit` is given for workloads, not for a ServiceGrid's Service. These go on the
 * object only: a pod selector is immutable, so they never enter it or the pod template.
 */
export function memberLabels(grid: AnyGrid, memberCluster: string, nodeUnit?: string): Record<string, string> {
  const { namespace, name } = gridIdentity(grid);
  const own = { ...grid.metadata.labels };
  delete own[FED_LABEL];
  return {
    ...own,
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [GRID_KIND_LABEL]: grid.kind,
    [GRID_NAMESPACE_LABEL]: namespace,
    [GRID_NAME_LABEL]: labelValueFor(name),
    ...(grid.metadata.uid ? { [GRID_UID_LABEL]: grid.metadata.uid } : {}),
    ...(nodeUnit === undefined ? {} : { [NODE_UNIT_LABEL]: nodeUnit }),
    [MEMBER_CLUSTER_LABEL]: labelValueFor(memberCluster),
    [GRID_SELECTOR_LABEL]: labelValueFor(name),
    ...uniqKeyLabel(grid.spec.gridUniqKey),
  };
}

/**
 * A prefixed key (`topology.kubernetes.io/zone`) is a valid gridUniqKey but not a label
 * value: the member would reject the whole object, so the label is left off instead.
 * (A NodeUnit is exactly a label value, hence the check used.)
 */
function uniqKeyLabel(gridUniqKey: string): Record<string, string> {
  return isValidNodeUnit(gridUniqKey) ? { [GRID_UNIQ_KEY_LABEL]: gridUniqKey } : {};
}
