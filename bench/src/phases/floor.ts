// The physical floor: the same member Deployments the hub fans out, server-side applied
// straight to the members by the smallest loop client-node allows, at the hub's
// concurrency per member. Timed like the hub's fan-out, from the first apply: until the
// apply loop returns, until the bench's watches see every Deployment in its member, and
// until every one is ready (the members' controllers, scheduler and kwok at work, as they
// are during the fan-out). The floor namespace is deleted afterwards and waited for until
// gone, so the next phase meets the same empty, idle members.
// It runs twice: with client-node as it ships (a new TLS connection per request) and
// with one connection pool per member, as the hub itself runs; the faster is the floor.
import { randomUUID } from 'node:crypto';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import pLimit from 'p-limit';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderWorkload } from '#gridfed/grid-render';
import { revisionHash, templateSetOf } from '#gridfed/rollout';
import { shareConnections } from '#gridfed/kube';
import { deploymentWatch, ensureNamespace, type BenchContext } from '../context.js';
import { benchGrid, floorObject, FLOOR_MANAGED_BY, FLOOR_NAMESPACE, gridName } from '../grids.js';
import { MEMBERS, memberOf, NODE_UNITS } from '../layout.js';
import { every, progress } from '../log.js';
import type { Milestones } from '../milestones.js';
import type { Throughput } from '../report.js';
import { ratePerSecond, round } from '../stats.js';
import type { ObjectWatch } from '../watch.js';
import { WorkloadMilestones, workloadReady } from '../workload-milestones.js';

const FIELD_MANAGER = 'gridfed-bench-floor';
const WARM_UP = 'floor-warm-up';
const applyContentType = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

/** The member Deployments of `grids` bench grids, as the hub renders them, per member, in the floor namespace. */
export function floorObjects(grids: number): Map<string, V1Deployment[]> {
  const byMember = new Map<string, V1Deployment[]>(MEMBERS.map((m) => [m, []]));
  for (let i = 0; i < grids; i++) {
    const grid = benchGrid(gridName(i));
    grid.metadata.uid = randomUUID();
    for (const nodeUnit of NODE_UNITS) {
      const member = memberOf(nodeUnit);
      byMember
        .get(member)!
        .push(floorObject(renderWorkload(grid, nodeUnit, member, revisionHash(templateSetOf(grid))).object));
    }
  }
  return byMember;
}

function apply(apps: AppsV1Api, body: V1Deployment): Promise<V1Deployment> {
  const name = body.metadata?.name ?? '';
  return apps.patchNamespacedDeployment(
    { name, namespace: FLOOR_NAMESPACE, body, fieldManager: FIELD_MANAGER, force: true },
    applyContentType,
  );
}

/** A client of its own, as a minimal tool would make one; `pooled`: with shared connections. */
function freshApps(kubeconfigPath: string, pooled: boolean): AppsV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return (pooled ? shareConnections(kc) : kc).makeApiClient(AppsV1Api);
}

export type FloorClient = 'pooled' | 'per-request';

export interface FloorOutcome {
  client: FloorClient;
  /** The apply loop alone: from the first apply until the loop returned. */
  throughput: Throughput;
  milestones: Milestones;
}

/**
 * Applies the floor objects and times the three milestones from the first apply; then
 * deletes the floor namespace and waits until it is gone, so the next phase starts from
 * the same empty, idle members.
 */
export async function runFloor(ctx: BenchContext, client: FloorClient): Promise<FloorOutcome> {
  const objects = floorObjects(ctx.config.grids);
  const total = [...objects.values()].reduce((n, list) => n + list.length, 0);
  const clients = new Map(
    [...ctx.members.values()].map((m) => [m.name, freshApps(m.cluster.kubeconfigPath, client === 'pooled')]),
  );
  await Promise.all([...ctx.members.values()].map((m) => ensureNamespace(m.cluster.kubeConfig(), FLOOR_NAMESPACE)));
  const watches = new Map(
    [...ctx.members.values()].map((m) => [
      m.name,
      deploymentWatch(m.name, m.cluster.kubeConfig(), FLOOR_NAMESPACE, FLOOR_MANAGED_BY),
    ]),
  );
  await Promise.all([...watches.values()].map((w) => w.start()));
  try {
    await warmUp(ctx, clients, watches, objects);
    return await timeFloor(ctx, client, clients, watches, objects, total);
  } finally {
    await Promise.all([...watches.values()].map((w) => w.stop()));
    await removeFloor(ctx);
  }
}

async function timeFloor(
  ctx: BenchContext,
  client: FloorClient,
  clients: Map<string, AppsV1Api>,
  watches: Map<string, ObjectWatch<V1Deployment>>,
  objects: Map<string, V1Deployment[]>,
  total: number,
): Promise<FloorOutcome> {
  const label = `floor (${client} connections)`;
  const targets = [...objects].map(([member, list]) => ({
    member,
    watch: watches.get(member)!,
    names: list.map((d) => d.metadata?.name ?? ''),
  }));
  const milestones = new WorkloadMilestones(targets, ctx.config.timeoutSeconds * 1000, label);
  let applied = 0;
  const stopProgress = every(5000, () => {
    const c = milestones.counts();
    progress(`${label}: ${applied}/${total} applied, ${c.exists} exist, ${c.ready} ready`);
  });
  progress(`${label}: applying ${total} Deployments straight to the members, ${ctx.config.concurrency} at a time each`);
  const start = performance.now();
  try {
    await Promise.all(
      [...objects].map(([member, list]) => {
        const limit = pLimit(ctx.config.concurrency);
        return Promise.all(list.map((body) => limit(() => apply(clients.get(member)!, body).then(() => applied++))));
      }),
    );
    const seconds = round((performance.now() - start) / 1000, 2);
    progress(`${label}: apply loop returned after ${seconds} s; waiting until every Deployment is ready`);
    const { existsSeconds, readySeconds } = await milestones.settle(start);
    return {
      client,
      throughput: { objects: total, seconds, objectsPerSecond: ratePerSecond(total, seconds) },
      milestones: { appliedSeconds: seconds, existsSeconds, readySeconds },
    };
  } finally {
    stopProgress();
  }
}

/**
 * One untimed apply per member first, so neither side pays an apiserver's first-request
 * costs; waited until ready, so the members' controllers are idle when the clock starts.
 */
async function warmUp(
  ctx: BenchContext,
  clients: Map<string, AppsV1Api>,
  watches: Map<string, ObjectWatch<V1Deployment>>,
  objects: Map<string, V1Deployment[]>,
): Promise<void> {
  await Promise.all(
    [...objects].map(async ([member, list]) => {
      const sample = list[0];
      if (!sample) return;
      const body = { ...sample, metadata: { ...sample.metadata, name: WARM_UP } };
      await apply(clients.get(member)!, body);
      await watches.get(member)!.when(WARM_UP, workloadReady, ctx.config.timeoutSeconds * 1000, `${member}: warm-up`);
    }),
  );
}

async function removeFloor(ctx: BenchContext): Promise<void> {
  progress(`floor: deleting namespace ${FLOOR_NAMESPACE} in the members and waiting until its pods are gone`);
  const deadline = Date.now() + ctx.config.timeoutSeconds * 1000;
  const cores = [...ctx.members.values()].map((m) => ({
    name: m.name,
    core: m.cluster.kubeConfig().makeApiClient(CoreV1Api),
  }));
  await Promise.all(cores.map(({ core }) => core.deleteNamespace({ name: FLOOR_NAMESPACE })));
  let remaining = cores.map((c) => c.name);
  while (remaining.length > 0) {
    if (Date.now() > deadline) {
      throw new Error(
        `floor: namespace ${FLOOR_NAMESPACE} still exists in ${remaining.join(', ')} after ${ctx.config.timeoutSeconds} s`,
      );
    }
    await sleep(1000);
    const exists = await Promise.all(cores.map(({ core }) => namespaceExists(core, FLOOR_NAMESPACE)));
    remaining = cores.filter((_, i) => exists[i]).map((c) => c.name);
  }
  progress('floor: namespace gone in every member');
}

async function namespaceExists(core: CoreV1Api, name: string): Promise<boolean> {
  try {
    await core.readNamespace({ name });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return false;
    throw err;
  }
}
