// Fault 4 of issue 13: a slow and lossy link between the hub and one member. member-2 is
// registered through the harness's FaultyLink (a TCP proxy in front of its apiserver),
// which then adds latency, stalls (bytes held, nothing closed) and resets connections.
// Meanwhile member-1 gets each edit about as fast as without the fault; requests to
// member-2 time out and are sent again; a stalled watch is noticed and watched again; and
// once the link heals an edit made after it reaches member-2, its status through the watch.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { FaultyLink } from '../../tools/local-cluster/src/faulty-link.js';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import { eventually } from '../cluster/jest/eventually.js';
import {
  apps,
  example,
  gridfed,
  hubMetric,
  hubSuite,
  hubWritesTo,
  reachableCondition,
  type Fleet,
} from '../hub/fixtures.js';
import { faultSeconds, timedFault } from './fault-record.js';

const NS = 'faults-slow-link';
const grid = example('deploymentgrid-fed.yaml', NS, 'courier') as DeploymentGrid;
/** Short watch timings, so a stall is noticed within the test (defaults: 300 s and 90 s). */
const WATCH_INACTIVITY_SECONDS = 10;
const HUB_ENV = {
  REQUEST_TIMEOUT_SECONDS: '5',
  WATCH_TIMEOUT_SECONDS: '5',
  WATCH_INACTIVITY_SECONDS: String(WATCH_INACTIVITY_SECONDS),
};
const HUB_LOG = join(testFleetRoot(), 'hub-faults-slow-link.log');

let link: FaultyLink;
const suite = hubSuite('hub-faults-slow-link', NS, {
  env: HUB_ENV,
  setUp: async (s) => {
    // member-2 again, this time through the link.
    link = await FaultyLink.open({ host: '127.0.0.1', port: s.fleet.member2.ports.apiserver });
    await gridfed(s.fleet, 'unregister', 'member-2');
    const kubeconfig = join(testFleetRoot(), 'member-2-via-link.kubeconfig');
    writeFileSync(kubeconfig, s.fleet.member2.kubeconfigVia(link.url), { mode: 0o600 });
    await gridfed(s.fleet, 'register', 'member-2', '--kubeconfig', kubeconfig);
    await s.grids.create(grid);
  },
  tearDown: async (s) => {
    link?.heal();
    await s.grids.delete(grid).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(grid)).toBe(false), 60_000).catch(() => undefined);
    // Through the link (the stored kubeconfig names it), then the link goes.
    await gridfed(s.fleet, 'unregister', 'member-2').catch(() => undefined);
    await link?.close();
  },
});

const image = async (member: Fleet['member1'], zone: string) =>
  (await apps(member).readNamespacedDeployment({ name: `courier-${zone}`, namespace: NS })).spec?.template.spec
    ?.containers[0]?.image;

let edits = 0;
/** A new image for both NodeUnits; resolves with it. */
async function editImage(): Promise<string> {
  const value = `superedge/echoserver:9.${++edits}`;
  await suite.grids.update(grid, (live) => {
    for (const name of ['test1', 'test2'])
      (live as DeploymentGrid).spec.templatePool![name]!.template!.spec!.containers[0]!.image = value;
  });
  return value;
}

/** Seconds from an edit until `member` runs it. */
async function propagation(member: Fleet['member1'], zone: string, value: string, timeoutMs = 30_000) {
  const started = performance.now();
  await eventually(async () => expect(await image(member, zone)).toBe(value), timeoutMs, 100);
  return (performance.now() - started) / 1000;
}

const reachable = (member: string) => reachableCondition(suite.fleet, member);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logSince = (offset: number): string => readFileSync(HUB_LOG, 'utf8').slice(offset);
const probesOf = (member: string) =>
  hubMetric(suite.hub.url, 'gridfed_kube_requests_total', `cluster="${member}",method="GET",resource="/version"`);

const faultMs = faultSeconds('SLOW_LINK', 30) * 1000;
const syncErrorsOf = (member: string) => hubMetric(suite.hub.url, 'gridfed_sync_errors_total', `member="${member}"`);

/** Latency, stall and loss each last a third of the fault. */
const phaseMs = faultMs / 3;

/** Seconds from an edit to the member running it: member-1 without the fault and in each phase, member-2 too. */
const figures: Record<string, number> = {};
const seconds = (...names: string[]): string => names.map((n) => figures[n]?.toFixed(2) ?? '?').join('/');

describe('a slow and lossy member link', () => {
  it('converges through the healthy link, and measures the baseline', async () => {
    await eventually(async () => {
      expect(await image(suite.fleet.member1, 'zone1')).toBe('superedge/echoserver:2.2');
      expect(await image(suite.fleet.member2, 'zone2')).toBe('superedge/echoserver:2.2');
    }, 60_000);
    const value = await editImage();
    const [one, two] = await Promise.all([
      propagation(suite.fleet.member1, 'zone1', value),
      propagation(suite.fleet.member2, 'zone2', value),
    ]);
    figures['baseline'] = one;
    figures['member-2 baseline'] = two;
  });

  it(
    'keeps member-1 as fast as before, times out and retries member-2, re-watches after a stall, and converges once healed',
    async () => {
      const bound = (s: number) => expect(s).toBeLessThan(Math.max(2 * figures['baseline']!, figures['baseline']! + 2));

      // Latency: 300 ms each way on every chunk; member-2 still gets the edit, later.
      link.set({ latencyMs: 300 });
      let value = await editImage();
      [figures['latency'], figures['member-2 with latency']] = await Promise.all([
        propagation(suite.fleet.member1, 'zone1', value),
        propagation(suite.fleet.member2, 'zone2', value, 60_000),
      ]);
      bound(figures['latency']);
      await sleep(phaseMs);

      // Stall: nothing forwarded, nothing closed, longer than the watch inactivity deadline.
      const logOffset = readFileSync(HUB_LOG, 'utf8').length;
      const probesBefore = await probesOf('member-2');
      const syncErrorsBefore = await syncErrorsOf('member-2');
      link.set({ latencyMs: 0, stalled: true });
      value = await editImage();
      figures['stall'] = await propagation(suite.fleet.member1, 'zone1', value);
      bound(figures['stall']);
      await eventually(async () => expect(await reachable('member-2')).toMatchObject({ status: 'False' }), 30_000);
      await sleep(Math.max(phaseMs, (WATCH_INACTIVITY_SECONDS + 5) * 1000));
      expect(await image(suite.fleet.member2, 'zone2')).not.toBe(value); // the stall is real
      expect(await reachable('member-1')).toMatchObject({ status: 'True' });
      const stallLog = logSince(logOffset);
      // Requests timed out (the probes, and the apply of the edit), and were sent again.
      expect(stallLog).toMatch(/member member-2 is unreachable: request timed out/);
      expect((await syncErrorsOf('member-2')) - syncErrorsBefore).toBeGreaterThanOrEqual(1);
      expect((await probesOf('member-2')) - probesBefore).toBeGreaterThanOrEqual(3);
      // Every member-2 watch went silent, was noticed, and watched again (and member-1's did not).
      const stalled = stallLog.match(/member-2\/[a-z]+( \(metadata\))?: watch silent for \d+ s/g) ?? [];
      expect(new Set(stalled).size).toBeGreaterThanOrEqual(4);
      expect(stallLog).not.toMatch(/member-1\/[a-z]+( \(metadata\))?: watch silent/);

      // Lossy: the stalled connections reset, then a chunk in 50 resets its connection.
      link.set({ stalled: false, latencyMs: 100, lossRate: 0.02 });
      link.resetAll();
      value = await editImage();
      figures['loss'] = await propagation(suite.fleet.member1, 'zone1', value);
      bound(figures['loss']);
      await sleep(phaseMs);

      // Healed: an edit made after the stall reaches member-2, and its status comes back through the watch.
      await timedFault(
        `slow link ${Math.round(faultMs / 1000)} s`,
        `member-1 edit in ${seconds('baseline')} s without, ${seconds('latency', 'stall', 'loss')} s ` +
          `with latency/stall/loss (member-2 ${seconds('member-2 baseline', 'member-2 with latency')} s); ` +
          `member-2 timed out and retried; ${new Set(stalled).size} stalled watches re-watched; ` +
          `an edit after the heal converged with status`,
        async () => {
          link.heal();
          await suite.grids.update(grid, (live) => {
            const pool = (live as DeploymentGrid).spec.templatePool!;
            pool['test2']!.replicas = 2;
            pool['test2']!.template!.spec!.containers[0]!.image = 'superedge/echoserver:10.0';
          });
          await eventually(
            async () => {
              expect(await image(suite.fleet.member2, 'zone2')).toBe('superedge/echoserver:10.0');
              const live = await suite.grids.get(grid);
              const states = (live.status?.states ?? {}) as Record<
                string,
                { replicas?: number; readyReplicas?: number }
              >;
              expect(states['zone2']?.readyReplicas).toBe(2);
              expect(live.status?.observedGeneration).toBe(live.metadata.generation);
            },
            90_000,
            200,
          );
          await eventually(async () => expect(await reachable('member-2')).toMatchObject({ status: 'True' }), 30_000);
        },
        () => hubWritesTo(suite.hub.url, 'member-2'),
      );
      process.stdout.write(
        `slow link: propagation (s) ${JSON.stringify(figures)}; link resets ${link.resets}; ` +
          `stalled watches noticed ${stalled.length}\n`,
      );
    },
    faultMs + 300_000,
  ); // the fault, then at most the waits for propagation and convergence
});
