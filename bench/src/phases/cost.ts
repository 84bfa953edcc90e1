// What the hub costs: requests per member object during the fan-out, writes while
// nothing changes, and the memory of the hub and of Redis at the end.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { BenchContext } from '../context.js';
import { residentBytes } from '../hub-process-info.js';
import {
  CONTROL_CLUSTER,
  HUB_CPU,
  HUB_EXTERNAL,
  HUB_HEAP_USED,
  HUB_RSS,
  KUBE_REQUESTS,
  MEMBER_SYNCS,
  ROLLOUT_WRITES,
  STATUS_WRITES,
  scrapeHub,
  scrapeHubText,
} from '../hub-metrics.js';
import { progress } from '../log.js';
import {
  counterDelta,
  counterDeltaBy,
  isWriteMethod,
  parsePrometheusText,
  parseRedisInfo,
  sumMetric,
  type MetricSample,
} from '../prom.js';
import { round } from '../stats.js';

/** Lets trailing work of the last change (a debounced status write) finish before idling starts. */
const IDLE_GRACE_MS = 3000;

export interface FanoutCost {
  memberRequestsDuringFanout: number;
  requestsPerMemberObject: number | null;
  fanoutRequestsByMethod: Record<string, number>;
  /** Every cluster's requests during the fan-out, keyed `cluster METHOD resource`. */
  fanoutRequestsByResource: Record<string, number>;
  hubCpuSecondsDuringFanout: number;
  memberSyncsDuringFanout: number;
  memberSyncsPerGridAndMember: number | null;
}

const toMember = (labels: Record<string, string>): boolean => labels['cluster'] !== CONTROL_CLUSTER;

export function fanoutCost(
  before: MetricSample[],
  after: MetricSample[],
  memberObjects: number,
  gridMembers: number,
): FanoutCost {
  const requests = counterDelta(before, after, KUBE_REQUESTS, toMember);
  const syncs = counterDelta(before, after, MEMBER_SYNCS);
  return {
    memberRequestsDuringFanout: requests,
    requestsPerMemberObject: memberObjects > 0 ? round(requests / memberObjects, 2) : null,
    fanoutRequestsByMethod: counterDeltaBy(before, after, KUBE_REQUESTS, 'method', toMember),
    fanoutRequestsByResource: counterDeltaBy(before, after, KUBE_REQUESTS, ['cluster', 'method', 'resource']),
    hubCpuSecondsDuringFanout: round(counterDelta(before, after, HUB_CPU), 1),
    memberSyncsDuringFanout: syncs,
    memberSyncsPerGridAndMember: gridMembers > 0 ? round(syncs / gridMembers, 2) : null,
  };
}

/** Grid status writes from the first create until the fleet settled, per grid. */
export async function statusWritesPerGrid(ctx: BenchContext, before: MetricSample[]): Promise<number | null> {
  const after = await scrapeHub(ctx.fleet.hub.url);
  const writes = counterDelta(before, after, STATUS_WRITES) + counterDelta(before, after, ROLLOUT_WRITES);
  return ctx.config.grids > 0 ? round(writes / ctx.config.grids, 2) : null;
}

export interface IdleCost {
  idleSeconds: number;
  /** Writes of anything but the hub's Leases: what changed in a fleet where nothing changed. */
  idleWrites: number;
  idleWritesByCluster: Record<string, number>;
  /** The replicas' heartbeats (their own Lease renewals), counted apart: constant, whatever the fleet holds. */
  idleLeaseRenewals: number;
}

export async function measureIdle(ctx: BenchContext): Promise<IdleCost> {
  const seconds = ctx.config.idleSeconds;
  await sleep(IDLE_GRACE_MS);
  const before = await scrapeHub(ctx.fleet.hub.url);
  progress(`idle: counting the hub's writes for ${seconds} s`);
  await sleep(seconds * 1000);
  const after = await scrapeHub(ctx.fleet.hub.url);
  const writes = (l: Record<string, string>): boolean => isWriteMethod(l['method']) && l['resource'] !== 'leases';
  const renewals = (l: Record<string, string>): boolean => isWriteMethod(l['method']) && l['resource'] === 'leases';
  const result = {
    idleSeconds: seconds,
    idleWrites: counterDelta(before, after, KUBE_REQUESTS, writes),
    idleWritesByCluster: counterDeltaBy(before, after, KUBE_REQUESTS, 'cluster', writes),
    idleLeaseRenewals: counterDelta(before, after, KUBE_REQUESTS, renewals),
  };
  progress(
    `idle: ${result.idleWrites} writes in ${seconds} s ${JSON.stringify(result.idleWritesByCluster)}, ` +
      `besides ${result.idleLeaseRenewals} Lease renewals`,
  );
  return result;
}

export interface Footprint {
  hubRssBytes: number | null;
  /** Of the RSS: the JavaScript heap in use, and memory held outside it (buffers). */
  hubHeapUsedBytes: number | null;
  hubExternalBytes: number | null;
  redisUsedMemoryBytes: number | null;
}

export const NO_FOOTPRINT: Footprint = {
  hubRssBytes: null,
  hubHeapUsedBytes: null,
  hubExternalBytes: null,
  redisUsedMemoryBytes: null,
};

/** The hub's own RSS figure, else the kernel's; Redis' used_memory. The last scrape is kept beside the hub log. */
export async function measureFootprint(ctx: BenchContext): Promise<Footprint> {
  const text = await scrapeHubText(ctx.fleet.hub.url);
  writeFileSync(join(ctx.fleet.root, 'hub-metrics-at-end.prom'), text);
  const samples = parsePrometheusText(text);
  const reported = (name: string): number | undefined =>
    samples.some((s) => s.name === name) ? sumMetric(samples, name) : undefined;
  const pid = ctx.fleet.hubPid;
  return {
    hubRssBytes: reported(HUB_RSS) ?? (pid === undefined ? undefined : residentBytes(pid)) ?? null,
    hubHeapUsedBytes: reported(HUB_HEAP_USED) ?? null,
    hubExternalBytes: reported(HUB_EXTERNAL) ?? null,
    redisUsedMemoryBytes: await redisUsedMemory(ctx.fleet.redisUrl),
  };
}

async function redisUsedMemory(url: string): Promise<number | null> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const used = parseRedisInfo(await redis.info('memory'))['used_memory'];
    return used === undefined ? null : Number(used);
  } finally {
    redis.disconnect();
  }
}
