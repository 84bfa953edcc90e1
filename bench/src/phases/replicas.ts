// Several hub replicas (BENCH_HUB_REPLICAS > 1): who owns which member, each replica's
// memory after the fan-out, and how long a replica's members take to move: after a
// SIGKILL (the Lease must lapse), back to it when it returns (and what it wrote then),
// and after a graceful stop (it frees its members at once).
import { setTimeout as sleep } from 'node:timers/promises';
import type { HubProcess } from '../../../tools/local-hub/hub-process.js';
import type { BenchContext } from '../context.js';
import { HUB_RSS, scrapeHub } from '../hub-metrics.js';
import { progress } from '../log.js';
import { sumMetric } from '../prom.js';
import { round } from '../stats.js';

const OWNED = 'gridfed_shard_owned_members';
const APPLIED = 'gridfed_objects_applied_total';
const SYNCS = 'gridfed_sync_duration_seconds_count';

export interface Handover {
  replica: string;
  members: string[];
  seconds: number;
}

export interface ReplicaFigures {
  replicas: number;
  /** replica -> the members it owned after the fan-out. */
  owned: Record<string, string[]>;
  rssBytes: Record<string, number | null>;
  /** SIGKILL of the replica owning most members until the others own all of them. */
  afterKill: Handover;
  /** That replica started again (same name) until it owns its members again, and the member objects it applied then. */
  comeback: Handover & { objectsApplied: number; syncs: number };
  /** SIGTERM of another replica until the others own its members. */
  afterStop: Handover;
}

async function ownedBy(hub: HubProcess): Promise<string[]> {
  if (hub.pid === undefined) return [];
  const samples = await scrapeHub(hub.url).catch(() => []);
  return samples
    .filter((s) => s.name === OWNED && s.value === 1)
    .map((s) => s.labels['member'] ?? '')
    .sort();
}

async function ownership(ctx: BenchContext): Promise<Map<string, string[]>> {
  const entries = await Promise.all([...ctx.fleet.hubs].map(async ([id, hub]) => [id, await ownedBy(hub)] as const));
  return new Map(entries);
}

/** Polls every 100 ms until `done` holds; the seconds it took from `since`. */
async function secondsUntil(since: number, what: string, done: () => Promise<boolean>, timeoutMs = 120_000) {
  while (!(await done())) {
    if (performance.now() - since > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
  return round((performance.now() - since) / 1000, 2);
}

async function movedAway(ctx: BenchContext, gone: string, members: string[]): Promise<boolean> {
  const now = await ownership(ctx);
  const others = [...now].filter(([id]) => id !== gone).flatMap(([, m]) => m);
  return members.every((m) => others.includes(m));
}

export async function measureReplicas(ctx: BenchContext): Promise<ReplicaFigures> {
  const hubs = ctx.fleet.hubs;
  const owned = await ownership(ctx);
  progress(`replicas: ${JSON.stringify(Object.fromEntries(owned))}`);
  const rssBytes: Record<string, number | null> = {};
  for (const [id, hub] of hubs) rssBytes[id] = sumMetric(await scrapeHub(hub.url), HUB_RSS) || null;

  const [victim, victims] = [...owned].sort((a, b) => b[1].length - a[1].length)[0]!;
  const killed = performance.now();
  await hubs.get(victim)!.kill();
  const killSeconds = await secondsUntil(killed, `members of ${victim} after SIGKILL`, () =>
    movedAway(ctx, victim, victims),
  );
  progress(`replicas: ${victim} SIGKILLed; its ${victims.join(', ')} moved in ${killSeconds} s`);

  const restarted = performance.now();
  const back = hubs.get(victim)!;
  await back.start();
  const comebackSeconds = await secondsUntil(restarted, `${victim} owning its members again`, async () => {
    const mine = await ownedBy(back);
    return victims.every((m) => mine.includes(m));
  });
  // Its first syncs of what it took back: one per (member, grid) it owns.
  const expectedSyncs = ctx.config.grids * victims.length;
  await secondsUntil(restarted, `${victim}'s syncs after taking its members back`, async () => {
    return sumMetric(await scrapeHub(back.url), SYNCS) >= expectedSyncs;
  }).catch((err: unknown) => progress(`replicas: ${String(err)}`));
  const samples = await scrapeHub(back.url);
  const comeback = {
    replica: victim,
    members: victims,
    seconds: comebackSeconds,
    objectsApplied: sumMetric(samples, APPLIED),
    syncs: sumMetric(samples, SYNCS),
  };
  progress(
    `replicas: ${victim} back in ${comebackSeconds} s; it applied ${comeback.objectsApplied} objects in ${comeback.syncs} syncs`,
  );

  const now = await ownership(ctx);
  const [stoppedId, stoppedMembers] = [...now]
    .filter(([id]) => id !== victim)
    .sort((a, b) => b[1].length - a[1].length)[0]!;
  const stopped = performance.now();
  await hubs.get(stoppedId)!.stop();
  const stopSeconds = await secondsUntil(stopped, `members of ${stoppedId} after SIGTERM`, () =>
    movedAway(ctx, stoppedId, stoppedMembers),
  );
  progress(`replicas: ${stoppedId} stopped (SIGTERM); its ${stoppedMembers.join(', ')} moved in ${stopSeconds} s`);
  return {
    replicas: hubs.size,
    owned: Object.fromEntries(owned),
    rssBytes,
    afterKill: { replica: victim, members: victims, seconds: killSeconds },
    comeback,
    afterStop: { replica: stoppedId, members: stoppedMembers, seconds: stopSeconds },
  };
}
