// Several local clusters under one root folder, and the guarantee that nothing
// outlives them: every component's pid is on disk, so teardown (or the next
// run, after a crash) stops whatever a run left behind.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureKubeBinaries, type KubeBinaries } from './binaries.js';
import { LocalCluster, type ClusterSpec } from './local-cluster.js';
import { stopByPidFile } from './process.js';
import { SharedEtcd } from './shared-etcd.js';

export class ClusterHarness {
  private readonly clusters = new Map<string, LocalCluster>();
  private bin: KubeBinaries | undefined;
  private sharedEtcd: Promise<SharedEtcd> | undefined;

  constructor(readonly root: string) {}

  /** Starts (or restarts, keeping its data) the named cluster; resolves once its nodes are Ready. */
  async startCluster(spec: ClusterSpec): Promise<LocalCluster> {
    const cluster =
      this.clusters.get(spec.name) ?? (await LocalCluster.open(this.root, spec.name, this.binaries(), spec.options));
    this.clusters.set(spec.name, cluster);
    try {
      await cluster.start(spec.nodes);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Starts several clusters side by side. */
  startClusters(specs: ClusterSpec[]): Promise<LocalCluster[]> {
    return Promise.all(specs.map((spec) => this.startCluster(spec)));
  }

  /**
   * Light clusters (see lightMemberSpecs) on one etcd of this harness, started `batch` at a
   * time: a kube-apiserver's start costs about a core for seconds, and the machine has two.
   */
  async startLightClusters(specs: ClusterSpec[], batch = 4): Promise<LocalCluster[]> {
    const sharedEtcd = await this.etcd();
    const started: LocalCluster[] = [];
    for (let i = 0; i < specs.length; i += batch) {
      const slice = specs
        .slice(i, i + batch)
        .map((s) => ({ ...s, options: { profile: 'light' as const, sharedEtcd } }));
      started.push(...(await this.startClusters(slice)));
    }
    return started;
  }

  /** The etcd light clusters share, started on first use. */
  etcd(): Promise<SharedEtcd> {
    this.sharedEtcd ??= SharedEtcd.start(this.root, this.binaries());
    return this.sharedEtcd;
  }

  cluster(name: string): LocalCluster {
    const cluster = this.clusters.get(name);
    if (!cluster) throw new Error(`no cluster "${name}" was started by this harness`);
    return cluster;
  }

  /** Lets this process exit while the clusters keep running (`make clusters`). */
  detach(): void {
    for (const cluster of this.clusters.values()) cluster.detach();
  }

  /** Stops every cluster under the root, including ones left by an earlier process. */
  async teardown(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((c) => c.stop()));
    if (this.sharedEtcd) await (await this.sharedEtcd.catch(() => undefined))?.stop();
    await stopLeftovers(this.root);
  }

  private binaries(): KubeBinaries {
    this.bin ??= ensureKubeBinaries();
    return this.bin;
  }
}

/** Stops every component whose pid file sits in a cluster folder under `root`. */
export async function stopLeftovers(root: string): Promise<void> {
  if (!existsSync(root)) return;
  const pidFiles = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = join(root, entry.name);
      return readdirSync(dir)
        .filter((f) => f.endsWith('.pid'))
        .map((f) => join(dir, f));
    });
  // Everything that talks to etcd stops first, together; etcd last, so none logs a storm of etcd errors.
  const isEtcd = (f: string): boolean => f.endsWith('/etcd.pid');
  await Promise.all(pidFiles.filter((f) => !isEtcd(f)).map(stopByPidFile));
  await Promise.all(pidFiles.filter(isEtcd).map(stopByPidFile));
}
