// Per-site configuration rolled out in waves, on real clusters. A Progressive grid's pods read
// a kept copy of their NodeUnit's SiteConfig values, named by its content
// (`{siteconfig}-{nodeunit}-{10 hex}`), so a configuration change is a new revision: NodeUnit a
// (wave 1) reads its new copy while b (wave 2) still reads its old one, untouched, until the
// rollout reaches it; copies no revision in use names are deleted once the rollout is complete;
// an override change for b moves both NodeUnits to the new revision but restarts only b's pods
// (a keeps its pod template and its pods); and the grid's ControllerRevisions record each copy
// by hash and key names, never a value.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { V1ControllerRevision, V1PodTemplateSpec } from '@kubernetes/client-node';
import {
  GRID_NAME_LABEL,
  MANAGED_BY_LABEL,
  REVISION_HASH_LABEL,
  REVISION_LABEL,
  SITE_CONFIG_HASH_ANNOTATION,
  type DeploymentGrid,
  type RolloutStrategy,
} from '#gridfed/grid-api';
import { strategyOf, waveTargets, type SiteConfigSnapshot, type TemplateSet } from '#gridfed/rollout';
import type { SiteConfig } from '#gridfed/site-config';
import { waitFor } from '../cluster/jest/eventually.js';
import { apps, core, hubSuite, readDeployment } from './fixtures.js';
import { newUpdateRevision, RolloutWatch } from './rollout-watch.js';
import { readConfigMap, siteConfigApi, siteConfigHashOf } from './site-config-api.js';

const NS = 'site-config-rollout';
const KEY = 'scrollout';
const CONFIG = 'kiosk-config';
/** NodeUnit a in member-1, b in member-2, one node each. */
const UNITS = ['a', 'b'] as const;
type Unit = (typeof UNITS)[number];
const nodeOf = (unit: Unit) => `scr-${unit}`;
const STRATEGY: RolloutStrategy = {
  type: 'Progressive',
  waves: [{ nodeUnits: ['a'] }, { nodeUnits: ['b'] }],
  maxUnavailableNodeUnits: 1,
  // Long enough to look at the fleet between wave 1 and wave 2.
  minReadySeconds: 10,
  progressDeadlineSeconds: 120,
};
const WAVES = waveTargets(strategyOf(STRATEGY), [...UNITS]);
/** Sync, pods ready and minReadySeconds, per wave, with room. */
const ROLLOUT_MS = 150_000;
/** Unused kept copies go within the copy sync's resync. */
const COPY_GC_MS = 60_000;
/** Every value the SiteConfig ever holds: none may appear in a ControllerRevision. */
const VALUES = {
  greeting: 'greeting-autumn-7f3',
  newGreeting: 'greeting-winter-9c1',
  kioskA: 'kiosk-id-north-41',
  kioskB: 'kiosk-id-south-52',
  newKioskB: 'kiosk-id-south-63',
};

const suite = hubSuite('hub-site-config-rollout', NS, {
  setUp: async (s) => {
    for (const unit of UNITS) {
      const member = memberOf(unit, s.fleet);
      await member.addNode({ name: nodeOf(unit), labels: { [KEY]: unit } }, { ifMissing: true });
      await member.waitNodesReady([nodeOf(unit)]);
    }
  },
  tearDown: async (s) => {
    await s.grids.delete(grid).catch(() => undefined);
    await waitFor('grid kiosk deleted', async () => expect(await s.grids.exists(grid)).toBe(false), 60_000).catch(
      () => undefined,
    );
    await siteConfigs()
      .delete(CONFIG)
      .catch(() => undefined);
    for (const unit of UNITS)
      await memberOf(unit, s.fleet)
        .deleteNode(nodeOf(unit))
        .catch(() => undefined);
  },
});

const kioskConfig: SiteConfig = {
  apiVersion: 'gridfed.io/v1alpha1',
  kind: 'SiteConfig',
  metadata: { name: CONFIG, namespace: NS },
  spec: {
    gridUniqKey: KEY,
    type: 'ConfigMap',
    required: ['kiosk-id'],
    defaults: { data: { greeting: VALUES.greeting } },
    nodeUnits: { a: { data: { 'kiosk-id': VALUES.kioskA } }, b: { data: { 'kiosk-id': VALUES.kioskB } } },
  },
};

const grid: DeploymentGrid = {
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'kiosk', namespace: NS, labels: { 'superedge.io/fed': 'yes' } },
  spec: {
    gridUniqKey: KEY,
    rolloutStrategy: STRATEGY,
    template: {
      replicas: 1,
      selector: { matchLabels: { app: 'kiosk' } },
      template: {
        metadata: { labels: { app: 'kiosk' } },
        spec: {
          volumes: [{ name: 'config', configMap: { name: CONFIG } }],
          containers: [
            { name: 'kiosk', image: 'superedge/echoserver:2.2', envFrom: [{ configMapRef: { name: CONFIG } }] },
          ],
        },
      },
    },
  },
};

function memberOf(unit: Unit, fleet = suite.fleet) {
  return unit === 'a' ? fleet.member1 : fleet.member2;
}

function siteConfigs() {
  return siteConfigApi(suite.fleet.control.kubeConfig(), NS);
}

const rollout = async () => ((await suite.grids.get(grid)) as DeploymentGrid).status?.rollout;

/** What a NodeUnit's workload reads: its kept copy, and the Deployment pointing at it. */
interface KeptCopy {
  name: string;
  /** The copy's content hash (16 hex), as the pod template carries it. */
  hash: string;
  data: Record<string, string>;
  labels: Record<string, string>;
  generation: number;
  /** The Deployment's `gridfed.io/revision` label. */
  revision?: string;
  /** The Deployment's pod template, which restarts its pods when it changes. */
  template?: V1PodTemplateSpec;
}

/**
 * The kept copy `unit`'s Deployment points at, by volume and envFrom alike: named
 * `kiosk-config-<unit>-<first 10 hex of the content hash>`, the hash being the one on the pod
 * template and on the copy itself.
 */
async function keptCopyOf(unit: Unit): Promise<KeptCopy> {
  const d = await readDeployment(memberOf(unit), NS, `kiosk-${unit}`);
  expect(d).toBeDefined();
  const fromVolume = d?.spec?.template.spec?.volumes?.find((v) => v.name === 'config')?.configMap?.name;
  const fromEnv = d?.spec?.template.spec?.containers[0]?.envFrom?.[0]?.configMapRef?.name;
  expect(fromEnv).toBe(fromVolume);
  const hash = new RegExp(`^${CONFIG}=([0-9a-f]{16})$`).exec(siteConfigHashOf(d) ?? '')?.[1];
  expect(hash).toBeDefined();
  expect(fromVolume).toBe(`${CONFIG}-${unit}-${hash!.slice(0, 10)}`);
  const cm = await readConfigMap(memberOf(unit).kubeConfig(), NS, fromVolume!);
  expect(cm).toBeDefined();
  expect(cm?.metadata?.annotations?.[SITE_CONFIG_HASH_ANNOTATION]).toBe(hash);
  return {
    name: fromVolume!,
    hash: hash!,
    data: cm?.data ?? {},
    labels: cm?.metadata?.labels ?? {},
    generation: d?.metadata?.generation ?? 0,
    revision: d?.metadata?.labels?.[REVISION_LABEL],
    template: d?.spec?.template,
  };
}

/** `unit`'s values as the SiteConfig now says: the defaults, its override on top. */
async function valuesOf(unit: Unit): Promise<Record<string, string>> {
  const { spec } = await siteConfigs().get(CONFIG);
  return { ...spec.defaults?.data, ...spec.nodeUnits?.[unit]?.data };
}

const allKeptCopies = async () => ({ a: await keptCopyOf('a'), b: await keptCopyOf('b') });

/** `unit`'s Deployment points at a kept copy other than `old` that holds its values now. */
function movedOff(unit: Unit, old: KeptCopy): () => Promise<KeptCopy> {
  return async () => {
    const copy = await keptCopyOf(unit);
    expect(copy.name).not.toBe(old.name);
    expect(copy.data).toEqual(await valuesOf(unit));
    return copy;
  };
}

/** Complete on `update`, every NodeUnit's Deployment labelled with it. */
async function completes(update: string, what: string): Promise<void> {
  await waitFor(
    `${what}: rollout Complete on ${update}`,
    async () => {
      const r = await rollout();
      expect(r?.phase).toBe('Complete');
      expect(r?.stableRevision).toBe(update);
      expect(r?.updateRevision).toBe(update);
      for (const unit of UNITS) expect((await keptCopyOf(unit)).revision).toBe(update);
    },
    ROLLOUT_MS,
  );
}

/** The uids of `unit`'s pods (not being deleted), sorted: new uids are a restart. */
async function podsOf(unit: Unit): Promise<string[]> {
  const pods = await core(memberOf(unit)).listNamespacedPod({ namespace: NS, labelSelector: 'app=kiosk' });
  return pods.items
    .filter((p) => p.spec?.nodeName === nodeOf(unit) && !p.metadata?.deletionTimestamp)
    .map((p) => p.metadata?.uid ?? '')
    .sort();
}

/** ConfigMaps `names` are gone from `unit`'s member. */
async function deleted(unit: Unit, names: string[]): Promise<void> {
  for (const name of names) expect(await readConfigMap(memberOf(unit).kubeConfig(), NS, name)).toBeUndefined();
}

const since = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

let watch: RolloutWatch;
beforeAll(() => {
  watch = new RolloutWatch([suite.fleet.member1, suite.fleet.member2], NS, 'kiosk', WAVES, 1);
});
afterAll(() => watch.stop());

/** Edits the SiteConfig, waits for the grid's new revision and watches its rollout. */
async function reconfigure(edit: (sc: SiteConfig) => void): Promise<string> {
  const before = (await rollout())?.updateRevision;
  await siteConfigs().update(CONFIG, edit);
  const update = await newUpdateRevision(rollout, before, 30_000);
  await watch.stop();
  watch.start(update);
  return update;
}

/** The grid's ControllerRevisions in the control cluster. */
async function revisions(): Promise<V1ControllerRevision[]> {
  const list = await apps(suite.fleet.control).listNamespacedControllerRevision({
    namespace: NS,
    labelSelector: `${GRID_NAME_LABEL}=kiosk`,
  });
  return list.items;
}

/** What a revision records of the SiteConfig. */
const snapshotOf = (r: V1ControllerRevision): SiteConfigSnapshot | undefined =>
  (r.data as TemplateSet | undefined)?.siteConfigs?.[CONFIG];

/** A revision's record of the SiteConfig in one line: `<name> #<n>: a=<hash> [keys], b=...`, for clear failures. */
function summaryOf(r: V1ControllerRevision): string {
  const copies = Object.entries(snapshotOf(r)?.copies ?? {})
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([unit, copy]) => `${unit}=${copy.hash} [${[...copy.keys].sort().join(' ')}]`);
  return `${r.metadata?.name} #${r.revision}: ${copies.join(', ') || 'no copies'}`;
}

/** The ControllerRevision of revision `hash`. */
async function revisionOf(hash: string): Promise<V1ControllerRevision> {
  return apps(suite.fleet.control).readNamespacedControllerRevision({ name: `kiosk-dg-${hash}`, namespace: NS });
}

/** Each NodeUnit's copy as `revision` recorded it, in summaryOf's form, from the kept copies the workloads read. */
const expectedSummary = (r: V1ControllerRevision, copies: Record<Unit, KeptCopy>) =>
  `${r.metadata?.name} #${r.revision}: ${UNITS.map((u) => `${u}=${copies[u].hash} [${Object.keys(copies[u].data).sort().join(' ')}]`).join(', ')}`;

describe('per-site configuration of a Progressive grid', () => {
  it("points each NodeUnit's workload at a kept copy named by its content, holding that NodeUnit's values", async () => {
    await siteConfigs().create(kioskConfig);
    // The hub knows the SiteConfig before the grid's first revision is made.
    await waitFor(
      `SiteConfig ${CONFIG} observed by the hub`,
      async () => {
        const sc = await siteConfigs().get(CONFIG);
        expect(sc.status?.observedGeneration).toBe(sc.metadata.generation);
      },
      30_000,
    );
    await suite.grids.create(grid);
    const first = await newUpdateRevision(rollout, undefined, 30_000);
    await completes(first, 'first revision');
    for (const unit of UNITS) {
      const copy = await keptCopyOf(unit);
      expect(copy.data).toEqual(await valuesOf(unit));
      // Labelled like the ordinary copy `kiosk-config-<unit>` (which All-strategy grids read).
      const ordinary = await waitFor(
        `the ordinary copy ${CONFIG}-${unit}`,
        async () => {
          const cm = await readConfigMap(memberOf(unit).kubeConfig(), NS, `${CONFIG}-${unit}`);
          expect(cm?.metadata?.labels).toBeDefined();
          return cm!.metadata!.labels!;
        },
        30_000,
      );
      expect(copy.labels).toMatchObject(ordinary);
      expect(copy.labels[MANAGED_BY_LABEL]).toBe('gridfed');
    }
    // The first revision records the copies its NodeUnits read: they keep reading them until moved.
    const revision = await revisionOf(first);
    expect(summaryOf(revision)).toBe(expectedSummary(revision, await allKeptCopies()));
  });

  it('a changed default goes out in waves: a reads its new copy while b still reads its old one, unchanged', async () => {
    const before = await allKeptCopies();
    const started = Date.now();
    const update = await reconfigure((sc) => {
      sc.spec.defaults!.data!['greeting'] = VALUES.newGreeting;
    });
    const a = await waitFor(
      'kiosk-a (wave 1) on a new kept copy with the new greeting',
      movedOff('a', before.a),
      60_000,
    );
    const aMoved = since(started);
    expect(a.data['greeting']).toBe(VALUES.newGreeting);
    expect(a.generation).toBeGreaterThan(before.a.generation);
    // Between the waves: b has not moved, and the copy it reads is the old one, as it was.
    const b = await keptCopyOf('b');
    const unmoved = ({ name, data, generation, revision }: KeptCopy) => ({ name, data, generation, revision });
    expect(unmoved(b)).toEqual(unmoved(before.b));
    expect(b.data['greeting']).toBe(VALUES.greeting);
    expect((await rollout())?.phase).toBe('Progressing');
    const movedB = await waitFor('kiosk-b (wave 2) on a new kept copy', movedOff('b', before.b), ROLLOUT_MS);
    const bMoved = since(started);
    expect(movedB.data['greeting']).toBe(VALUES.newGreeting);
    await completes(update, 'changed default');
    const complete = since(started);
    await watch.stop();
    expect(watch.violations).toEqual([]);
    expect(watch.reached).toEqual(['a', 'b']);
    await waitFor(
      `old kept copies ${before.a.name} and ${before.b.name} deleted`,
      async () => {
        await deleted('a', [before.a.name]);
        await deleted('b', [before.b.name]);
      },
      COPY_GC_MS,
      1000,
    );
    process.stderr.write(
      `site-config-rollout: default change: a moved after ${aMoved}, b after ${bMoved}, Complete after ${complete}, old copies gone after ${since(started)}\n`,
    );
  }, 480_000);

  it("an override change for b moves every NodeUnit to the new revision but restarts only b's pods", async () => {
    // From a settled fleet, whatever the test before left.
    await completes((await rollout())?.updateRevision ?? '', 'the change before');
    const before = await allKeptCopies();
    const podsBefore = { a: await podsOf('a'), b: await podsOf('b') };
    expect(podsBefore.a).toHaveLength(1);
    const started = Date.now();
    const update = await reconfigure((sc) => {
      sc.spec.nodeUnits!['b']!.data!['kiosk-id'] = VALUES.newKioskB;
    });
    await completes(update, 'changed override of b');
    const complete = since(started);
    await watch.stop();
    expect(watch.violations).toEqual([]);
    expect(watch.reached).toEqual(['a', 'b']);
    const a = await keptCopyOf('a');
    expect(a.revision).toBe(update);
    expect(a.revision).not.toBe(before.a.revision);
    expect(a.name).toBe(before.a.name);
    // Not restarted: the same pod template, so the same ReplicaSet and the same pods. (Its
    // generation does go up: the apiserver bumps it for a Deployment annotation change too, and
    // gridfed's desired-hash annotation follows the revision label.)
    expect(a.template).toEqual(before.a.template);
    expect(await podsOf('a')).toEqual(podsBefore.a);
    const b = await keptCopyOf('b');
    expect(b.name).not.toBe(before.b.name);
    expect(b.data).toEqual({ greeting: VALUES.newGreeting, 'kiosk-id': VALUES.newKioskB });
    expect(b.template).not.toEqual(before.b.template);
    expect(await podsOf('b')).not.toEqual(podsBefore.b);
    await waitFor(`old kept copy ${before.b.name} deleted`, () => deleted('b', [before.b.name]), COPY_GC_MS, 1000);
    // a's copy is the one in use: kept.
    expect((await keptCopyOf('a')).name).toBe(before.a.name);
    process.stderr.write(
      `site-config-rollout: override change: Complete after ${complete}, b's old copy gone after ${since(started)}\n`,
    );
  }, 300_000);

  it("the grid's ControllerRevisions record each NodeUnit's copy by hash and key names, never a value", async () => {
    const all = await revisions();
    // The first revision, the changed default and the changed override.
    expect(all.length).toBeGreaterThanOrEqual(3);
    const digests = new Set<string>();
    for (const r of all) {
      expect(r.metadata?.name).toBe(`kiosk-dg-${r.metadata?.labels?.[REVISION_HASH_LABEL]}`);
      const digest = snapshotOf(r)?.digest;
      expect(digest).toMatch(/^[0-9a-f]{16}$/);
      digests.add(digest!);
      const json = JSON.stringify(r);
      for (const value of Object.values(VALUES)) expect(json).not.toContain(value);
    }
    // Only the configuration changed between them: each revision has its own digest.
    expect(digests.size).toBe(all.length);
    // Every revision: both NodeUnits' copies, by 16-hex hash and the two key names.
    const copyForm =
      /^kiosk-dg-[0-9a-f]{10} #\d+: a=[0-9a-f]{16} \[greeting kiosk-id\], b=[0-9a-f]{16} \[greeting kiosk-id\]$/;
    expect(all.map(summaryOf).filter((line) => !copyForm.test(line))).toEqual([]);
    // The revision in use names the copies the workloads read.
    const current = await revisionOf((await rollout())?.updateRevision ?? '');
    expect(summaryOf(current)).toBe(expectedSummary(current, await allKeptCopies()));
  });
});
