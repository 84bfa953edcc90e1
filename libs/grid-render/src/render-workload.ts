// One member Deployment or StatefulSet: a grid's template pinned to one NodeUnit.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import {
  GRID_NAME_ANNOTATION,
  REPLICAS_MANAGED_BY_ANNOTATION,
  REVISION_LABEL,
  workloadName,
  type DeploymentGrid,
  type StatefulSetGrid,
  type WorkloadGrid,
} from '#gridfed/grid-api';
import { gridError, gridIdentity } from './grid-context.js';
import { TEMPLATE_ANNOTATION } from './keys.js';
import { memberLabels } from './member-labels.js';
import {
  withDesiredHash,
  type MemberDeployment,
  type MemberObjectMeta,
  type MemberStatefulSet,
  type MemberWorkload,
  type RenderedObject,
} from './rendered-object.js';
import { pointAtSiteConfigCopies, type SiteConfigInputs } from './site-config-copies.js';
import { chooseTemplate, type ChosenTemplate, type WorkloadSpec } from './template-choice.js';

/**
 * `{grid}-{nodeunit}` in the grid's namespace, from the template `chooseTemplate` picks,
 * its pods pinned to the NodeUnit with `nodeSelector[gridUniqKey] = nodeUnit`. The grid
 * itself is never changed. Name length limits are validation's business, not checked here.
 * With `siteConfigs`, references to a SiteConfig in the pod template are pointed at the
 * NodeUnit's copy (site-config-copies.ts); without, the template is taken as it is.
 */
export function renderWorkload(
  grid: DeploymentGrid,
  nodeUnit: string,
  memberCluster: string,
  revision?: string,
  siteConfigs?: SiteConfigInputs,
): RenderedObject<MemberDeployment>;
export function renderWorkload(
  grid: StatefulSetGrid,
  nodeUnit: string,
  memberCluster: string,
  revision?: string,
  siteConfigs?: SiteConfigInputs,
): RenderedObject<MemberStatefulSet>;
export function renderWorkload(
  grid: WorkloadGrid,
  nodeUnit: string,
  memberCluster: string,
  revision?: string,
  siteConfigs?: SiteConfigInputs,
): RenderedObject<MemberWorkload>;
export function renderWorkload(
  grid: WorkloadGrid,
  nodeUnit: string,
  memberCluster: string,
  revision?: string,
  siteConfigs?: SiteConfigInputs,
): RenderedObject<MemberWorkload> {
  if (grid.kind === 'DeploymentGrid') {
    const chosen = chooseTemplate(grid, nodeUnit);
    const metadata = workloadMetadata(grid, chosen, nodeUnit, memberCluster, revision);
    return withDesiredHash({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: pinnedSpec(grid, chosen, nodeUnit, siteConfigs),
    });
  }
  const chosen = chooseTemplate(grid, nodeUnit);
  const metadata = workloadMetadata(grid, chosen, nodeUnit, memberCluster, revision);
  return withDesiredHash({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata,
    spec: pinnedSpec(grid, chosen, nodeUnit, siteConfigs),
  });
}

function workloadMetadata(
  grid: WorkloadGrid,
  chosen: ChosenTemplate,
  nodeUnit: string,
  memberCluster: string,
  revision: string | undefined,
): MemberObjectMeta {
  const { namespace, name } = gridIdentity(grid);
  const labels = memberLabels(grid, memberCluster, nodeUnit);
  return {
    name: workloadName(name, nodeUnit),
    namespace,
    // The revision on the object, not its pods: a site's revision is observed without a restart.
    labels: revision === undefined ? labels : { ...labels, [REVISION_LABEL]: revision },
    annotations: {
      [GRID_NAME_ANNOTATION]: name,
      [TEMPLATE_ANNOTATION]: chosen.name,
      // Part of the desired hash: switching who owns replicas is a change to apply.
      [REPLICAS_MANAGED_BY_ANNOTATION]: grid.spec.replicasManagedBy ?? 'grid',
    },
  };
}

/** A copy of the chosen template whose pods only run on the NodeUnit's nodes. */
function pinnedSpec<S extends WorkloadSpec>(
  grid: WorkloadGrid,
  chosen: ChosenTemplate<S>,
  nodeUnit: string,
  siteConfigs: SiteConfigInputs | undefined,
): S {
  const spec = structuredClone(chosen.spec);
  // The types say `template.spec` is there; a grid read from the API may still lack it.
  const podSpec = spec.template?.spec;
  if (!podSpec) {
    const message = 'is missing: a member workload needs a pod spec to pin to its NodeUnit';
    throw gridError(grid, `${chosen.field}.template.spec`, message);
  }
  // The grid's key wins: a template cannot send a NodeUnit's pods to another NodeUnit.
  podSpec.nodeSelector = { ...podSpec.nodeSelector, [grid.spec.gridUniqKey]: nodeUnit };
  dropCreationTimestamp(spec.template.metadata);
  if (siteConfigs) pointAtSiteConfigCopies(grid, chosen.field, spec.template, nodeUnit, siteConfigs);
  if ('volumeClaimTemplates' in spec)
    spec.volumeClaimTemplates?.forEach((claim) => dropCreationTimestamp(claim.metadata));
  return spec;
}

/**
 * `creationTimestamp: null` comes with every template `kubectl create --dry-run` prints.
 * Applied, it would make gridfed own a field the API server always clears, and show as
 * a difference on every comparison; a template's creation time means nothing anyway.
 */
function dropCreationTimestamp(metadata: V1ObjectMeta | undefined): void {
  if (metadata && 'creationTimestamp' in metadata) delete metadata.creationTimestamp;
}
