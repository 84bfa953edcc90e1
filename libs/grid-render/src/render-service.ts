// The member Service of a ServiceGrid: one per member cluster, kept inside each NodeUnit.
import type { V1ServiceSpec } from '@kubernetes/client-node';
import { GRID_NAME_ANNOTATION, serviceName, TOPOLOGY_KEYS_ANNOTATION, type ServiceGrid } from '#gridfed/grid-api';
import { gridIdentity } from './grid-context.js';
import { memberLabels } from './member-labels.js';
import { withDesiredHash, type MemberService, type RenderedObject } from './rendered-object.js';

const HEADLESS = 'None';

/**
 * `{grid}-svc` in the grid's namespace, with the `topologyKeys: ["<gridUniqKey>"]`
 * annotation SuperEdge's service wrapper reads to keep traffic inside the NodeUnit.
 */
export function renderService(grid: ServiceGrid, memberCluster: string): RenderedObject<MemberService> {
  const { namespace, name } = gridIdentity(grid);
  const metadata = {
    name: serviceName(name),
    namespace,
    labels: memberLabels(grid, memberCluster),
    annotations: {
      [GRID_NAME_ANNOTATION]: name,
      [TOPOLOGY_KEYS_ANNOTATION]: JSON.stringify([grid.spec.gridUniqKey]),
    },
  };
  return withDesiredHash({ apiVersion: 'v1', kind: 'Service', metadata, spec: memberServiceSpec(grid.spec.template) });
}

/**
 * Each member allocates cluster IPs from its own service range, so an address written in
 * the template is dropped; only "headless" (`None`) carries over, as it is not an address.
 */
function memberServiceSpec(template: V1ServiceSpec): V1ServiceSpec {
  const spec = structuredClone(template);
  if (spec.clusterIP !== HEADLESS) delete spec.clusterIP;
  const headlessIPs = spec.clusterIPs?.length === 1 && spec.clusterIPs[0] === HEADLESS;
  if (!headlessIPs) delete spec.clusterIPs;
  return spec;
}
