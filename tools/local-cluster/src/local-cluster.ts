// One local Kubernetes cluster: etcd, kube-apiserver (TLS, token auth, RBAC),
// kube-controller-manager, kube-scheduler and kwok, each its own process on
// 127.0.0.1. Its folder keeps etcd's data, the PKI, ports and kubeconfig, so a
// stopped cluster starts again with everything it held.
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeBinaries } from './binaries.js';
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  extraComponents,
  LIGHT_GO_ENV,
  type ClusterProfile,
} from './component-args.js';
import { renderKubeconfig } from './kubeconfig.js';
import { freePort, waitHealthy } from './net.js';
import { writeKwokStages } from './kwok-stages.js';
import { isNodeReady, labelPatch, renderNode, type NodeSpec } from './nodes.js';
import { ensurePki, type ClusterPki } from './pki.js';
import { ComponentProcess, delay } from './process.js';

export interface ClusterSpec {
  name: string;
  nodes: NodeSpec[];
  options?: ClusterOptions;
}

/** An etcd that several clusters share, each under its own key prefix (see SharedEtcd). */
export interface SharedEtcdRef {
  clientPort: number;
  prefixOf(cluster: string): string;
}

export interface ClusterOptions {
  /**
   * 'light': an apiserver tuned for a small footprint (component-args.ts) and only the token
   * controller; its nodes are plain Node objects, never Ready, and pods never run. Default 'full'.
   */
  profile?: ClusterProfile;
  /** Store the cluster in this etcd under its own prefix instead of starting an etcd of its own. */
  sharedEtcd?: SharedEtcdRef;
}

interface ClusterPorts {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
}

const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

const APISERVER_READY_MS = 90_000;
const NODES_READY_MS = 60_000;

export class LocalCluster {
  readonly dir: string;
  readonly kubeconfigPath: string;
  private readonly processes = new Map<ComponentName, ComponentProcess>();

  private constructor(
    readonly name: string,
    root: string,
    private readonly bin: KubeBinaries,
    private readonly pki: ClusterPki,
    readonly ports: ClusterPorts,
    private readonly options: ClusterOptions,
  ) {
    this.dir = join(root, name);
    this.kubeconfigPath = join(this.dir, 'kubeconfig');
  }

  /** Opens the cluster folder under `root`, creating PKI, ports and kubeconfig on first use. */
  static async open(
    root: string,
    name: string,
    bin: KubeBinaries,
    options: ClusterOptions = {},
  ): Promise<LocalCluster> {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new Error(`cluster name "${name}" must be a DNS label (lower-case letters, digits, '-')`);
    }
    const dir = join(root, name);
    mkdirSync(join(dir, 'pki'), { recursive: true });
    const pki = await ensurePki(join(dir, 'pki'), name);
    const portsFile = join(dir, 'ports.json');
    const ports: ClusterPorts = existsSync(portsFile)
      ? (JSON.parse(readFileSync(portsFile, 'utf8')) as ClusterPorts)
      : { etcdClient: await freePort(), etcdPeer: await freePort(), apiserver: await freePort() };
    if (options.sharedEtcd) Object.assign(ports, { etcdClient: options.sharedEtcd.clientPort, etcdPeer: 0 });
    writeFileSync(portsFile, JSON.stringify(ports, null, 2));
    const cluster = new LocalCluster(name, root, bin, pki, ports, options);
    writeFileSync(cluster.kubeconfigPath, cluster.renderKubeconfig(), { mode: 0o600 });
    return cluster;
  }

  get server(): string {
    return `https://127.0.0.1:${this.ports.apiserver}`;
  }

  get caPem(): string {
    return readFileSync(this.pki.caCertFile, 'utf8');
  }

  /** An admin (system:masters) client configuration for this cluster. */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(this.renderKubeconfig());
    return kc;
  }

  get profile(): ClusterProfile {
    return this.options.profile ?? 'full';
  }

  /**
   * Starts every component and creates the nodes that do not exist yet; resolves when they are
   * Ready (a light cluster runs no kwok: its nodes exist, labelled, and are never Ready).
   */
  async start(nodes: NodeSpec[] = []): Promise<void> {
    if (!this.options.sharedEtcd) await this.startEtcd();
    await this.startApiserver();
    for (const name of extraComponents(this.profile)) this.startComponent(name);
    for (const node of nodes) await this.addNode(node, { ifMissing: true });
    if (this.profile === 'full') await this.waitNodesReady(nodes.map((n) => n.name));
  }

  /** Stops every component, the apiserver before etcd. Data stays in the cluster folder. */
  async stop(): Promise<void> {
    const clients = COMPONENTS.filter((name) => name !== 'etcd');
    await Promise.all(clients.map((name) => this.processes.get(name)?.stop()));
    await this.processes.get('etcd')?.stop();
  }

  private async startEtcd(): Promise<void> {
    this.startComponent('etcd');
    await waitHealthy(
      `${this.name}/etcd`,
      { url: `http://127.0.0.1:${this.ports.etcdClient}/health` },
      30_000,
      () => !this.component('etcd').isRunning(),
    );
  }

  async startApiserver(): Promise<void> {
    this.startComponent('kube-apiserver');
    await waitHealthy(
      `${this.name}/kube-apiserver`,
      { url: `${this.server}/readyz`, ca: this.caPem, token: this.pki.adminToken },
      APISERVER_READY_MS,
      () => !this.component('kube-apiserver').isRunning(),
    );
  }

  /** Graceful stop of the apiserver alone (SIGTERM). */
  stopApiserver(): Promise<void> {
    return this.component('kube-apiserver').stop();
  }

  /** SIGKILL of the apiserver alone: an outage as members see one. */
  killApiserver(): Promise<void> {
    return this.component('kube-apiserver').kill();
  }

  /**
   * Compacts etcd's history up to its current revision and frees it on disk, so that a
   * watch from any older resourceVersion gets 410 Gone (Expired). Returns that revision.
   * Through etcd's own HTTP gateway: the harness builds no etcdctl.
   */
  async compactEtcd(): Promise<number> {
    const kv = `http://127.0.0.1:${this.ports.etcdClient}/v3/kv`;
    // A range over a key nobody has still answers with the store's revision in its header.
    const range = (await postJson(`${kv}/range`, { key: Buffer.from('\0').toString('base64') })) as {
      header?: { revision?: string };
    };
    const revision = Number(range.header?.revision);
    if (!Number.isSafeInteger(revision) || revision <= 0)
      throw new Error(`${this.name}/etcd: no revision in ${JSON.stringify(range)}`);
    await postJson(`${kv}/compaction`, { revision: String(revision), physical: true });
    return revision;
  }

  /** Stops the controller-manager alone: nothing rewrites workload status until it starts again. */
  stopControllerManager(): Promise<void> {
    return this.component('kube-controller-manager').stop();
  }

  startControllerManager(): void {
    this.startComponent('kube-controller-manager');
  }

  /**
   * After an apiserver outage the controller-manager's watches come back on their own
   * backoff (up to 30 s each), so its garbage collector can take a minute to act; a fresh
   * one lists at once. Tests that killed the apiserver call this before the next test
   * relies on garbage collection.
   */
  async restartControllerManager(): Promise<void> {
    await this.stopControllerManager();
    this.startControllerManager();
  }

  /**
   * A fresh controller-manager and scheduler. After an apiserver outage each comes back on its
   * own client-go backoff (up to 30 s per watch, jittered); a fresh process lists at once, so
   * the next test does not depend on how long the last one kept the apiserver away. kwok is
   * left running: a new kwok waits for its predecessor's node leases to expire (40 s here)
   * before it acts on any pod, which would only delay the next file.
   */
  async restartControllers(): Promise<void> {
    for (const name of extraComponents(this.profile)) {
      if (name === 'kwok') continue;
      await this.component(name).stop();
      this.startComponent(name);
    }
  }

  /** A fresh kwok: for nodes it stopped keeping Ready. It acts once the old node leases expire (40 s). */
  async restartKwok(): Promise<void> {
    await this.component('kwok').stop();
    this.startComponent('kwok');
  }

  /** The components this cluster's profile runs that are not running now (crashed, or stopped by a test). */
  stoppedComponents(): ComponentName[] {
    const own: ComponentName[] = [
      ...(this.options.sharedEtcd ? [] : (['etcd'] as const)),
      'kube-apiserver',
      ...extraComponents(this.profile),
    ];
    return own.filter((name) => !this.component(name).isRunning());
  }

  /**
   * Starts every component of the profile that is not running (etcd and the apiserver first,
   * waiting until they are healthy) and returns their names: a test file starts on a whole
   * cluster even when a component of it died during an earlier file.
   */
  async revive(): Promise<ComponentName[]> {
    const stopped = this.stoppedComponents();
    if (stopped.includes('etcd')) await this.startEtcd();
    if (stopped.includes('kube-apiserver')) await this.startApiserver();
    for (const name of stopped) if (name !== 'etcd' && name !== 'kube-apiserver') this.startComponent(name);
    return stopped;
  }

  /** The last `lines` lines of a component's log, for a message that says why it is not running. */
  logTail(name: ComponentName, lines = 3): string {
    const file = this.component(name).logFile;
    if (!existsSync(file)) return '';
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Pids of the running components (for leak checks and memory figures). */
  pids(): number[] {
    return [...this.processes.values()]
      .filter((p) => p.isRunning())
      .map((p) => p.pid)
      .filter((p) => p !== undefined);
  }

  async addNode(node: NodeSpec, opts: { ifMissing?: boolean } = {}): Promise<void> {
    const api = this.kubeConfig().makeApiClient(CoreV1Api);
    try {
      await api.createNode({ body: renderNode(node) });
    } catch (err) {
      if (!(opts.ifMissing && statusCode(err) === 409))
        throw withContext(err, `${this.name}: create node ${node.name}`);
    }
  }

  /** Makes the node's labels exactly `labels` (besides the ones every fake node has). */
  async setNodeLabels(name: string, labels: Record<string, string>): Promise<void> {
    const api = this.kubeConfig().makeApiClient(CoreV1Api);
    const node = await api.readNode({ name });
    await api.patchNode(
      { name, body: labelPatch(node.metadata?.labels ?? {}, labels) },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  async deleteNode(name: string): Promise<void> {
    await this.kubeConfig().makeApiClient(CoreV1Api).deleteNode({ name });
  }

  /** Every node of the cluster, and whether it is Ready. */
  async nodeReadiness(): Promise<{ name: string; ready: boolean }[]> {
    const nodes = (await this.kubeConfig().makeApiClient(CoreV1Api).listNode()).items;
    return nodes.map((n) => ({ name: n.metadata?.name ?? '', ready: isNodeReady(n) }));
  }

  async waitNodesReady(names: string[], timeoutMs = NODES_READY_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let notReady = names;
    while (Date.now() < deadline) {
      const ready = new Set((await this.nodeReadiness()).filter((n) => n.ready).map((n) => n.name));
      notReady = names.filter((n) => !ready.has(n));
      if (notReady.length === 0) return;
      await delay(200);
    }
    throw new Error(
      `${this.name}: nodes not Ready after ${timeoutMs} ms: ${notReady.join(', ')} (see ${this.dir}/kwok.log)`,
    );
  }

  private component(name: ComponentName): ComponentProcess {
    let proc = this.processes.get(name);
    if (!proc) {
      proc = new ComponentProcess({ name, dir: this.dir, ...this.command(name) });
      this.processes.set(name, proc);
    }
    return proc;
  }

  private startComponent(name: ComponentName): void {
    const proc = this.component(name);
    if (name === 'kwok') writeKwokStages(this.bin.kwokStages, join(this.dir, 'kwok-stages.yaml'));
    if (!proc.isRunning()) proc.start();
  }

  /** Lets the calling Node process exit while the cluster keeps running. */
  detach(): void {
    for (const proc of this.processes.values()) proc.detach();
  }

  private command(name: ComponentName): { binary: string; args: string[]; env?: Record<string, string> } {
    const adminKubeconfig = this.kubeconfigPath;
    const { pki, ports } = this;
    switch (name) {
      case 'etcd':
        return { binary: this.bin.etcd, args: etcdArgs(this.name, this.dir, ports) };
      case 'kube-apiserver':
        return {
          binary: this.bin.kubeApiserver,
          args: apiserverArgs({
            profile: this.profile,
            pki,
            securePort: ports.apiserver,
            etcdClientPort: ports.etcdClient,
            etcdPrefix: this.options.sharedEtcd?.prefixOf(this.name),
          }),
          env: this.profile === 'light' ? LIGHT_GO_ENV : undefined,
        };
      case 'kube-controller-manager':
        return {
          binary: this.bin.kubeControllerManager,
          args: controllerManagerArgs(this.profile, adminKubeconfig, pki),
          env: this.profile === 'light' ? LIGHT_GO_ENV : undefined,
        };
      case 'kube-scheduler':
        return {
          binary: this.bin.kubeScheduler,
          args: [`--kubeconfig=${adminKubeconfig}`, '--leader-elect=false', '--secure-port=0'],
        };
      case 'kwok':
        return {
          binary: this.bin.kwok,
          args: [
            `--kubeconfig=${adminKubeconfig}`,
            `--config=${join(this.dir, 'kwok-stages.yaml')}`,
            '--manage-all-nodes=true',
            '--node-lease-duration-seconds=40',
            '--cidr=10.244.0.0/16',
            '--node-ip=10.0.0.1',
            '--node-port=0',
          ],
          env: { KWOK_WORKDIR: join(this.dir, 'kwok') },
        };
    }
  }

  /**
   * The admin kubeconfig with another address for the apiserver (a proxy in front of it,
   * e.g. a FaultyLink); the serving certificate must name that address.
   */
  kubeconfigVia(server: string): string {
    return this.renderKubeconfig(server);
  }

  private renderKubeconfig(server = this.server): string {
    return renderKubeconfig({
      clusterName: this.name,
      server,
      caPem: this.caPem,
      user: 'admin',
      token: this.pki.adminToken,
    });
  }
}

function statusCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

function withContext(err: unknown, context: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`${context}: ${message}`, { cause: err });
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url}: HTTP ${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}
