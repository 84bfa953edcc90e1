// The grids the benchmark creates and the edits it makes to them and to their
// member workloads. Pure: every function builds a manifest or a patch body.
import type { V1Container, V1Deployment, V1DeploymentSpec } from '@kubernetes/client-node';
import { FED_LABEL, FED_LABEL_VALUE, GRID_API_VERSION, MANAGED_BY_LABEL, type DeploymentGrid } from '#gridfed/grid-api';
import { NODE_UNIT_KEY } from './layout.js';

export const BENCH_NAMESPACE = 'bench';
export const FLOOR_NAMESPACE = 'floor';
export const BASE_IMAGE = 'superedge/echoserver:2.2';
const CONTAINER = 'echo';
/** Floor objects must not carry gridfed's ownership label, or the hub would collect them as its own. */
export const FLOOR_MANAGED_BY = 'gridfed-bench-floor';

export function gridName(index: number): string {
  return `bench-${String(index).padStart(4, '0')}`;
}

/** One replica per NodeUnit: pod churn must not dominate a 2-core machine. */
export function benchTemplate(name: string, image = BASE_IMAGE, replicas = 1): V1DeploymentSpec {
  return {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: CONTAINER, image, ports: [{ containerPort: 8080, protocol: 'TCP' }] }] },
    },
  };
}

/** A fed DeploymentGrid over every NodeUnit of the `zone` key. */
export function benchGrid(name: string, namespace = BENCH_NAMESPACE): DeploymentGrid {
  return {
    apiVersion: GRID_API_VERSION,
    kind: 'DeploymentGrid',
    metadata: { name, namespace, labels: { [FED_LABEL]: FED_LABEL_VALUE } },
    spec: { gridUniqKey: NODE_UNIT_KEY, template: benchTemplate(name) },
  };
}

/** The image of a Deployment's (or template's) first container. */
export function containerImage(spec: V1DeploymentSpec | undefined): string | undefined {
  return spec?.template?.spec?.containers[0]?.image;
}

/** Merge patch setting the grid's default template image (a merge patch replaces the whole list). */
export function imagePatch(grid: DeploymentGrid, image: string): object {
  const containers: V1Container[] = (grid.spec.template.template.spec?.containers ?? []).map((c, i) =>
    i === 0 ? { ...c, image } : c,
  );
  return { spec: { template: { template: { spec: { containers } } } } };
}

/**
 * Merge patch giving `nodeUnit` its own pool template with `replicas` (the default
 * template otherwise), so only that NodeUnit's workload scales. Named after the count so
 * repeated scales of one grid never collide.
 */
export function scalePatch(grid: DeploymentGrid, nodeUnit: string, replicas: number): object {
  const templateName = `${nodeUnit}-r${replicas}`;
  return {
    spec: {
      templatePool: { [templateName]: { ...grid.spec.template, replicas } },
      templates: { [nodeUnit]: templateName },
    },
  };
}

/** Strategic merge patch changing one member workload's image: drift as an operator makes it. */
export function driftPatch(image: string): object {
  return { spec: { template: { spec: { containers: [{ name: CONTAINER, image }] } } } };
}

/** A rendered member Deployment moved to the floor namespace and disowned by gridfed. */
export function floorObject(rendered: V1Deployment): V1Deployment {
  const metadata = rendered.metadata ?? {};
  return {
    ...rendered,
    metadata: {
      ...metadata,
      namespace: FLOOR_NAMESPACE,
      labels: { ...metadata.labels, [MANAGED_BY_LABEL]: FLOOR_MANAGED_BY },
    },
  };
}
