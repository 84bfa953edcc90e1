// The fleet of `make bench-members`: a full control cluster, light members on one etcd,
// Redis, and a hub started fresh for every fleet size. Everything under one folder whose
// pids are on disk, so `stop` (or the next run) ends all of it.
import { AppsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '#gridfed/grid-api';
import { lightMemberSpecs } from '../../../tools/local-cluster/src/fleet.js';
import { ClusterHarness, stopLeftovers } from '../../../tools/local-cluster/src/harness.js';
import type { LocalCluster } from '../../../tools/local-cluster/src/local-cluster.js';
import { HubProcess } from '../../../tools/local-hub/hub-process.js';
import { ensureNamespace } from '../../../tools/local-hub/namespaces.js';
import { prepareControl } from '../../../tools/local-hub/prepare-control.js';
import { registerMember, startRedis, stopRedis } from '../fleet-steps.js';
import { BENCH_NAMESPACE } from '../grids.js';
import { MEMBER_REACHABLE, scrapeHub } from '../hub-metrics.js';
import { stopLeftoverHub } from '../hub-process-info.js';
import { progress } from '../log.js';
import { sumMetric } from '../prom.js';

export class MembersFleet {
  private readonly harness: ClusterHarness;
  control: LocalCluster | undefined;
  members: LocalCluster[] = [];
  /** Members registered with the hub so far (the first `registered` of `members`). */
  registered = 0;
  redisUrl = '';
  hub: HubProcess | undefined;
  private hubRuns = 0;

  constructor(readonly root: string) {
    this.harness = new ClusterHarness(join(root, 'clusters'));
  }

  private get hubPidFile(): string {
    return join(this.root, 'hub.pid');
  }

  private get hubKubeconfig(): string {
    return join(this.root, 'hub-kubeconfig');
  }

  async start(maxMembers: number): Promise<void> {
    await stopLeftoverHub(this.hubPidFile);
    await stopLeftovers(join(this.root, 'clusters'));
    await stopRedis(join(this.root, 'redis'));
    rmSync(this.root, { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
    progress(`starting the control cluster and ${maxMembers} light members in ${this.root}`);
    this.control = await this.harness.startCluster({ name: 'control', nodes: [] });
    this.members = await this.harness.startLightClusters(lightMemberSpecs(maxMembers));
    this.redisUrl = await startRedis(join(this.root, 'redis'));
    await prepareControl(this.control.kubeconfigPath, this.hubKubeconfig);
    await ensureNamespace(this.control.kubeConfig(), BENCH_NAMESPACE);
  }

  /**
   * Registers members until `count` are, with the CLI; then stops each one's token controller:
   * the agent's token is issued, and nothing else on a member needs a controller.
   */
  async registerUpTo(count: number): Promise<void> {
    for (; this.registered < count; this.registered++) {
      const member = this.members[this.registered]!;
      await registerMember(member.name, member.kubeconfigPath, this.control!.kubeconfigPath);
      await member.stopControllerManager();
    }
    progress(`${count} member(s) registered`);
  }

  get registeredMembers(): LocalCluster[] {
    return this.members.slice(0, this.registered);
  }

  etcdPid(): Promise<number | undefined> {
    return this.harness.etcd().then((e) => e.pid);
  }

  /** A fresh hub, with the shipped probe interval; resolves when it reports every registered member reachable. */
  async startHub(): Promise<HubProcess> {
    const logFile = join(this.root, `hub-${++this.hubRuns}.log`);
    const hub = new HubProcess({
      kubeconfig: this.hubKubeconfig,
      redisUrl: this.redisUrl,
      logFile,
      env: { MEMBER_CONCURRENCY: '8', PROBE_INTERVAL_SECONDS: '5' },
      replicaId: 'bench-members-hub',
    });
    this.hub = hub;
    await hub.start();
    writeFileSync(this.hubPidFile, `${hub.pid ?? ''}\n`);
    const names = this.registeredMembers.map((m) => m.name);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const samples = await scrapeHub(hub.url);
      const missing = names.filter((n) => sumMetric(samples, MEMBER_REACHABLE, (l) => l['member'] === n) !== 1);
      if (missing.length === 0) return hub;
      if (Date.now() > deadline) throw new Error(`hub (${logFile}) does not reach ${missing.join(', ')} after 90 s`);
      await sleep(500);
    }
  }

  async stopHub(): Promise<void> {
    await this.hub?.stop();
    this.hub = undefined;
  }

  custom(): CustomObjectsApi {
    return this.control!.kubeConfig().makeApiClient(CustomObjectsApi);
  }

  /** gridfed's Deployments in the bench namespace of each registered member. */
  async managedDeployments(): Promise<number[]> {
    return Promise.all(
      this.registeredMembers.map(async (m) => {
        const apps = m.kubeConfig().makeApiClient(AppsV1Api);
        const list = await apps
          .listNamespacedDeployment({
            namespace: BENCH_NAMESPACE,
            labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
          })
          .catch(() => ({ items: [] }));
        return list.items.length;
      }),
    );
  }

  async stop(): Promise<void> {
    await this.stopHub().catch(() => undefined);
    await this.harness.teardown().catch((err: unknown) => progress(`stopping the clusters: ${String(err)}`));
    await stopRedis(join(this.root, 'redis')).catch((err: unknown) => progress(`stopping Redis: ${String(err)}`));
  }
}
