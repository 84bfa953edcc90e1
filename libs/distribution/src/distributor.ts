// Wires the distribution direction together. Every handler here only enqueues keys;
// the sync worker converges from the caches when it runs (level-triggered).
import type { KubernetesObject, V1Node } from '@kubernetes/client-node';
import { gridKey, gridRefOf, parseGridKey, type AnyGrid, type GridRef } from '#gridfed/grid-api';
import { pruneUnusedTemplates } from '#gridfed/grid-render';
import { ClusterRegistry, type MemberConnection } from '#gridfed/cluster-registry';
import { describeError, type KubeClients, type ManagedKind, type RequestObserver } from '#gridfed/kube';
import { NodeUnitIndex, type NodeUnitChange } from '#gridfed/topology';
import { isDistributed } from './desired-state.js';
import { GridCache } from './grid-cache.js';
import { GridEvents } from './grid-events.js';
import { GridSyncer, MemberUnavailableError, type SyncOutcome } from './grid-syncer.js';
import { GridWriter } from './grid-writer.js';
import { MemberStatusWriter, memberStatus } from './member-status.js';
import { belongsTo, gridRefOfObject } from './ownership.js';
import { ClusterQueues } from './queue/index.js';

export interface DistributorOptions {
  control: KubeClients;
  redisUrl: string;
  namespace: string;
  concurrency: number;
  resyncIntervalMs: number;
  requestTimeoutMs: number;
  probeIntervalMs: number;
  observe?: RequestObserver;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Told after every sync of a grid on a member (metrics, status). */
  onSynced?: (cluster: string, grid: GridRef, outcome: SyncOutcome, durationMs: number) => void;
  onSyncError?: (cluster: string, grid: string, error: Error) => void;
  /** Told about every managed-object event (the status direction hooks in here). */
  onManagedObject?: (
    cluster: string,
    kind: ManagedKind,
    obj: KubernetesObject,
    event: 'add' | 'update' | 'delete',
  ) => void;
  onMemberHealth?: (cluster: string, healthy: boolean) => void;
  /** A grid's spec or metadata changed (not its status). */
  onGridChanged?: (key: string) => void;
}

export class Distributor {
  readonly topology = new NodeUnitIndex();
  readonly grids: GridCache;
  readonly registry: ClusterRegistry;
  readonly queues: ClusterQueues;
  readonly syncer: GridSyncer;
  readonly events: GridEvents;
  private readonly writer: GridWriter;
  private readonly memberStatus: MemberStatusWriter;
  private resyncTimer: NodeJS.Timeout | undefined;
  private readonly queueStates = new Map<string, Promise<void>>();
  private started = false;

  constructor(private readonly opts: DistributorOptions) {
    const log = (level: 'info' | 'warn', message: string): void => opts.log(level, message);
    this.writer = new GridWriter(opts.control);
    this.memberStatus = new MemberStatusWriter(opts.control, log);
    this.events = new GridEvents({
      control: opts.control,
      component: 'gridfed-hub',
      log,
      uidOf: (ref) => this.grids.get(gridKey(ref))?.metadata.uid,
    });
    this.grids = new GridCache({
      control: opts.control,
      log,
      observe: opts.observe,
      onChange: (key, grid, old) => this.onGridChange(key, grid, old),
    });
    this.queues = new ClusterQueues({
      redisUrl: opts.redisUrl,
      concurrency: opts.concurrency,
      attempts: 8,
      backoffMs: 500,
      logger: { warn: (m: string) => opts.log('warn', m), error: (m: string) => opts.log('error', m) },
    });
    this.syncer = new GridSyncer({
      grid: (key) => this.grids.get(key),
      member: (cluster) => this.registry.get(cluster),
      topology: this.topology,
      report: (ref, type, reason, message) => this.events.report(ref, type, reason, message),
    });
    this.registry = new ClusterRegistry({
      control: opts.control,
      namespace: opts.namespace,
      requestTimeoutMs: opts.requestTimeoutMs,
      probeIntervalMs: opts.probeIntervalMs,
      observe: opts.observe,
      log,
      handlersFor: (member) => ({
        node: {
          add: (n) => this.onNodes(member, this.topology.setNode(member, nodeName(n), n.metadata?.labels ?? {})),
          update: (n) => this.onNodes(member, this.topology.setNode(member, nodeName(n), n.metadata?.labels ?? {})),
          delete: (n) => this.onNodes(member, this.topology.deleteNode(member, nodeName(n))),
          synced: () => this.reportMember(member),
        },
        managed: { changed: (kind, obj, event) => this.onManagedObject(member, kind, obj, event) },
        health: (healthy) => void this.onHealth(member, healthy),
      }),
      onMemberAdded: (member) => void this.onMemberAdded(member),
      onMemberRemoved: (member) => void this.onMemberRemoved(member),
    });
  }

  async start(): Promise<void> {
    this.started = true;
    this.grids.start();
    this.registry.start();
    await Promise.all([this.grids.waitForSync(), this.registry.waitForSync()]);
    this.resyncAll();
    this.resyncTimer = setInterval(() => this.resyncAll(), this.opts.resyncIntervalMs);
  }

  /** Stops taking work, lets in-flight jobs finish until the deadline, then drops the watches. */
  async stop(deadlineMs: number): Promise<void> {
    this.started = false;
    clearInterval(this.resyncTimer);
    this.memberStatus.stop();
    await this.queues.close(deadlineMs);
    await Promise.all([this.grids.stop(), this.registry.stop()]);
  }

  /** Every grid on every member: what makes an emptied Redis lose nothing. */
  resyncAll(): void {
    for (const member of this.registry.list()) this.resyncMember(member.name);
  }

  private resyncMember(cluster: string): void {
    const member = this.registry.get(cluster);
    if (!member?.isHealthy || !member.synced) return;
    for (const key of this.grids.keys()) this.enqueue(cluster, key);
    // Objects whose grid no longer exists at all: their keys come from the objects.
    for (const [kind, reflector] of Object.entries(member.managed) as [ManagedKind, { list(): KubernetesObject[] }][]) {
      for (const obj of reflector.list()) {
        const ref = gridRefOfObject(obj, kind);
        if (ref && !this.grids.get(gridKey(ref))) this.enqueue(cluster, gridKey(ref));
      }
    }
  }

  private enqueue(cluster: string, key: string): void {
    this.queues
      .enqueue(cluster, key)
      .catch((err: unknown) => this.opts.log('warn', `enqueue ${key} on ${cluster}: ${describeError(err)}`));
  }

  private onGridChange(key: string, grid: AnyGrid | undefined, old: AnyGrid | undefined): void {
    // A status write (ours) changes neither spec nor metadata: nothing to distribute.
    if (grid && old && !specOrMetaChanged(grid, old)) return;
    if (grid) void this.maintainGrid(grid);
    // Our own finalizer write changes nothing members hold: no sync for it.
    if (grid && old && !distributionInputsChanged(grid, old)) return;
    this.opts.onGridChanged?.(key);
    for (const member of this.registry.names()) this.enqueue(member, key);
    for (const member of this.registry.names()) this.reportMember(member);
  }

  /** Finalizer on distributed grids; pool pruning when the grid asks for it. */
  private async maintainGrid(grid: AnyGrid): Promise<void> {
    try {
      if (isDistributed(grid) && !this.writer.hasFinalizer(grid)) await this.writer.addFinalizer(grid);
      if (isDistributed(grid) && grid.kind !== 'ServiceGrid') {
        const pruned = pruneUnusedTemplates(grid, this.topology.allNodeUnits(grid.spec.gridUniqKey));
        if (pruned) {
          const dropped = Object.keys(grid.spec.templatePool ?? {}).filter(
            (n) => !(n in (pruned.spec.templatePool ?? {})),
          );
          await this.writer.dropTemplates(grid, dropped);
          this.events.report(
            gridRefOf(grid),
            'Normal',
            'TemplatesDeleted',
            `autoDeleteUnusedTemplate dropped ${dropped.join(', ')}`,
          );
        }
      }
      if (!isDistributed(grid) && this.writer.hasFinalizer(grid)) await this.maybeFinalize(gridKey(gridRefOf(grid)));
    } catch (err) {
      this.opts.log('warn', describeError(err));
    }
  }

  /**
   * A grid being deleted (or no longer distributed) keeps gridfed's finalizer until
   * every member is known to hold nothing of it; an unreachable member keeps it waiting.
   */
  private async maybeFinalize(key: string): Promise<void> {
    const grid = this.grids.get(key);
    if (!grid || isDistributed(grid) || !this.writer.hasFinalizer(grid)) return;
    const ref = gridRefOf(grid);
    for (const member of this.registry.list()) {
      if (!member.isHealthy || !member.synced) return;
      for (const [kind, reflector] of Object.entries(member.managed) as [
        ManagedKind,
        { list(): KubernetesObject[] },
      ][]) {
        if (reflector.list().some((obj) => belongsTo(obj, kind, ref))) return;
      }
    }
    await this.writer.removeFinalizer(grid);
  }

  private onNodes(member: string, changes: NodeUnitChange[]): void {
    if (changes.length === 0) return;
    const keys = new Set(changes.map((c) => c.key));
    for (const grid of this.grids.list()) {
      if (keys.has(grid.spec.gridUniqKey)) this.enqueue(member, gridKey(gridRefOf(grid)));
    }
    this.reportMember(member);
  }

  private onManagedObject(
    member: string,
    kind: ManagedKind,
    obj: KubernetesObject,
    event: 'add' | 'update' | 'delete',
  ): void {
    this.opts.onManagedObject?.(member, kind, obj, event);
    const ref = gridRefOfObject(obj, kind);
    if (!ref) return;
    const key = gridKey(ref);
    // Drift: a deletion, or a change gridfed did not make. Status updates change neither.
    if (event === 'delete' || !this.syncer.isUpToDate(member, kind, obj)) this.enqueue(member, key);
    if (event === 'delete')
      void this.maybeFinalize(key).catch((err: unknown) => this.opts.log('warn', describeError(err)));
  }

  private async onHealth(member: string, healthy: boolean): Promise<void> {
    this.reportMember(member);
    this.opts.onMemberHealth?.(member, healthy);
    await this.applyHealth(member);
    if (healthy) this.resyncMember(member);
  }

  /**
   * Level-triggered: the member's queue is paused exactly while the member is unhealthy.
   * Calls are chained per member and read the health when they run, so a probe that
   * lands while the queue is being created can never leave it paused (or running) wrongly.
   */
  private applyHealth(member: string): Promise<void> {
    const next = (this.queueStates.get(member) ?? Promise.resolve()).then(async () => {
      const connection = this.registry.get(member);
      if (!connection || !this.queues.clusters().includes(member)) return;
      try {
        if (connection.isHealthy) await this.queues.resume(member);
        else await this.queues.pause(member);
      } catch (err) {
        this.opts.log('warn', `member ${member}: queue pause/resume failed: ${describeError(err)}`);
      }
    });
    this.queueStates.set(member, next);
    return next;
  }

  private async onMemberAdded(member: MemberConnection): Promise<void> {
    await this.queues.addCluster(member.name, (cluster, key) => this.process(cluster, key));
    // A queue left paused in Redis by a hub that died is resumed here once the member is healthy.
    await this.applyHealth(member.name);
    await member.waitForSync();
    if (this.started) this.resyncMember(member.name);
  }

  private async onMemberRemoved(member: string): Promise<void> {
    this.topology.removeCluster(member);
    this.syncer.forgetCluster(member);
    this.queueStates.delete(member);
    await this.queues.removeCluster(member, { drain: true });
    // Grids waiting to finalize no longer wait for this member.
    for (const key of this.grids.keys()) void this.maybeFinalize(key).catch(() => undefined);
  }

  private async process(cluster: string, key: string): Promise<void> {
    const started = performance.now();
    try {
      const outcome = await this.syncer.sync(cluster, key);
      this.opts.onSynced?.(cluster, parseGridKey(key), outcome, performance.now() - started);
      await this.maybeFinalize(key);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.opts.onSyncError?.(cluster, key, error);
      if (!(err instanceof MemberUnavailableError))
        this.opts.log('warn', `sync ${key} on ${cluster}: ${error.message}`);
      throw error;
    }
  }

  private reportMember(member: string): void {
    this.memberStatus.schedule(member, () => {
      const connection = this.registry.get(member);
      const mc = this.registry.memberCluster(member);
      if (!connection || !mc) return undefined;
      const keys = [
        ...new Set(
          this.grids
            .list()
            .filter(isDistributed)
            .map((g) => g.spec.gridUniqKey),
        ),
      ].sort();
      return { mc, status: memberStatus(connection, mc, this.topology, keys, new Date()) };
    });
  }
}

/** What the grid's upkeep depends on: what distribution reads, and the finalizers. */
function specOrMetaChanged(grid: AnyGrid, old: AnyGrid): boolean {
  const finalizers = (g: AnyGrid): string => JSON.stringify(g.metadata.finalizers ?? []);
  return distributionInputsChanged(grid, old) || finalizers(grid) !== finalizers(old);
}

/** What member objects depend on: spec (generation), labels, deletion, identity. */
function distributionInputsChanged(grid: AnyGrid, old: AnyGrid): boolean {
  const a = grid.metadata;
  const b = old.metadata;
  return (
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    JSON.stringify(a.labels ?? {}) !== JSON.stringify(b.labels ?? {}) ||
    a.uid !== b.uid
  );
}

function nodeName(node: V1Node): string {
  return node.metadata?.name ?? '';
}
