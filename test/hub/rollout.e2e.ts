// Progressive rollouts on real clusters: six NodeUnits (sites) over two members, waves and
// maxUnavailableNodeUnits checked on every snapshot of every member object, pause and
// resume, a broken release (pods that never become ready) stopped in its first wave and
// rolled back, undo to an older revision, a hub SIGKILL mid-wave, and a member that is
// unreachable mid-rollout.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import type { V1Deployment } from '@kubernetes/client-node';
import type { DeploymentGrid, RolloutStrategy } from '#gridfed/grid-api';
import { strategyOf, waveTargets } from '#gridfed/rollout';
import { eventually } from '../cluster/jest/eventually.js';
import { UNREADY_POD_LABEL } from '../../tools/local-cluster/src/kwok-stages.js';
import { apps, core, gridfed, hubSuite, launchBrowser } from './fixtures.js';
import { newUpdateRevision, RolloutWatch } from './rollout-watch.js';

const NS = 'rollout';
const SITES = { 'member-1': ['s1', 's2', 's3'], 'member-2': ['s4', 's5', 's6'] } as const;
const ALL_SITES = [...SITES['member-1'], ...SITES['member-2']];
const STRATEGY: RolloutStrategy = {
  type: 'Progressive',
  waves: [{ nodeUnits: ['s5'] }, { percent: 50 }, { percent: 100 }],
  maxUnavailableNodeUnits: 2,
  minReadySeconds: 1,
  progressDeadlineSeconds: 12,
};
const WAVES = waveTargets(strategyOf(STRATEGY), ALL_SITES);

const grid: DeploymentGrid = {
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'waves', namespace: NS, labels: { 'superedge.io/fed': 'yes' } },
  spec: {
    gridUniqKey: 'site',
    rolloutStrategy: STRATEGY,
    template: {
      replicas: 1,
      selector: { matchLabels: { app: 'waves' } },
      template: {
        metadata: { labels: { app: 'waves' } },
        spec: { containers: [{ name: 'echo', image: 'superedge/echoserver:1' }] },
      },
    },
  },
};

const suite = hubSuite('hub-rollout', NS, {
  setUp: async (s) => {
    for (const member of [s.fleet.member1, s.fleet.member2]) {
      const sites = SITES[member.name as keyof typeof SITES];
      for (const site of sites)
        await member.addNode({ name: `${member.name}-${site}`, labels: { site } }, { ifMissing: true });
      await member.waitNodesReady(sites.map((site) => `${member.name}-${site}`));
    }
  },
  tearDown: async (s) => {
    await s.fleet.member2.startApiserver().catch(() => undefined);
    await s.grids.delete(grid).catch(() => undefined);
    await eventually(async () => expect(await s.grids.exists(grid)).toBe(false), 60_000).catch(() => undefined);
    for (const member of [s.fleet.member1, s.fleet.member2]) {
      for (const site of SITES[member.name as keyof typeof SITES])
        await member.deleteNode(`${member.name}-${site}`).catch(() => undefined);
    }
    await s.fleet.member2.restartControllers();
  },
});

let watch: RolloutWatch;
beforeAll(() => {
  watch = new RolloutWatch([suite.fleet.member1, suite.fleet.member2], NS, 'waves', WAVES, 2);
});
afterAll(() => watch.stop());

const live = () => suite.grids.get(grid) as Promise<DeploymentGrid>;
const rollout = async () => (await live()).status?.rollout;

/** Member Deployments of the grid by NodeUnit. */
async function deployments(): Promise<Map<string, V1Deployment>> {
  const out = new Map<string, V1Deployment>();
  for (const member of [suite.fleet.member1, suite.fleet.member2]) {
    const list = await apps(member)
      .listNamespacedDeployment({ namespace: NS, labelSelector: 'gridfed.io/grid-name=waves' })
      .catch(() => ({ items: [] as V1Deployment[] })); // an unreachable member shows nothing
    for (const d of list.items) out.set(d.metadata?.labels?.['gridfed.io/nodeunit'] ?? '', d);
  }
  return out;
}
const images = async () =>
  new Map([...(await deployments())].map(([site, d]) => [site, d.spec?.template.spec?.containers[0]?.image]));

/** Edits the template, waits for the rollout to see the new revision, and starts watching it. */
async function release(edit: (g: DeploymentGrid) => void): Promise<string> {
  const before = (await rollout())?.updateRevision;
  await suite.grids.update(grid, (g) => edit(g as DeploymentGrid));
  const update = await newUpdateRevision(rollout, before);
  await watch.stop();
  watch.start(update);
  return update;
}
const setImage = (image: string) => (g: DeploymentGrid) => {
  g.spec.template.template!.spec!.containers[0]!.image = image;
};

async function completes(image: string, timeoutMs = 90_000): Promise<void> {
  await eventually(async () => {
    const r = await rollout();
    expect(r?.phase).toBe('Complete');
    expect(r?.stableRevision).toBe(r?.updateRevision);
    const now = await images();
    expect([...now.keys()].sort()).toEqual(ALL_SITES);
    for (const site of ALL_SITES) expect(now.get(site)).toBe(image);
  }, timeoutMs);
}

async function events(reason: string): Promise<string[]> {
  const list = await core(suite.fleet.control).listNamespacedEvent({ namespace: NS });
  return list.items.filter((e) => e.involvedObject.name === 'waves' && e.reason === reason).map((e) => e.message ?? '');
}

describe('a Progressive grid', () => {
  it('starts complete on its first revision, which the hub records', async () => {
    await suite.grids.create(grid);
    await completes('superedge/echoserver:1');
    const history = await gridfed(suite.fleet, 'rollout', 'history', 'dg', 'waves', '-n', NS);
    expect(history).toMatch(/1\s.*stable, update/);
  });

  it('rolls a new image out wave by wave: the canary site first, never more than 2 unready, each wave after the last is healthy', async () => {
    await release(setImage('superedge/echoserver:2'));
    await completes('superedge/echoserver:2');
    await watch.stop();
    expect(watch.violations).toEqual([]);
    expect(watch.reached[0]).toBe('s5');
    expect(new Set(watch.reached.slice(0, 3))).toEqual(new Set(WAVES[1]));
    expect(await events('WaveStarted')).toHaveLength(2);
  });

  it("shows each site's revision and the rollout on the dashboard", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${suite.hub.url}/dashboard`);
      const update = (await rollout())?.updateRevision ?? '';
      await eventually(async () => {
        expect(await page.locator('[data-rollout]').first().getAttribute('data-rollout')).toBe('Complete');
        for (const site of ALL_SITES) {
          const cell = page.locator(`td[data-grid="waves"][data-nodeunit="${site}"]`);
          expect(await cell.getAttribute('data-revision')).toBe(update);
        }
      }, 20_000);
    } finally {
      await browser.close();
    }
  });

  it('pauses: no NodeUnit moves while paused, and the rollout finishes once resumed', async () => {
    await release(setImage('superedge/echoserver:3'));
    await eventually(async () => expect(watch.seen().has('s5')).toBe(true), 30_000);
    await gridfed(suite.fleet, 'rollout', 'pause', 'dg', 'waves', '-n', NS);
    await eventually(async () => expect((await rollout())?.phase).toBe('Paused'), 20_000);
    const moved = Object.keys((await rollout())?.moved ?? {}).sort();
    await new Promise((r) => setTimeout(r, 5000));
    expect(Object.keys((await rollout())?.moved ?? {}).sort()).toEqual(moved);
    for (const site of watch.seen()) expect(moved).toContain(site);
    await gridfed(suite.fleet, 'rollout', 'resume', 'dg', 'waves', '-n', NS);
    await completes('superedge/echoserver:3');
    await watch.stop();
    expect(watch.violations).toEqual([]);
    expect(watch.reached).toHaveLength(6);
  });

  it('stops a release whose pods never become ready in its first wave and rolls it back; no other site sees it', async () => {
    const watcher = gridfed(
      suite.fleet,
      'rollout',
      'status',
      'dg',
      'waves',
      '-n',
      NS,
      '--watch',
      '--timeout',
      '120',
    ).then(
      () => 'exit 0',
      (err: Error) => err.message,
    );
    const broken = await release((g) => {
      setImage('superedge/echoserver:4-broken')(g);
      g.spec.template.template!.metadata!.labels = { app: 'waves', [UNREADY_POD_LABEL]: 'true' };
    });
    await eventually(async () => {
      const r = await rollout();
      expect(r?.phase).toBe('RolledBack');
      expect(r?.failedRevision).toBe(broken);
      expect(r?.message).toContain('NodeUnit s5 not healthy within 12s');
    }, 60_000);
    await eventually(async () => {
      const now = await images();
      for (const site of ALL_SITES) expect(now.get(site)).toBe('superedge/echoserver:3');
    }, 30_000);
    await watch.stop();
    expect([...watch.seen()]).toEqual(['s5']);
    expect(await watcher).toMatch(/rolled back to revision/);
    await eventually(async () => {
      const condition = (await live()).status?.conditions?.find((c) => c.type === 'RolledOut');
      expect(condition).toMatchObject({ status: 'False', reason: 'RolledBack' });
      expect(condition?.message).toContain(`revision ${broken} failed`);
    }, 20_000);
    expect((await events('RolloutRolledBack')).some((m) => m.includes(broken))).toBe(true);
    // Not tried again on its own.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await rollout())?.phase).toBe('RolledBack');
  });

  it('undoes to an older revision by putting its templates back', async () => {
    await watch.stop();
    const started = Date.now();
    await gridfed(suite.fleet, 'rollout', 'undo', 'dg', 'waves', '-n', NS, '--to-revision', '1');
    await completes('superedge/echoserver:1');
    expect(Date.now() - started).toBeLessThan(90_000);
    const history = await gridfed(suite.fleet, 'rollout', 'history', 'dg', 'waves', '-n', NS);
    // Revision 1's templates are the newest revision now.
    expect(
      history
        .trim()
        .split('\n')
        .filter((l) => /stable, update/.test(l)),
    ).toHaveLength(1);
  });

  it('continues correctly after a hub SIGKILL in the middle of a wave', async () => {
    await release(setImage('superedge/echoserver:5'));
    await eventually(async () => expect((await rollout())?.wave).toBe(2), 60_000);
    await suite.hub.kill();
    await suite.hub.start();
    await completes('superedge/echoserver:5');
    await watch.stop();
    expect(watch.violations).toEqual([]);
    expect(watch.reached).toHaveLength(6);
  });

  it('does not wait for a member that is unreachable: its sites are pending and catch up, within budget, when it is back', async () => {
    // A member back from an apiserver restart needs its own controllers to reconnect before
    // its pods move. The hub's deadline waits for its deployment controller (the NodeUnit is
    // "behind" until then), but the scheduler and kwok reconnect on their own client-go
    // backoff (up to 30 s, jittered, after a long outage): give its sites 90 s, not the 12 s
    // the failing-release test relies on.
    await suite.grids.update(grid, (g) => {
      (g as DeploymentGrid).spec.rolloutStrategy = { ...STRATEGY, progressDeadlineSeconds: 90 };
    });
    await suite.fleet.member2.killApiserver();
    watch.exempt = new Set(SITES['member-2']);
    const update = await release(setImage('superedge/echoserver:6'));
    try {
      await eventually(async () => {
        const now = await images();
        for (const site of SITES['member-1']) expect(now.get(site)).toBe('superedge/echoserver:6');
        const r = await rollout();
        expect(r?.phase).toBe('Progressing');
        // s5, the canary, may have moved before the hub saw member-2 go.
        expect(r?.message).toMatch(/pending until their member is back \((s4, s5, s6|s4, s6)\)/);
      }, 90_000);
    } finally {
      await suite.fleet.member2.startApiserver();
    }
    await completes('superedge/echoserver:6', 150_000);
    await watch.stop();
    expect((await rollout())?.stableRevision).toBe(update);
    expect(watch.violations).toEqual([]);
  }, 300_000);
});

describe('gridfed diff', () => {
  /** Runs `gridfed diff -f <manifest>` against the hub: its exit code and output. */
  function diff(manifest: object): Promise<{ code: number; out: string }> {
    const file = join(testFleetRoot(), 'diff-manifest.yaml');
    writeFileSync(file, stringify(manifest));
    return new Promise((done) =>
      execFile(
        process.execPath,
        [resolve('dist/apps/cli/src/main.js'), 'diff', '-f', file, '--hub', suite.hub.url],
        (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, out: stdout + stderr }),
      ),
    );
  }

  it('previews an image change per member and NodeUnit, field by field, with the waves, changing nothing', async () => {
    const current = await live();
    const edited = structuredClone(current);
    edited.spec.template.template!.spec!.containers[0]!.image = 'superedge/echoserver:7';
    const { code, out } = await diff({ ...edited, status: undefined });
    expect(code).toBe(1);
    for (const site of ALL_SITES) {
      expect(out).toMatch(new RegExp(`member-\\d  ${NS}/waves-${site} \\(${site}\\)  update`));
    }
    expect(out).toContain(
      'spec.template.spec.containers[0].image: "superedge/echoserver:6" -> "superedge/echoserver:7"',
    );
    expect(out).toMatch(/1: s5\n\s+2: s1, s2\n\s+3: s3, s4, s6/);
    expect((await images()).get('s1')).toBe('superedge/echoserver:6');
    expect((await diff({ ...current, status: undefined })).code).toBe(0);
  });

  it('shows an object in the way as a conflict, the rest as creates, and an invalid manifest with its errors', async () => {
    await apps(suite.fleet.member1).createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'other-s1' },
        spec: {
          selector: { matchLabels: { app: 'x' } },
          template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
        },
      },
    });
    const other = { ...structuredClone(grid), metadata: { ...grid.metadata, name: 'other' } };
    const { code, out } = await diff(other);
    expect(code).toBe(1);
    expect(out).toContain(
      `member-1  ${NS}/other-s1 (s1)  conflict: Deployment ${NS}/other-s1 exists and is not gridfed's`,
    );
    expect(out).toContain(`member-2  ${NS}/other-s4 (s4)  create`);
    expect(await suite.grids.exists(other as DeploymentGrid)).toBe(false);
    const bad = await diff({ ...other, spec: { ...other.spec, templates: { s1: 'nope' } } });
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('spec.templates.s1 names "nope", which is not in templatePool');
    await apps(suite.fleet.member1).deleteNamespacedDeployment({ name: 'other-s1', namespace: NS });
  });
});
