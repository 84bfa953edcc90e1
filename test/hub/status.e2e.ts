// The status direction on real clusters: status.states per NodeUnit, conditions
// naming an unreachable member, /metrics with real values, and the dashboard in a
// real (Debian) Chromium.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { eventually } from '../cluster/jest/eventually.js';
import { example, gridfed, hubSuite, launchBrowser } from './fixtures.js';

const NS = 'status';
const dg = example('deploymentgrid-fed.yaml', NS) as DeploymentGrid;
const sg = example('servicegrid-fed.yaml', NS);
const suite = hubSuite('hub-status', NS, {
  setUp: async (s) => {
    await s.grids.create(dg);
    await s.grids.create(sg);
  },
  tearDown: async (s) => {
    await s.fleet.member2.startApiserver().catch(() => undefined);
    await s.fleet.member2.restartControllers();
    await s.grids.delete(dg).catch(() => undefined);
    await s.grids.delete(sg).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(dg)).toBe(false), 30_000).catch(() => undefined);
  },
});

type State = {
  readyReplicas?: number;
  replicas?: number;
  stale?: boolean;
  clusters?: Record<string, { stale?: boolean; lastSeen?: string }>;
};
const states = async (): Promise<Record<string, State>> =>
  ((await suite.grids.get(dg)).status?.states ?? {}) as Record<string, State>;
const condition = async (type: string) => (await suite.grids.get(dg)).status?.conditions?.find((c) => c.type === type);

describe('status.states', () => {
  it("shows zone1 2/2 and zone2 3/3 ready, in SuperEdge's shape, with the member that hosts each", async () => {
    await eventually(async () => {
      const s = await states();
      expect(s['zone1']).toMatchObject({ replicas: 2, readyReplicas: 2 });
      expect(s['zone2']).toMatchObject({ replicas: 3, readyReplicas: 3 });
    }, 30_000);
    const s = await states();
    expect(Object.keys(s['zone1']?.clusters ?? {})).toEqual(['member-1']);
    expect(Object.keys(s['zone2']?.clusters ?? {})).toEqual(['member-2']);
    const live = await suite.grids.get(dg);
    expect(live.status?.observedGeneration).toBe(live.metadata.generation);
    expect(live.status).toMatchObject({ nodeUnits: 2, readyNodeUnits: 2, syncedNodeUnits: 2 });
    expect(await condition('Ready')).toMatchObject({ status: 'True' });
    expect(await condition('Synced')).toMatchObject({ status: 'True' });
  });

  it('follows a template scale', async () => {
    await suite.grids.update(dg, (live) => {
      (live as DeploymentGrid).spec.templatePool!['test1']!.replicas = 4;
    });
    await eventually(
      async () => expect((await states())['zone1']).toMatchObject({ replicas: 4, readyReplicas: 4 }),
      30_000,
    );
  });

  it('gridfed status prints the per-NodeUnit table', async () => {
    const out = await gridfed(suite.fleet, 'status', 'dg', 'deploymentgrid-demo', '-n', NS, '--hub', suite.hub.url);
    expect(out).toMatch(/zone1\s.*member-1\s.*test1\s.*4\/4/);
    expect(out).toMatch(/zone2\s.*member-2\s.*test2\s.*3\/3/);
  });
});

describe('/metrics', () => {
  it('carries sync, queue, reachability and managed-object metrics with real values', async () => {
    const text = await (await fetch(`${suite.hub.url}/metrics`)).text();
    expect(text).toMatch(/gridfed_sync_duration_seconds_count\{member="member-1"\} [1-9]/);
    expect(text).toMatch(/gridfed_member_reachable\{member="member-2"\} 1/);
    expect(text).toMatch(/gridfed_managed_objects\{member="member-1",kind="Deployment"\} 1/);
    expect(text).toMatch(/gridfed_queue_depth\{member="member-1",state="waiting"\} \d+/);
    expect(text).toMatch(
      /gridfed_kube_requests_total\{cluster="member-1",method="PATCH",resource="deployments"\} [1-9]/,
    );
    expect(text).toMatch(/gridfed_sync_errors_total/);
  });
});

describe('the dashboard', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => browser?.close());

  it('shows both NodeUnits ready, then zone2 red when member-2 dies, and the grid names the member', async () => {
    const page = await browser.newPage();
    await page.goto(`${suite.hub.url}/dashboard`);
    const cell = (unit: string) => page.locator(`td[data-grid="deploymentgrid-demo"][data-nodeunit="${unit}"]`);
    await eventually(async () => {
      expect(await cell('zone1').getAttribute('data-health')).toBe('ok');
      expect(await cell('zone2').getAttribute('data-health')).toBe('ok');
    }, 30_000);
    // Each NodeUnit's revision (the seed's grid rolls out All at once: no rollout to show).
    expect(await cell('zone1').getAttribute('data-revision')).toMatch(/^[0-9a-f]{10}$/);
    expect(await page.locator('[data-rollout]').count()).toBe(0);
    await page.screenshot({ path: '.gridfed/dashboard-ready.png' });
    await suite.fleet.member2.killApiserver();
    await eventually(async () => {
      expect(await cell('zone2').getAttribute('data-health')).toBe('bad');
      expect(await page.locator('[data-cluster="member-2"]').getAttribute('data-reachable')).toBe('false');
    }, 30_000);
    expect(await cell('zone1').getAttribute('data-health')).toBe('ok');
    await page.screenshot({ path: '.gridfed/dashboard-member-down.png' });
    // The grid itself keeps zone2's last known state, stale, and says which member.
    await eventually(async () => {
      const s = await states();
      expect(s['zone2']?.stale).toBe(true);
      expect(s['zone2']?.readyReplicas).toBe(3);
      expect((await condition('MembersReachable'))?.message).toContain('member-2');
    }, 30_000);
    await suite.fleet.member2.startApiserver();
    await eventually(async () => expect(await cell('zone2').getAttribute('data-health')).toBe('ok'), 60_000);
  });
});
