// What every phase works with: admin clients, live views of the grids (control) and of
// the member Deployments gridfed manages, and the grids as the bench last wrote them.
import {
  AppsV1Api,
  CustomObjectsApi,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import {
  GRID_GROUP,
  GRID_RESOURCES,
  GRID_VERSION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type DeploymentGrid,
} from '#gridfed/grid-api';
import type { ListResult } from '#gridfed/kube';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import type { BenchConfig } from './config.js';
import type { BenchFleet } from './environment.js';
import { BENCH_NAMESPACE } from './grids.js';
import { memberOf } from './layout.js';
import { progress } from './log.js';
import { ObjectWatch } from './watch.js';
import { ensureNamespace } from '../../tools/local-hub/namespaces.js';

export interface MemberView {
  name: string;
  cluster: LocalCluster;
  apps: AppsV1Api;
  /** gridfed's Deployments in the bench namespace. */
  deployments: ObjectWatch<V1Deployment>;
}

export interface BenchContext {
  config: BenchConfig;
  fleet: BenchFleet;
  custom: CustomObjectsApi;
  grids: ObjectWatch<DeploymentGrid>;
  members: ReadonlyMap<string, MemberView>;
  /** Each grid as the apiserver answered the bench's last create or patch. */
  gridObjects: Map<string, DeploymentGrid>;
}

const PLURAL = GRID_RESOURCES.DeploymentGrid.plural;
const gridTarget = { group: GRID_GROUP, version: GRID_VERSION, plural: PLURAL, namespace: BENCH_NAMESPACE };

export async function openContext(fleet: BenchFleet, config: BenchConfig): Promise<BenchContext> {
  const controlKc = fleet.control.kubeConfig();
  await ensureNamespace(controlKc, BENCH_NAMESPACE);
  const custom = controlKc.makeApiClient(CustomObjectsApi);
  const grids = new ObjectWatch<DeploymentGrid>(BENCH_NAMESPACE, {
    name: `control/${PLURAL}`,
    kc: controlKc,
    path: `/apis/${GRID_GROUP}/${GRID_VERSION}/namespaces/${BENCH_NAMESPACE}/${PLURAL}`,
    list: async () => (await custom.listNamespacedCustomObject(gridTarget)) as ListResult<DeploymentGrid>,
    log: (_level, message) => progress(`watch: ${message}`),
  });
  const members = new Map([...fleet.members].map(([name, cluster]) => [name, memberView(name, cluster)]));
  await Promise.all([grids.start(), ...[...members.values()].map((m) => m.deployments.start())]);
  return { config, fleet, custom, grids, members, gridObjects: new Map() };
}

export async function closeContext(ctx: BenchContext): Promise<void> {
  await Promise.all([ctx.grids.stop(), ...[...ctx.members.values()].map((m) => m.deployments.stop())]);
}

function memberView(name: string, cluster: LocalCluster): MemberView {
  const kc = cluster.kubeConfig();
  const apps = kc.makeApiClient(AppsV1Api);
  const deployments = deploymentWatch(name, kc, BENCH_NAMESPACE, MANAGED_BY_VALUE);
  return { name, cluster, apps, deployments };
}

/** A live view of the Deployments in `namespace` of member `name` whose managed-by label is `managedBy`. */
export function deploymentWatch(
  name: string,
  kc: KubeConfig,
  namespace: string,
  managedBy: string,
): ObjectWatch<V1Deployment> {
  const apps = kc.makeApiClient(AppsV1Api);
  const labelSelector = `${MANAGED_BY_LABEL}=${managedBy}`;
  return new ObjectWatch<V1Deployment>(namespace, {
    name: `${name}/${namespace}/deployments`,
    kc,
    path: `/apis/apps/v1/namespaces/${namespace}/deployments`,
    labelSelector,
    list: (selector) => apps.listNamespacedDeployment({ namespace, labelSelector: selector }),
    log: (_level, message) => progress(`watch: ${message}`),
  });
}

/** The member hosting `nodeUnit`. */
export function memberFor(ctx: BenchContext, nodeUnit: string): MemberView {
  const name = memberOf(nodeUnit);
  const view = ctx.members.get(name);
  if (!view) throw new Error(`member ${name} (hosting ${nodeUnit}) is not in the fleet`);
  return view;
}

export function gridObject(ctx: BenchContext, name: string): DeploymentGrid {
  const grid = ctx.gridObjects.get(name);
  if (!grid) throw new Error(`grid ${BENCH_NAMESPACE}/${name} was not created by this run`);
  return grid;
}

export async function createGrid(ctx: BenchContext, grid: DeploymentGrid): Promise<DeploymentGrid> {
  const created = (await ctx.custom.createNamespacedCustomObject({ ...gridTarget, body: grid })) as DeploymentGrid;
  ctx.gridObjects.set(created.metadata.name ?? '', created);
  return created;
}

export { ensureNamespace };

export async function patchGrid(ctx: BenchContext, name: string, patch: object): Promise<DeploymentGrid> {
  const patched = (await ctx.custom.patchNamespacedCustomObject(
    { ...gridTarget, name, body: patch },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  )) as DeploymentGrid;
  ctx.gridObjects.set(name, patched);
  return patched;
}
