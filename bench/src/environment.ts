// Everything a run needs, in its private folder (fresh each run): a control cluster,
// three members, Redis and the hub acting as its ServiceAccount, with the members
// registered through the CLI. `stop` ends all of it, also after a failure or ^C, and
// the next run first stops whatever a killed run left (every pid is on disk).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClusterHarness, stopLeftovers } from '../../tools/local-cluster/src/harness.js';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { HubProcess } from '../../tools/local-hub/hub-process.js';
import { prepareControl } from '../../tools/local-hub/prepare-control.js';
import type { BenchConfig } from './config.js';
import { registerMember, startRedis, stopRedis } from './fleet-steps.js';
import { childHubPid, stopLeftoverHub } from './hub-process-info.js';
import { MEMBER_REACHABLE, scrapeHub } from './hub-metrics.js';
import { MEMBER_LAYOUT, MEMBERS, memberNodes, nodesPerUnit } from './layout.js';
import { progress } from './log.js';
import { hubProfileDir, hubProfiling } from './profile/window.js';
import { sumMetric } from './prom.js';

export interface BenchFleet {
  root: string;
  control: LocalCluster;
  members: ReadonlyMap<string, LocalCluster>;
  redisUrl: string;
  /** The first replica (the only one unless BENCH_HUB_REPLICAS > 1). */
  hub: HubProcess;
  hubPid: number | undefined;
  hubLog: string;
  /** Every replica, the first included, by replica id. */
  hubs: ReadonlyMap<string, HubProcess>;
}

export class BenchEnvironment {
  private readonly harness: ClusterHarness;
  private readonly hubs = new Map<string, HubProcess>();
  private stopping: Promise<void> | undefined;

  constructor(readonly root: string) {
    this.harness = new ClusterHarness(this.clustersDir);
  }

  private get clustersDir(): string {
    return join(this.root, 'clusters');
  }

  private get redisDir(): string {
    return join(this.root, 'redis');
  }

  private get hubPidFile(): string {
    return join(this.root, 'hub.pid');
  }

  async start(config: BenchConfig): Promise<BenchFleet> {
    await this.clearEarlierRun();
    const perUnit = nodesPerUnit(config.grids, config.edits);
    progress(`starting clusters control, ${MEMBERS.join(', ')} (${perUnit} node(s) per NodeUnit) in ${this.root}`);
    const [control, ...members] = await this.harness.startClusters([
      { name: 'control', nodes: [] },
      ...MEMBER_LAYOUT.map((m) => ({ name: m.member, nodes: memberNodes(m, perUnit) })),
    ]);
    const redisUrl = await this.startRedis();
    progress(`Redis at ${redisUrl}; installing CRDs and the hub's RBAC in the control cluster`);
    const hubKubeconfig = join(this.root, 'hub-kubeconfig');
    await prepareControl(control!.kubeconfigPath, hubKubeconfig);
    const hubLog = join(this.root, 'hub.log');
    const replicas = Array.from({ length: config.hubReplicas }, (_, i) => i);
    await Promise.all(
      replicas.map((i) =>
        this.startHub(hubKubeconfig, redisUrl, i === 0 ? hubLog : join(this.root, `hub-${i}.log`), config, i),
      ),
    );
    const hub = this.hubs.get(replicaId(0))!;
    const fleet: BenchFleet = {
      root: this.root,
      control: control!,
      members: new Map(members.map((m) => [m.name, m])),
      redisUrl,
      hub,
      hubPid: childHubPid(process.pid, hub.pid),
      hubLog,
      hubs: this.hubs,
    };
    const pids = [...this.hubs.values()].map((h) => h.pid).filter((p) => p !== undefined);
    writeFileSync(this.hubPidFile, pids.map((p) => `${p}\n`).join(''));
    await registerMembers(fleet);
    await waitMembersReachable(
      [...this.hubs.values()].map((h) => h.url),
      60_000,
    );
    return fleet;
  }

  /** Stops the hub, the clusters and Redis; safe to call more than once and from a signal handler. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    await Promise.all(
      [...this.hubs.values()].map((h) =>
        h.stop().catch((err: unknown) => progress(`stopping the hub: ${String(err)}`)),
      ),
    );
    await stopLeftoverHub(this.hubPidFile).catch(() => undefined);
    await this.harness.teardown().catch((err: unknown) => progress(`stopping the clusters: ${String(err)}`));
    await stopRedis(this.redisDir).catch((err: unknown) => progress(`stopping Redis: ${String(err)}`));
  }

  private async clearEarlierRun(): Promise<void> {
    await stopLeftoverHub(this.hubPidFile);
    await stopLeftovers(this.clustersDir);
    await stopRedis(this.redisDir);
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
  }

  /** BENCH_HUB_PROFILE=1: a V8 CPU profile of the whole run, written when the hub stops. */
  private profileFlags(): string[] {
    if (!hubProfiling(process.env)) return [];
    const dir = hubProfileDir(this.root);
    progress(`profiling the hub's CPU; the profile goes to ${dir} when it stops`);
    return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  }

  private startRedis(): Promise<string> {
    return startRedis(this.redisDir);
  }

  private async startHub(kubeconfig: string, redisUrl: string, logFile: string, config: BenchConfig, index: number) {
    const id = replicaId(index);
    progress(`starting hub replica ${id} (MEMBER_CONCURRENCY=${config.concurrency}; log in ${logFile})`);
    // The hub's own defaults, not the e2e suite's faster member probes: those would inflate the request count.
    const env = { MEMBER_CONCURRENCY: String(config.concurrency), PROBE_INTERVAL_SECONDS: '5' };
    const hub = new HubProcess({
      kubeconfig,
      redisUrl,
      logFile,
      env,
      replicaId: id,
      nodeFlags: index === 0 ? this.profileFlags() : [],
    });
    this.hubs.set(id, hub);
    await hub.start();
    return hub;
  }
}

async function registerMembers(fleet: BenchFleet): Promise<void> {
  for (const [name, member] of fleet.members) {
    progress(`registering ${name} with the gridfed CLI`);
    await registerMember(name, member.kubeconfigPath, fleet.control.kubeconfigPath);
  }
}

/** The bench's replica ids: bench-hub-0, bench-hub-1, ... */
export const replicaId = (index: number): string => `bench-hub-${index}`;

/** Until the replicas report every member reachable (`gridfed_member_reachable` 1, from its owner). */
async function waitMembersReachable(hubUrls: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let unreachable: string[] = [...MEMBERS];
  while (Date.now() < deadline) {
    const samples = (await Promise.all(hubUrls.map((url) => scrapeHub(url)))).flat();
    unreachable = MEMBERS.filter((m) => sumMetric(samples, MEMBER_REACHABLE, (l) => l['member'] === m) !== 1);
    if (unreachable.length === 0) return progress(`the hub reaches ${MEMBERS.join(', ')}`);
    await sleep(500);
  }
  throw new Error(`the hub does not report ${unreachable.join(', ')} reachable after ${timeoutMs / 1000} s`);
}
