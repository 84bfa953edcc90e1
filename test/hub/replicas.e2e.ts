// Several hub replicas on real clusters and a real Redis: three replicas started at the same
// moment share four members through Leases, one is SIGKILLed mid-rollout and its members
// move to the others, the grid converges, and the replica that comes back gets its members
// back without writing anything that did not differ. Every replica's log says when it took
// a member and when it stopped writing to it: no two replicas may ever overlap on one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Deployment } from '@kubernetes/client-node';
import { ownerOf } from '#gridfed/sharding';
import type { DeploymentGrid } from '#gridfed/grid-api';
import type { MemberCluster } from '#gridfed/cluster-registry';
import { ensureKubeBinaries } from '../../tools/local-cluster/src/binaries.js';
import { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { HubProcess } from '../../tools/local-hub/hub-process.js';
import { testFleetRoot } from '../cluster/jest/test-fleet.js';
import { eventually } from '../cluster/jest/eventually.js';
import { readConfigMap, siteConfigApi } from './site-config-api.js';
import {
  apps,
  ensureNamespace,
  gridApi,
  gridfed,
  hubKubeconfig,
  hubMetric,
  openFleet,
  redisUrl,
  type Fleet,
} from './fixtures.js';

const NS = 'replicas';
const REPLICAS = ['hub-a', 'hub-b', 'hub-c'];
// Short leases keep the test quick; the bound they give scales with them.
const LEASE_SECONDS = 6;
const LEASES = {
  LEASE_DURATION_SECONDS: String(LEASE_SECONDS),
  LEASE_RENEW_DEADLINE_SECONDS: '4',
  LEASE_RETRY_PERIOD_SECONDS: '1',
};
const EXTRA = [
  { name: 'member-3', zone: 'zone3' },
  { name: 'member-4', zone: 'zone4' },
];
const MEMBERS = ['member-1', 'member-2', 'member-3', 'member-4'];
const ZONES = ['zone1', 'zone2', 'zone3', 'zone4'];

const grid: DeploymentGrid = {
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'shared', namespace: NS, labels: { 'superedge.io/fed': 'yes' } },
  spec: {
    gridUniqKey: 'zone',
    rolloutStrategy: {
      type: 'Progressive',
      waves: [{ percent: 25 }, { percent: 50 }, { percent: 100 }],
      maxUnavailableNodeUnits: 1,
      minReadySeconds: 2,
      progressDeadlineSeconds: 60,
    },
    template: {
      replicas: 1,
      selector: { matchLabels: { app: 'shared' } },
      template: {
        metadata: { labels: { app: 'shared' } },
        spec: { containers: [{ name: 'echo', image: 'superedge/echoserver:1' }] },
      },
    },
  },
};

let fleet: Fleet;
let extra: LocalCluster[] = [];
const hubs = new Map<string, HubProcess>();
/** replica -> when it was SIGKILLed (its ownership ends there). */
const killedAt = new Map<string, number>();
/** replica -> every SIGKILL, in order: a process's ownership ends at its death. */
const kills = new Map<string, number[]>();
let grids: ReturnType<typeof gridApi>;

const members = (): LocalCluster[] => [fleet.member1, fleet.member2, ...extra];

function replica(id: string): HubProcess {
  return new HubProcess({
    kubeconfig: hubKubeconfig(),
    redisUrl: redisUrl(),
    logFile: join(testFleetRoot(), `hub-replicas-${id}.log`),
    replicaId: id,
    env: LEASES,
  });
}

interface Readiness {
  status: string;
  replica: string;
  checks: Record<string, string>;
}

/** The members each live replica says it owns (its /metrics). */
async function owned(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [id, hub] of hubs) {
    if (hub.pid === undefined) continue;
    // A frozen replica (SIGSTOP) does not answer: it owns nothing anyone can see.
    const text = await fetch(`${hub.url}/metrics`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.text())
      .catch(() => '');
    const mine = [...text.matchAll(/^gridfed_shard_owned_members\{replica="[^"]+",member="([^"]+)"\} 1$/gm)].map(
      (m) => m[1]!,
    );
    out.set(id, mine.sort());
  }
  return out;
}

const metric = (hub: HubProcess, name: string): Promise<number> => hubMetric(hub.url, name);

/** Member Deployments of the grid by NodeUnit. */
async function images(): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  for (const member of members()) {
    const list = await apps(member).listNamespacedDeployment({
      namespace: NS,
      labelSelector: 'gridfed.io/grid-name=shared',
    });
    for (const d of list.items as V1Deployment[])
      out.set(d.metadata?.labels?.['gridfed.io/nodeunit'] ?? '', d.spec?.template.spec?.containers[0]?.image);
  }
  return out;
}

const rollout = async () => ((await grids.get(grid)) as DeploymentGrid).status?.rollout;

async function completes(image: string): Promise<void> {
  await eventually(async () => {
    lastSeen = { rollout: await rollout(), images: Object.fromEntries(await images()) };
    const r = await rollout();
    expect(r?.phase).toBe('Complete');
    expect(r?.stableRevision).toBe(r?.updateRevision);
    const now = await images();
    expect([...now.keys()].sort()).toEqual(ZONES);
    for (const zone of ZONES) expect(now.get(zone)).toBe(image);
  }, 120_000).catch((err: unknown) => {
    process.stderr.write(`replicas: last seen ${JSON.stringify(lastSeen, null, 2)}\n`);
    throw err;
  });
}
let lastSeen: unknown;

/**
 * Once the rollout is Complete, each NodeUnit's Deployment reads its kept copy
 * (`shared-config-<zone>-<hash>`), holding `greeting` and its own site: NodeUnit -> copy name.
 */
async function keptCopiesHold(greeting: string): Promise<Map<string, string>> {
  const pointed = new Map<string, string>();
  await completes('superedge/echoserver:2');
  await eventually(async () => {
    for (const [i, member] of members().entries()) {
      const zone = ZONES[i]!;
      const d = await apps(member).readNamespacedDeployment({ name: `shared-${zone}`, namespace: NS });
      const name = d.spec?.template.spec?.containers[0]?.envFrom?.[0]?.configMapRef?.name ?? '';
      expect(name).toMatch(new RegExp(`^shared-config-${zone}-[0-9a-f]{10}$`));
      expect((await readConfigMap(member.kubeConfig(), NS, name))?.data).toEqual({ greeting, site: zone });
      pointed.set(zone, name);
    }
  }, 120_000);
  return pointed;
}

/**
 * Ownership intervals per member from every replica's log: [took it, stopped writing to it
 * (or was killed, or still holds it)].
 */
function ownership(): Map<string, { replica: string; from: number; to: number }[]> {
  const out = new Map<string, { replica: string; from: number; to: number }[]>();
  for (const id of REPLICAS) {
    const open = new Map<string, number>();
    const close = (member: string, to: number) => {
      const from = open.get(member);
      if (from === undefined) return;
      open.delete(member);
      out.set(member, [...(out.get(member) ?? []), { replica: id, from, to }]);
    };
    const lines = readFileSync(join(testFleetRoot(), `hub-replicas-${id}.log`), 'utf8').split('\n');
    const deaths = [...(kills.get(id) ?? [])];
    let process: number | undefined;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const { time, msg, pid } = JSON.parse(line) as { time: number; msg: string; pid: number };
      // A new process: the one before held nothing after its SIGKILL.
      if (process !== undefined && pid !== process) {
        const death = deaths.shift() ?? time;
        for (const member of [...open.keys()]) close(member, death);
      }
      process = pid;
      const took = /^hub sharding: \S+ now owns member (\S+)$/.exec(msg);
      // A fenced replica stopped writing when its renew deadline passed, which it logs once it runs again.
      const left = /^hub sharding: \S+ stopped writing to member (\S+?)(?: \(fenced at (\S+)\))?$/.exec(msg);
      if (took) open.set(took[1]!, time);
      if (left) close(left[1]!, left[2] ? Date.parse(left[2]) : time);
    }
    for (const member of [...open.keys()]) close(member, killedAt.get(id) ?? Number.POSITIVE_INFINITY);
  }
  return out;
}

beforeAll(async () => {
  fleet = await openFleet();
  grids = gridApi(fleet.control.kubeConfig());
  const bin = ensureKubeBinaries();
  extra = await Promise.all(EXTRA.map((m) => LocalCluster.open(testFleetRoot(), m.name, bin)));
  await Promise.all(extra.map((c, i) => c.start([{ name: `${c.name}-node-1`, labels: { zone: EXTRA[i]!.zone } }])));
  for (const member of members()) await gridfed(fleet, 'register', member.name, '--kubeconfig', member.kubeconfigPath);
  await ensureNamespace(fleet.control.kubeConfig(), NS);
  // Three replicas started at the same moment.
  for (const id of REPLICAS) hubs.set(id, replica(id));
  await Promise.all([...hubs.values()].map((h) => h.start()));
}, 240_000);

afterAll(async () => {
  await grids.delete(grid).catch(() => undefined);
  await siteConfigApi(fleet.control.kubeConfig(), NS)
    .delete('shared-config')
    .catch(() => undefined);
  await eventually(async () => expect(await grids.exists(grid)).toBe(false), 60_000).catch(() => undefined);
  for (const member of members()) await gridfed(fleet, 'unregister', member.name).catch(() => undefined);
  await Promise.all([...hubs.values()].map((h) => h.stop()));
  await Promise.all(extra.map((c) => c.stop()));
}, 180_000);

describe('three hub replicas', () => {
  it('own every member exactly once, by rendezvous hashing, and say so in gridfed clusters', async () => {
    await eventually(async () => {
      const shards = await owned();
      const all = [...shards.values()].flat().sort();
      expect(all).toEqual(MEMBERS);
      for (const [id, mine] of shards) expect(mine).toEqual(MEMBERS.filter((m) => ownerOf(m, REPLICAS) === id));
    }, 60_000);
    await eventually(async () => {
      const list = JSON.parse(await gridfed(fleet, 'clusters', '-o', 'json')) as { items: MemberCluster[] };
      const owners = Object.fromEntries(list.items.map((mc) => [mc.metadata.name, mc.status?.owner]));
      for (const m of MEMBERS) expect(owners[m]).toBe(ownerOf(m, REPLICAS));
    }, 30_000);
    const table = await gridfed(fleet, 'clusters');
    expect(table.split('\n')[0]?.split(/\s+/)).toContain('OWNER');
    for (const [id, hub] of hubs) {
      const ready = (await (await fetch(`${hub.url}/readyz`)).json()) as Readiness;
      expect(ready).toMatchObject({ status: 'ready', replica: id });
    }
  });

  it('hands a SIGKILLed replica’s members to the others mid-rollout; the grid converges', async () => {
    await grids.create(grid);
    await completes('superedge/echoserver:1');
    await grids.update(grid, (g) => {
      (g as DeploymentGrid).spec.template.template!.spec!.containers[0]!.image = 'superedge/echoserver:2';
    });
    await eventually(async () => expect((await rollout())?.phase).toBe('Progressing'), 30_000);
    // The replica with the most members goes.
    const shards = await owned();
    const [victim, victims] = [...shards].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(victims.length).toBeGreaterThan(0);
    await hubs.get(victim)!.kill();
    killedAt.set(victim, Date.now());
    kills.set(victim, [...(kills.get(victim) ?? []), killedAt.get(victim)!]);
    const survivors = REPLICAS.filter((r) => r !== victim);
    await eventually(
      async () => {
        const now = await owned();
        for (const m of victims) expect(survivors.some((r) => now.get(r)?.includes(m))).toBe(true);
      },
      3 * LEASE_SECONDS * 1000,
    );
    const handoverMs = Date.now() - killedAt.get(victim)!;
    process.stderr.write(`replicas: ${victim} SIGKILLed; its ${victims.length} member(s) moved in ${handoverMs} ms\n`);
    // Within one lease duration after the Lease lapsed (seen one lease duration after its last renewal).
    expect(handoverMs).toBeLessThan(2 * LEASE_SECONDS * 1000 + 2000);
    await completes('superedge/echoserver:2');
  });

  it('gives a replica that comes back its members, writing nothing that did not differ', async () => {
    const [victim] = [...killedAt.keys()];
    const hub = hubs.get(victim!)!;
    killedAt.delete(victim!);
    await hub.start();
    await eventually(async () => {
      const now = await owned();
      expect(now.get(victim!)).toEqual(MEMBERS.filter((m) => ownerOf(m, REPLICAS) === victim));
      expect([...now.values()].flat().sort()).toEqual(MEMBERS);
    }, 60_000);
    // Its syncs of the members it took back found them as the others left them.
    await eventually(
      async () => expect(await metric(hub, 'gridfed_sync_duration_seconds_count')).toBeGreaterThan(0),
      30_000,
    );
    expect(await metric(hub, 'gridfed_objects_applied_total')).toBe(0);
    expect(await metric(hub, 'gridfed_objects_deleted_total')).toBe(0);
    await completes('superedge/echoserver:2');
  });

  it('fences a replica frozen past its Lease: the others take its members; awake, it takes them back writing nothing', async () => {
    const shards = await owned();
    const [frozen, members] = [...shards].filter(([, m]) => m.length > 0).sort((a, b) => b[1].length - a[1].length)[0]!;
    const hub = hubs.get(frozen)!;
    const appliedBefore = await metric(hub, 'gridfed_objects_applied_total');
    process.kill(hub.pid!, 'SIGSTOP');
    try {
      await eventually(
        async () => {
          const now = await owned();
          for (const m of members)
            expect(REPLICAS.filter((r) => r !== frozen).some((r) => now.get(r)?.includes(m))).toBe(true);
        },
        3 * LEASE_SECONDS * 1000,
      );
    } finally {
      process.kill(hub.pid!, 'SIGCONT');
    }
    // Awake: fenced (its renew deadline passed while it slept), it takes its members back from
    // the others through the handover and, finding them as the others left them, writes nothing.
    await eventually(async () => expect((await owned()).get(frozen)).toEqual(members), 60_000);
    await completes('superedge/echoserver:2');
    expect(await metric(hub, 'gridfed_objects_applied_total')).toBe(appliedBefore);
  });

  it('a SiteConfig across members owned by three replicas: kept copies, status Ready 4/4, a change through the waves', async () => {
    const configs = siteConfigApi(fleet.control.kubeConfig(), NS);
    const nodeUnits = Object.fromEntries(ZONES.map((z) => [z, { data: { site: z } }]));
    await configs.create({
      apiVersion: 'gridfed.io/v1alpha1',
      kind: 'SiteConfig',
      metadata: { name: 'shared-config', namespace: NS },
      spec: { gridUniqKey: 'zone', defaults: { data: { greeting: 'hello' } }, nodeUnits },
    });
    await grids.update(grid, (g) => {
      (g as DeploymentGrid).spec.template.template!.spec!.containers[0]!.envFrom = [
        { configMapRef: { name: 'shared-config' } },
      ];
    });
    const pointed = await keptCopiesHold('hello');
    await eventually(async () => {
      const status = (await configs.get('shared-config')).status;
      expect({ nodeUnits: status?.nodeUnits, ready: status?.readyNodeUnits }).toEqual({ nodeUnits: 4, ready: 4 });
    }, 60_000);
    await configs.update('shared-config', (live) => {
      live.spec.defaults = { data: { greeting: 'hi' } };
    });
    const repointed = await keptCopiesHold('hi');
    for (const zone of ZONES) expect(repointed.get(zone)).not.toBe(pointed.get(zone));
    // No revision in use records the first kept copies any more: the copy sync deletes them.
    await eventually(async () => {
      for (const [i, member] of members().entries())
        expect(await readConfigMap(member.kubeConfig(), NS, pointed.get(ZONES[i]!)!)).toBeUndefined();
    }, 90_000);
  });

  it('never had two replicas owning one member at once (start together, SIGKILL, comeback, freeze)', () => {
    const intervals = ownership();
    expect([...intervals.keys()].sort()).toEqual(MEMBERS);
    for (const [member, list] of intervals) {
      const sorted = [...list].sort((a, b) => a.from - b.from);
      for (let i = 1; i < sorted.length; i++) {
        expect({ member, next: sorted[i]!.replica, startsAfterPrevious: sorted[i]!.from >= sorted[i - 1]!.to }).toEqual(
          {
            member,
            next: sorted[i]!.replica,
            startsAfterPrevious: true,
          },
        );
      }
    }
  });
});
