// Fault 3 of issue 13: a member offline for a long time (its apiserver stopped) while its
// grids change several times. The other member is served meanwhile, the MemberCluster says
// Reachable=False, and when the member returns it converges to the last state with one
// write per object that differs: no write per intermediate edit, no storm.
import { describe, expect, it } from '@jest/globals';
import type { V1Deployment } from '@kubernetes/client-node';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { eventually } from '../cluster/jest/eventually.js';
import {
  apps,
  example,
  hubRequestsTo,
  hubSuite,
  hubWritesTo,
  reachableCondition,
  requestsBetween,
  writesOf,
  type Fleet,
} from '../hub/fixtures.js';
import { faultSeconds, timedFault } from './fault-record.js';

const NS = 'faults-offline';
/** Edited twice while the member is away. */
const ledger = example('deploymentgrid-fed.yaml', NS, 'ledger') as DeploymentGrid;
/** Deleted while it is away. */
const retired = example('deploymentgrid-fed.yaml', NS, 'retired') as DeploymentGrid;
/** Created while it is away. */
const newcomer = example('deploymentgrid-fed.yaml', NS, 'newcomer') as DeploymentGrid;

const suite = hubSuite('hub-faults-offline', NS, {
  setUp: async (s) => {
    await s.grids.create(ledger);
    await s.grids.create(retired);
  },
  tearDown: async (s) => {
    await s.fleet.member2.startApiserver().catch(() => undefined);
    await s.fleet.member2.restartControllers();
    for (const grid of [ledger, retired, newcomer]) await s.grids.delete(grid).catch(() => undefined);
    await eventually(async () => {
      for (const grid of [ledger, retired, newcomer]) expect(await s.grids.exists(grid)).toBe(false);
    }, 60_000).catch(() => undefined);
  },
});

/** What the member holds of gridfed's Deployments in NS: name -> the parts the grids set, and its generation. */
interface Held {
  image: string | undefined;
  replicas: number | undefined;
  uid: string | undefined;
  generation: number | undefined;
}

async function held(member: Fleet['member1']): Promise<Map<string, Held>> {
  const list = await apps(member).listNamespacedDeployment({ namespace: NS });
  return new Map(
    list.items.map((d: V1Deployment) => [
      d.metadata?.name ?? '',
      {
        image: d.spec?.template.spec?.containers[0]?.image,
        replicas: d.spec?.replicas,
        uid: d.metadata?.uid,
        generation: d.metadata?.generation,
      },
    ]),
  );
}

/** Objects created, deleted, or changed (a new generation) between two views of a member. */
function differing(before: Map<string, Held>, after: Map<string, Held>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .filter((name) => {
      const [b, a] = [before.get(name), after.get(name)];
      return !b || !a || b.uid !== a.uid || b.generation !== a.generation;
    })
    .sort();
}

async function setTemplates(grid: DeploymentGrid, change: { image?: string; replicas?: number }): Promise<void> {
  await suite.grids.update(grid, (live) => {
    for (const name of ['test1', 'test2']) {
      const template = (live as DeploymentGrid).spec.templatePool![name]!;
      if (change.replicas !== undefined) template.replicas = change.replicas;
      if (change.image) template.template!.spec!.containers[0]!.image = change.image;
    }
  });
}

/** `member` holds exactly `expected` (name -> image, replicas). */
async function holds(member: Fleet['member1'], expected: Record<string, [string, number]>): Promise<void> {
  const live = await held(member);
  const seen = Object.fromEntries([...live].map(([name, h]) => [name, [h.image, h.replicas]]));
  expect(seen).toEqual(expected);
}

const reachable = (member: string) => reachableCondition(suite.fleet, member);
const writes = (): Promise<number> => hubWritesTo(suite.hub.url, 'member-2');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const offlineSeconds = faultSeconds('MEMBER_OFFLINE', 24);

describe('a member offline for a long time', () => {
  it(
    'serves the other member meanwhile and, on return, writes only the objects that differ',
    async () => {
      const initial: [string, number] = ['superedge/echoserver:2.2', 3];
      await eventually(() => holds(suite.fleet.member2, { 'ledger-zone2': initial, 'retired-zone2': initial }), 60_000);
      await eventually(async () => expect(await reachable('member-2')).toMatchObject({ status: 'True' }), 30_000);
      const before = await held(suite.fleet.member2);
      await suite.fleet.member2.stopApiserver();
      const wentDown = performance.now();
      // Three changes spread over the outage; member-1 gets each at once.
      const servedSeconds: number[] = [];
      const edits: [string, () => Promise<void>, Record<string, [string, number]>][] = [
        [
          'image',
          () => setTemplates(ledger, { image: 'superedge/echoserver:3.0' }),
          { 'ledger-zone1': ['superedge/echoserver:3.0', 2], 'retired-zone1': ['superedge/echoserver:2.2', 2] },
        ],
        [
          'replicas',
          () => setTemplates(ledger, { replicas: 1 }),
          { 'ledger-zone1': ['superedge/echoserver:3.0', 1], 'retired-zone1': ['superedge/echoserver:2.2', 2] },
        ],
        [
          'one grid deleted, another created',
          async () => {
            await suite.grids.delete(retired);
            await suite.grids.create(newcomer);
          },
          { 'ledger-zone1': ['superedge/echoserver:3.0', 1], 'newcomer-zone1': ['superedge/echoserver:2.2', 2] },
        ],
      ];
      for (const [i, [, edit, onMember1]] of edits.entries()) {
        await sleep(Math.max(0, wentDown + (i * offlineSeconds * 1000) / edits.length - performance.now()));
        const edited = performance.now();
        await edit();
        await eventually(() => holds(suite.fleet.member1, onMember1), 30_000, 100);
        servedSeconds.push((performance.now() - edited) / 1000);
        await eventually(async () => expect(await reachable('member-2')).toMatchObject({ status: 'False' }), 15_000);
      }
      await sleep(Math.max(0, wentDown + offlineSeconds * 1000 - performance.now()));
      expect(await reachable('member-2')).toMatchObject({ status: 'False' });
      // The other member was served within seconds of each edit, while member-2 was away.
      for (const s of servedSeconds) expect(s).toBeLessThan(15);

      let returnWrites = 0;
      let differ: string[] = [];
      await timedFault(
        `member offline ${offlineSeconds} s`,
        `3 edits while away (image; replicas; a grid deleted, one created); other member served in ` +
          `${servedSeconds.map((s) => s.toFixed(1)).join('/')} s; Reachable False, then True; ` +
          `writes on return = objects that differ`,
        async () => {
          const requestsBefore = await hubRequestsTo(suite.hub.url, 'member-2');
          await suite.fleet.member2.startApiserver();
          await eventually(
            () =>
              holds(suite.fleet.member2, {
                'ledger-zone2': ['superedge/echoserver:3.0', 1],
                'newcomer-zone2': ['superedge/echoserver:2.2', 3],
              }),
            120_000,
            100,
          );
          await eventually(async () => expect(await suite.grids.exists(retired)).toBe(false), 60_000, 100);
          await eventually(async () => expect(await reachable('member-2')).toMatchObject({ status: 'True' }), 30_000);
          const requests = requestsBetween(requestsBefore, await hubRequestsTo(suite.hub.url, 'member-2'));
          returnWrites = writesOf(requests);
          differ = differing(before, await held(suite.fleet.member2));
          // Created, deleted, changed: one write each; none for the image edit the replicas edit overtook.
          expect(differ).toEqual(['ledger-zone2', 'newcomer-zone2', 'retired-zone2']);
          expect({ writes: returnWrites, requests }).toMatchObject({ writes: differ.length });
        },
        writes,
      );
      // And nothing trickles in later: the member stays as converged, with no further writes.
      const settled = await writes();
      await sleep(5_000);
      expect(await writes()).toBe(settled);
      process.stdout.write(
        `member offline ${offlineSeconds} s: member-1 served in ${servedSeconds.map((s) => s.toFixed(2)).join(', ')} s; ` +
          `writes to member-2 on return ${returnWrites} for ${differ.length} differing objects (${differ.join(', ')})\n`,
      );
    },
    (offlineSeconds + 300) * 1000,
  ); // the outage, then at most the waits for convergence
});
