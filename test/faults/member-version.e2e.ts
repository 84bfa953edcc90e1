// Fault 7 of issue 13: a member cluster on another Kubernetes minor version than the
// control cluster (its kube-apiserver one minor behind, built from
// tools/local-cluster/kube-previous). It registers, says its version on the MemberCluster,
// gets its NodeUnit's workload, has its status aggregated, and takes an edit like the others.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CustomObjectsApi, VersionApi } from '@kubernetes/client-node';
import { GRIDFED_GROUP, GRIDFED_VERSION, type DeploymentGrid } from '#gridfed/grid-api';
import { MEMBER_CLUSTER_PLURAL, REACHABLE_CONDITION, type MemberCluster } from '#gridfed/cluster-registry';
import { previousMinorBinaries } from '../../tools/local-cluster/src/binaries.js';
import { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, example, gridfed, hubMetric, hubSuite } from '../hub/fixtures.js';
import { timedFault } from './fault-record.js';

const NS = 'faults-version';
const MEMBER = 'member-previous';
const ZONE = 'zone3';
/** The version kube-previous pins, e.g. v1.34.4. */
const PREVIOUS = /^\s*k8s\.io\/kubernetes (v\S+)/m.exec(
  readFileSync(resolve('tools/local-cluster/kube-previous/go.mod'), 'utf8'),
)![1]!;
const grid = example('deploymentgrid-fed.yaml', NS, 'elder') as DeploymentGrid;

let previous: LocalCluster;
const suite = hubSuite('hub-faults-version', NS, {
  tearDown: async (s) => {
    await s.grids.delete(grid).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(grid)).toBe(false), 60_000).catch(() => undefined);
    await gridfed(s.fleet, 'unregister', MEMBER).catch(() => undefined);
  },
});

beforeAll(async () => {
  // Its own folder, only ever served by the older apiserver (etcd data is not downgraded).
  previous = await LocalCluster.open(testFleetRoot(), MEMBER, previousMinorBinaries());
  await previous.start([{ name: `${MEMBER}-node-1`, labels: { zone: ZONE } }]);
}, 300_000);
afterAll(async () => {
  await previous?.stop();
}, 60_000);

const minorOf = (version: string | undefined): string | undefined => /^v1\.(\d+)\./.exec(version ?? '')?.[1];

async function memberCluster(): Promise<MemberCluster> {
  const custom = suite.fleet.control.kubeConfig().makeApiClient(CustomObjectsApi);
  return (await custom.getClusterCustomObject({
    group: GRIDFED_GROUP,
    version: GRIDFED_VERSION,
    plural: MEMBER_CLUSTER_PLURAL,
    name: MEMBER,
  })) as MemberCluster;
}

async function imageAndReplicas(): Promise<string> {
  const d = await apps(previous).readNamespacedDeployment({ name: `elder-${ZONE}`, namespace: NS });
  return `${d.spec?.template.spec?.containers[0]?.image ?? ''}x${d.spec?.replicas ?? 0}`;
}

/** The grid's status is of its current generation and shows zone3 with `replicas` ready, from the member. */
async function zoneStatus(replicas: number): Promise<void> {
  const live = await suite.grids.get(grid);
  expect(live.status?.observedGeneration).toBe(live.metadata.generation);
  const zone = (live.status?.states as Record<string, { readyReplicas?: number; clusters?: object }>)[ZONE];
  expect(zone?.readyReplicas).toBe(replicas);
  expect(Object.keys(zone?.clusters ?? {})).toEqual([MEMBER]);
}

describe('a member on the previous Kubernetes minor version', () => {
  it('runs the older apiserver, one minor behind the control cluster', async () => {
    const memberVersion = (await previous.kubeConfig().makeApiClient(VersionApi).getCode()).gitVersion;
    const controlVersion = (await suite.fleet.control.kubeConfig().makeApiClient(VersionApi).getCode()).gitVersion;
    expect(memberVersion).toBe(PREVIOUS);
    expect(Number(minorOf(memberVersion))).toBe(Number(minorOf(controlVersion)) - 1);
  });

  it('is registered with its version shown, gets its workload, reports status and takes an edit', async () => {
    await timedFault(
      `member on Kubernetes ${PREVIOUS}`,
      'registered; its version on the MemberCluster and in gridfed clusters; workload applied; status aggregated; edit applied',
      async () => {
        await gridfed(suite.fleet, 'register', MEMBER, '--kubeconfig', previous.kubeconfigPath);
        await eventually(async () => {
          const mc = await memberCluster();
          expect(mc.status?.kubernetesVersion).toBe(PREVIOUS);
          expect(mc.status?.conditions?.find((c) => c.type === REACHABLE_CONDITION)?.status).toBe('True');
        }, 60_000);
        expect(await gridfed(suite.fleet, 'clusters')).toMatch(new RegExp(`${MEMBER}\\s.*True.*${PREVIOUS}`));

        await suite.grids.create(grid);
        // Its nodes' NodeUnits, for the gridUniqKey a grid uses.
        await eventually(
          async () => expect((await memberCluster()).status?.nodeUnits).toEqual({ zone: [ZONE] }),
          60_000,
        );
        // zone3 has no entry in spec.templates: the default template test1 (2 replicas).
        await eventually(async () => expect(await imageAndReplicas()).toBe('superedge/echoserver:2.2x2'), 60_000);
        await eventually(() => zoneStatus(2), 60_000);

        await suite.grids.update(grid, (live) => {
          const template = (live as DeploymentGrid).spec.templatePool!['test1']!;
          template.replicas = 1;
          template.template!.spec!.containers[0]!.image = 'superedge/echoserver:2.3';
        });
        await eventually(async () => expect(await imageAndReplicas()).toBe('superedge/echoserver:2.3x1'), 60_000);
        await eventually(() => zoneStatus(1), 60_000);
      },
      () => hubMetric(suite.hub.url, 'gridfed_objects_applied_total'),
    );
  });
});
