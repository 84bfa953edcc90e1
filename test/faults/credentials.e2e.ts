// Fault 5 of issue 13: a member's credentials revoked (the token Secret of the hub's
// ServiceAccount in the member deleted). The MemberCluster (condition and Events) says so and how to heal it, the
// hub neither crashes nor hammers the member, the other member is served as before, and
// registering the member again heals it.
import { describe, expect, it } from '@jest/globals';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { MEMBER_AGENT_NAMESPACE, MEMBER_AGENT_TOKEN_SECRET } from '#gridfed/cluster-registry';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, core, example, gridfed, hubMetric, hubSuite, reachableCondition } from '../hub/fixtures.js';
import { recordFault } from './fault-record.js';

const NS = 'faults-credentials';
const grid = example('deploymentgrid-fed.yaml', NS, 'badge') as DeploymentGrid;
const suite = hubSuite('hub-faults-credentials', NS, {
  setUp: async (s) => {
    await s.grids.create(grid);
  },
  tearDown: async (s) => {
    await gridfed(s.fleet, 'register', 'member-2', '--kubeconfig', s.fleet.member2.kubeconfigPath).catch(
      () => undefined,
    );
    await s.grids.delete(grid).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(grid)).toBe(false), 60_000).catch(() => undefined);
  },
});

const reachable = (member: string) => reachableCondition(suite.fleet, member);

/** The reasons of the Events recorded on a MemberCluster (cluster-scoped: in "default", as for Nodes). */
async function memberEventReasons(member: string): Promise<string[]> {
  const events = await core(suite.fleet.control).listNamespacedEvent({
    namespace: 'default',
    fieldSelector: `involvedObject.kind=MemberCluster,involvedObject.name=${member}`,
  });
  return events.items.map((e) => `${e.type}/${e.reason}`);
}

const appliedObjects = (): Promise<number> => hubMetric(suite.hub.url, 'gridfed_objects_applied_total');
const requestsTo = (member: string): Promise<number> =>
  hubMetric(suite.hub.url, 'gridfed_kube_requests_total', `cluster="${member}"`);

const image = async (zone: 'zone1' | 'zone2') => {
  const member = zone === 'zone1' ? suite.fleet.member1 : suite.fleet.member2;
  const d = await apps(member).readNamespacedDeployment({ name: `badge-${zone}`, namespace: NS });
  return d.spec?.template.spec?.containers[0]?.image;
};

async function setImage(value: string): Promise<void> {
  await suite.grids.update(grid, (live) => {
    for (const name of ['test1', 'test2'])
      (live as DeploymentGrid).spec.templatePool![name]!.template!.spec!.containers[0]!.image = value;
  });
}

describe("a member's credentials revoked", () => {
  it('says so on the MemberCluster, does not hammer the member, keeps serving the other, and heals on register', async () => {
    await eventually(async () => expect(await image('zone2')).toBe('superedge/echoserver:2.2'), 60_000);
    const started = performance.now();
    const appliedBefore = await appliedObjects();
    let result: 'ok' | 'FAILED' = 'FAILED';
    try {
      await core(suite.fleet.member2).deleteNamespacedSecret({
        namespace: MEMBER_AGENT_NAMESPACE,
        name: MEMBER_AGENT_TOKEN_SECRET,
      });
      await eventually(async () => {
        const c = await reachable('member-2');
        expect(c).toMatchObject({ status: 'False', reason: 'CredentialsRejected' });
        expect(c?.message).toContain('gridfed register member-2');
      }, 60_000);
      await eventually(
        async () => expect(await memberEventReasons('member-2')).toContain('Warning/CredentialsRejected'),
        30_000,
      );
      // No hot retry loop: probes and watch retries back off.
      const before = await requestsTo('member-2');
      await new Promise((r) => setTimeout(r, 10_000));
      const perSecond = ((await requestsTo('member-2')) - before) / 10;
      expect(perSecond).toBeLessThan(3);
      // The other member is served as before.
      await setImage('superedge/echoserver:2.3');
      await eventually(async () => expect(await image('zone1')).toBe('superedge/echoserver:2.3'), 30_000);
      expect(suite.hub.pid).toBeDefined();
      // Registering again heals it, and it catches up.
      await gridfed(
        suite.fleet,
        'register',
        'member-2',
        '--renew-credentials',
        '--kubeconfig',
        suite.fleet.member2.kubeconfigPath,
      );
      await eventually(async () => expect(await reachable('member-2')).toMatchObject({ status: 'True' }), 60_000);
      await eventually(async () => expect(await memberEventReasons('member-2')).toContain('Normal/Reachable'), 30_000);
      await eventually(async () => expect(await image('zone2')).toBe('superedge/echoserver:2.3'), 60_000);
      result = 'ok';
    } finally {
      recordFault({
        fault: 'member credentials revoked',
        checked:
          'CredentialsRejected on the MemberCluster and its Events; < 3 req/s to it; other member served; register heals',
        result,
        writes: (await appliedObjects().catch(() => appliedBefore)) - appliedBefore,
        convergeSeconds: Math.round((performance.now() - started) / 100) / 10,
      });
    }
  });
});
