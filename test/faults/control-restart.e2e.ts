// Fault 2 of issue 13: the control cluster's kube-apiserver down for a while, then grids
// edited, deleted and created as it comes back, and its etcd compacted before one more
// restart, so every watch the hub holds resumes from a resourceVersion that is gone
// (410 Expired) and must relist. Nothing the edits declared may be lost: the edited grid's
// workloads change, the deleted grid's leave no orphan, the created grid's appear, and
// status.states is written again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, example, hubMetric, hubSuite } from '../hub/fixtures.js';
import { faultSeconds, timedFault } from './fault-record.js';

const NS = 'faults-control';
const edited = example('deploymentgrid-fed.yaml', NS, 'atlas') as DeploymentGrid;
const deleted = example('deploymentgrid-fed.yaml', NS, 'ghost') as DeploymentGrid;
const created = example('deploymentgrid-fed.yaml', NS, 'nova') as DeploymentGrid;
const suite = hubSuite('hub-faults-control', NS, {
  setUp: async (s) => {
    await s.grids.create(edited);
    await s.grids.create(deleted);
  },
  tearDown: async (s) => {
    await s.fleet.control.startApiserver().catch(() => undefined);
    // Its watches come back on their own backoff; a fresh one lists at once (see LocalCluster).
    await s.fleet.control.restartControllers();
    for (const g of [edited, deleted, created]) await s.grids.delete(g).catch(() => undefined);
    await eventually(async () => {
      for (const g of [edited, deleted, created]) expect(await s.grids.exists(g)).toBe(false);
    }, 60_000).catch(() => undefined);
  },
});

const hubLog = (): string => readFileSync(join(testFleetRoot(), 'hub-faults-control.log'), 'utf8');
const applied = (): Promise<number> => hubMetric(suite.hub.url, 'gridfed_objects_applied_total');
const requestsToControl = (): Promise<number> =>
  hubMetric(suite.hub.url, 'gridfed_kube_requests_total', 'cluster="control"');
/** Every watch the hub holds on the control cluster. */
const CONTROL_WATCHES = [
  'deploymentgrids',
  'statefulsetgrids',
  'servicegrids',
  'controllerrevisions',
  'memberclusters',
  'secrets/gridfed-system',
  'leases/gridfed-system',
];

/** gridfed's Deployments of this namespace in both members, as `member/name image×replicas`. */
async function memberDeployments(): Promise<string[]> {
  const found: string[] = [];
  for (const member of [suite.fleet.member1, suite.fleet.member2]) {
    for (const d of (await apps(member).listNamespacedDeployment({ namespace: NS })).items) {
      const image = d.spec?.template.spec?.containers[0]?.image ?? '';
      found.push(`${member.name}/${d.metadata?.name ?? ''} ${image}x${d.spec?.replicas ?? 0}`);
    }
  }
  return found.sort();
}

/** The grid's status is of its current generation and shows every NodeUnit with `replicas` ready. */
async function statusCurrent(grid: DeploymentGrid, replicas: Record<'zone1' | 'zone2', number>): Promise<void> {
  const live = await suite.grids.get(grid);
  expect(live.status?.observedGeneration).toBe(live.metadata.generation);
  const states = (live.status?.states ?? {}) as Record<string, { readyReplicas?: number }>;
  expect({ zone1: states['zone1']?.readyReplicas, zone2: states['zone2']?.readyReplicas }).toEqual(replicas);
}

async function editImageAndReplicas(image: string, replicas: number): Promise<void> {
  await suite.grids.update(edited, (live) => {
    for (const name of ['test1', 'test2']) {
      const template = (live as DeploymentGrid).spec.templatePool![name]!;
      template.replicas = replicas;
      template.template!.spec!.containers[0]!.image = image;
    }
  });
}

describe('the control apiserver restarted over a compacted etcd', () => {
  it('starts from converged grids', async () => {
    await eventually(
      async () =>
        expect(await memberDeployments()).toEqual([
          'member-1/atlas-zone1 superedge/echoserver:2.2x2',
          'member-1/ghost-zone1 superedge/echoserver:2.2x2',
          'member-2/atlas-zone2 superedge/echoserver:2.2x3',
          'member-2/ghost-zone2 superedge/echoserver:2.2x3',
        ]),
      60_000,
    );
    await eventually(() => statusCurrent(edited, { zone1: 2, zone2: 3 }), 60_000);
  });

  it('relists after 410 Gone and loses no edit, deletion or creation made while its watches were away', async () => {
    const downSeconds = faultSeconds('CONTROL_RESTART', 10);
    const control = suite.fleet.control;
    await timedFault(
      `control apiserver down ${downSeconds} s, etcd compacted`,
      'edit, delete, create as it returned; every watch relisted on 410; members exactly as declared, no orphan; status rewritten; < 10 req/s to it while down',
      async () => {
        await control.stopApiserver();
        // No hot retry loop while it is down: watches, Lease writes and status writes back off.
        await new Promise((r) => setTimeout(r, (downSeconds * 1000) / 2));
        const before = await requestsToControl();
        await new Promise((r) => setTimeout(r, (downSeconds * 1000) / 2));
        expect(((await requestsToControl()) - before) / (downSeconds / 2)).toBeLessThan(10);
        // Made while the hub's watches still back off, then history compacted under them.
        await control.startApiserver();
        await editImageAndReplicas('superedge/echoserver:2.3', 1);
        await suite.grids.delete(deleted);
        await suite.grids.create(created);
        await control.stopApiserver();
        const compactedAt = await control.compactEtcd();
        const logBefore = hubLog().length;
        await control.startApiserver();

        await eventually(async () => {
          expect(await memberDeployments()).toEqual([
            'member-1/atlas-zone1 superedge/echoserver:2.3x1',
            'member-1/nova-zone1 superedge/echoserver:2.2x2',
            'member-2/atlas-zone2 superedge/echoserver:2.3x1',
            'member-2/nova-zone2 superedge/echoserver:2.2x3',
          ]);
          expect(await suite.grids.exists(deleted)).toBe(false);
          await statusCurrent(edited, { zone1: 1, zone2: 1 });
          await statusCurrent(created, { zone1: 2, zone2: 3 });
        }, 120_000);
        // Every watch comes back on a resourceVersion older than the compaction, gets 410 and
        // relists (some only once the restarted apiserver's watch caches are ready).
        await eventually(async () => {
          const relists = hubLog().slice(logBefore);
          for (const watch of CONTROL_WATCHES) {
            const from = [
              ...relists.matchAll(new RegExp(`control/${watch}: watch from resourceVersion (\\d+) expired`, 'g')),
            ];
            expect({ watch, relists: from.length > 0 }).toEqual({ watch, relists: true });
            for (const m of from) expect(Number(m[1])).toBeLessThanOrEqual(compactedAt);
          }
        }, 60_000);
        expect(suite.hub.pid).toBeDefined();
      },
      applied,
    );
  });
});
