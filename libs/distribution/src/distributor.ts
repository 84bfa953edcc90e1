// Wires the distribution direction together: the caches (grids, members, topology),
// and two level-triggered reconcilers fed by them, the member sync per (member, grid)
// on BullMQ and the grid lifecycle per grid. Every handler here only updates a cache
// or adds keys; the reconcilers read the caches when they run.
import type { KubernetesObject, V1ControllerRevision, V1Node } from '@kubernetes/client-node';
import {
  GRID_KIND_LABEL,
  GRID_KINDS,
  GRID_NAME_ANNOTATION,
  gridKey,
  gridRefOf,
  parseGridKey,
  isWorkloadGrid,
  REVISION_HASH_LABEL,
  type AnyGrid,
  type RolloutStatus,
  type WorkloadGrid,
} from '#gridfed/grid-api';
import { templateSetOf, type RolloutDecision } from '#gridfed/rollout';
import {
  memberCopyOutcome,
  siteConfigRef,
  type CopyRun,
  type MemberCopyOutcome,
  type SiteConfig,
} from '#gridfed/site-config';
import { ClusterRegistry, type MemberConnection } from '#gridfed/cluster-registry';
import {
  describeError,
  EventRecorder,
  objectKey,
  type KubeClients,
  type ManagedKind,
  type RequestObserver,
  type WatchTiming,
} from '#gridfed/kube';
import { ShardCoordinator, type ShardState } from '#gridfed/sharding';
import { NodeUnitIndex, type NodeUnitChange } from '#gridfed/topology';
import { currentRevision, isDistributed } from './desired-state.js';
import { currentTemplateSet, keepsCopies, keptCopiesIn } from './kept-copies.js';
import { GridCache } from './grid-cache.js';
import { GridEvents } from './grid-events.js';
import { GridLifecycle } from './grid-lifecycle.js';
import { GridWriter } from './grid-writer.js';
import { MemberReports } from './member-reports.js';
import { MemberSync, MemberUnavailableError, type SyncOutcome } from './member-sync.js';
import { PerMemberStore } from './per-member-store.js';
import { closeConnection, producerConnection, type RedisConnection } from './queue/redis-connections.js';
import { ReportPublisher } from './report-publisher.js';
import { gridRefOfObject, MEMBER_KIND } from './ownership.js';
import { ClusterQueues } from './queue/index.js';
import { GridQueue } from './queue/grid-queue.js';
import { LossWatch } from './queue/loss-watch.js';
import type { Requeue } from '#gridfed/workqueue';
import { RevisionStore } from './revision-store.js';
import { referencedNames, SiteConfigCache } from './site-config-cache.js';
import { CopySync } from './copy-sync.js';
import { CopyWatch } from './copy-watch.js';
import { RolloutViews } from './rollout-views.js';
import { RunningSyncs, type ObjectEvent } from './running-syncs.js';
import { isUpToDate } from './sync-plan.js';
import { SyncRecords } from './sync-record.js';

export interface DistributorOptions {
  control: KubeClients;
  redisUrl: string;
  /** This hub replica's name (its Lease, and the owner in member reports). */
  replica: string;
  namespace: string;
  concurrency: number;
  resyncIntervalMs: number;
  requestTimeoutMs: number;
  probeIntervalMs: number;
  /** Of the member watches. */
  watchTiming?: WatchTiming;
  observe?: RequestObserver;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /** Told after every sync of a grid on a member, failed or not (metrics; status reads the record). */
  onSynced?: (cluster: string, key: string, outcome: SyncOutcome | Error, durationMs: number) => void;
  /** Something a grid's status shows may have changed: its status reconciler should look. */
  onGridStatusInput?: (key: string) => void;
  /** Something SiteConfig `namespace/name`'s status shows may have changed (a member's copy outcome, reachability). */
  onSiteConfigStatusInput?: (key: string) => void;
  /** A rollout decision was written (metrics). */
  onRollout?: (key: string, decision: RolloutDecision, before: RolloutStatus | undefined) => void;
  /** How the replicas share the members (Leases in `namespace`). */
  sharding: { leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
  /** A member changed hands here (metrics). */
  onHandover?: (direction: 'acquired' | 'released', member: string) => void;
  /** A member's nodes changed, or its registration or connection did: node membership looks again. */
  onMemberNodes?: (member: string) => void;
}

export class Distributor {
  readonly topology = new NodeUnitIndex();
  readonly records = new SyncRecords();
  /** What the owners of the members report, shared through Redis: status and rollouts read it. */
  readonly reports: MemberReports;
  private readonly publisher: ReportPublisher;
  /** Redis holding the shared state (member reports, and other reports under `statePrefix`). */
  readonly stateConnection: RedisConnection;
  /** Key prefix of the shared state; its hash tag keeps every key in one Redis Cluster slot. */
  readonly statePrefix = STATE_PREFIX;
  readonly grids: GridCache;
  /** The control cluster's SiteConfigs: what grids' per-NodeUnit configuration references become. */
  readonly siteConfigs: SiteConfigCache;
  /** Each NodeUnit's copy of each SiteConfig, in the members this replica owns. */
  readonly copies: CopySync;
  /** The member watches of copies feeding it: drift and orphaned copies. */
  private readonly copyWatch: CopyWatch;
  /** Per SiteConfig (`namespace/name`), each member's copy outcome, published by its owner: its status reads them. */
  readonly copyOutcomes: PerMemberStore<MemberCopyOutcome>;
  readonly revisions: RevisionStore;
  readonly registry: ClusterRegistry;
  readonly queues: ClusterQueues;
  readonly sync: MemberSync;
  readonly lifecycle: GridLifecycle;
  readonly events: GridEvents;
  /** Which members this replica owns (Leases). */
  readonly shard: ShardCoordinator;
  private resyncTimer: NodeJS.Timeout | undefined;
  /** Notices when Redis lost the member reports (a restart: nothing is persisted). */
  private readonly stateLoss: LossWatch;
  /** Member syncs Redis refused: `cluster NUL grid`. */
  private readonly unsent = new Set<string>();
  private stateLossTimer: NodeJS.Timeout | undefined;
  private readonly queueStates = new Map<string, Promise<void>>();
  /** Member syncs under way here, and the member objects that changed while they ran. */
  private readonly running = new RunningSyncs();
  private readonly gridQueues: GridQueue[] = [];
  private started = false;

  constructor(private readonly opts: DistributorOptions) {
    const log = (level: 'info' | 'warn', message: string): void => opts.log(level, message);
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
    this.siteConfigs = new SiteConfigCache({
      control: opts.control,
      log,
      observe: opts.observe,
      onChange: (namespace, name, sc, old) => this.onSiteConfigChange(namespace, name, sc, old),
    });
    this.stateConnection = producerConnection(opts.redisUrl);
    this.stateConnection.on('error', () => undefined); // reported by the queues' own connection
    this.reports = new MemberReports({ redis: this.stateConnection, prefix: STATE_PREFIX });
    this.copyOutcomes = new PerMemberStore(this.stateConnection, `${STATE_PREFIX}:copies`);
    this.stateLoss = new LossWatch(this.stateConnection, `${STATE_PREFIX}:epoch`);
    this.publisher = new ReportPublisher({
      reports: this.reports,
      records: this.records,
      replica: opts.replica,
      member: (cluster) => this.registry.get(cluster),
      owns: (cluster) => this.shard.owns(cluster),
      problem: (cluster) => this.registry.problem(cluster),
      gridExists: (key) => this.grids.get(key) !== undefined,
      log,
      onReport: (key) => this.onReport(key),
      onFacts: () => {
        // Reachability shows in every grid's and SiteConfig's status, and decides what a rollout waits for.
        for (const key of this.grids.keys()) this.onReport(key);
        this.siteConfigStatusInputs();
      },
    });
    this.revisions = new RevisionStore({
      control: opts.control,
      observe: opts.observe,
      log,
      onChange: (revision) => this.onRevision(revision),
    });
    this.queues = new ClusterQueues({
      redisUrl: opts.redisUrl,
      concurrency: opts.concurrency,
      attempts: 8,
      backoffMs: 500,
      logger: { warn: (m: string) => opts.log('warn', m), error: (m: string) => opts.log('error', m) },
    });
    this.sync = new MemberSync({
      grid: (key) => this.grids.get(key),
      member: (cluster) => this.registry.get(cluster),
      mayWrite: (cluster) => this.shard.owns(cluster),
      topology: this.topology,
      records: this.records,
      revisions: (grid, hash) => this.revisions.templates(grid, hash),
      siteConfigs: (grid) => this.siteConfigs.inputsFor(grid),
      report: (ref, type, reason, message) => this.events.report(ref, type, reason, message),
    });
    this.shard = new ShardCoordinator({
      control: opts.control,
      namespace: opts.namespace,
      replica: opts.replica,
      ...opts.sharding,
      requestTimeoutMs: opts.requestTimeoutMs,
      members: () => (this.registry.memberClusters.synced ? this.registry.registeredNames() : undefined),
      release: (member) => this.registry.release(member),
      onChange: () => this.registry.reconcileShard(),
      onHandover: opts.onHandover,
      observe: opts.observe,
      log,
    });
    this.registry = new ClusterRegistry({
      control: opts.control,
      owns: (member) => this.shard.owns(member),
      replica: opts.replica,
      namespace: opts.namespace,
      requestTimeoutMs: opts.requestTimeoutMs,
      probeIntervalMs: opts.probeIntervalMs,
      watchTiming: opts.watchTiming,
      observe: opts.observe,
      log,
      nodeUnitsOf: (member) => this.nodeUnitsOf(member),
      handlersFor: (member) => ({
        node: {
          add: (n) => this.onNodes(member, this.topology.setNode(member, nodeName(n), n.metadata?.labels ?? {})),
          update: (n) => this.onNodes(member, this.topology.setNode(member, nodeName(n), n.metadata?.labels ?? {})),
          delete: (n) => this.onNodes(member, this.topology.deleteNode(member, nodeName(n))),
          synced: () => {
            this.publisher.member(member);
            opts.onMemberNodes?.(member);
          },
        },
        managed: { changed: (kind, obj, event) => this.onManagedObject(member, kind, obj, event) },
        copies: {
          changed: (obj) => this.copyWatch.changed(member, obj),
          synced: () => this.copyWatch.sweep(member),
        },
        health: (healthy) => void this.onHealth(member, healthy),
      }),
      onMemberAdded: (member) => void this.onMemberAdded(member),
      onMemberRemoved: (member) => void this.onMemberRemoved(member),
      onReconciled: () => {
        for (const name of this.registry.names()) this.publisher.member(name);
        for (const name of this.registry.names()) opts.onMemberNodes?.(name);
        // Members registered or unregistered: the shard looks again.
        this.shard.refresh();
      },
    });
    this.copies = new CopySync({
      siteConfigs: this.siteConfigs,
      registry: this.registry,
      topology: this.topology,
      mayWrite: (member) => this.shard.owns(member),
      events: new EventRecorder({ control: opts.control, component: 'gridfed-hub', log }),
      log,
      onOutcome: (run) => void this.publishCopyOutcome(run),
      onCopiesWritten: (member, { namespace, name }) => {
        for (const grid of this.gridsNaming(namespace, name)) {
          const key = gridKey(gridRefOf(grid));
          this.enqueue(member, key);
          // A control Secret's change is seen here only: a grid rolled out in waves makes it a revision.
          if (keepsCopies(grid)) this.lifecycle.enqueue(key);
        }
      },
      keptCopies: (sc, nodeUnits) => {
        const { namespace = 'default', name = '' } = sc.metadata;
        const grids = this.gridsNaming(namespace, name).filter(isDistributed);
        return keptCopiesIn(sc, nodeUnits, grids, (grid, hash) => this.revisions.templates(grid, hash));
      },
    });
    this.copyWatch = new CopyWatch({
      siteConfigs: this.siteConfigs,
      registry: this.registry,
      queue: this.copies.queue,
    });
    this.lifecycle = new GridLifecycle({
      grid: (key) => this.grids.get(key),
      registered: () => this.registry.registeredNames(),
      reports: this.reports,
      writer: new GridWriter(opts.control),
      events: this.events,
      revisions: this.revisions,
      templateSet: async (grid) =>
        keepsCopies(grid) ? currentTemplateSet(grid, await this.siteConfigs.inputsFor(grid)) : templateSetOf(grid),
      views: new RolloutViews(this.reports, () => this.registry.registeredNames()),
      log,
      queue: (name, reconcile) =>
        this.gridQueue(name, reconcile, { concurrency: 4, debounceMs: 100, attempts: 10, backoffMs: 500 }),
      onRollout: opts.onRollout,
    });
  }

  /**
   * A per-grid queue shared by every hub replica (BullMQ), for the grid reconcilers
   * (lifecycle here, status in libs/status).
   */
  gridQueue(
    name: string,
    reconcile: (key: string) => Promise<void | Requeue>,
    options: { concurrency: number; debounceMs: number; minIntervalMs?: number; attempts: number; backoffMs: number },
  ): GridQueue {
    const queue = new GridQueue({
      name,
      redisUrl: this.opts.redisUrl,
      producer: this.stateConnection,
      reconcile,
      log: (level, message) => this.opts.log(level, message),
      ...options,
    });
    this.gridQueues.push(queue);
    return queue;
  }

  async start(): Promise<void> {
    this.started = true;
    this.grids.start();
    this.siteConfigs.reflector.start();
    this.revisions.reflector.start();
    this.registry.start();
    this.shard.start();
    await Promise.all([
      this.grids.waitForSync(),
      this.siteConfigs.reflector.waitForSync(),
      this.revisions.reflector.waitForSync(),
      this.registry.waitForSync(),
    ]);
    for (const queue of this.gridQueues) queue.start();
    this.resyncAll();
    this.resyncTimer = setInterval(() => this.resyncAll(), this.opts.resyncIntervalMs);
    this.copyWatch.start();
    this.stateLossTimer = setInterval(() => {
      this.resendUnsent();
      void this.checkStateLoss();
    }, STATE_LOSS_CHECK_MS);
  }

  /**
   * Redis came back empty (restarted, or its Cluster node holding the reports): what this
   * replica reported is gone, and so are jobs in its queues. Publish every report of its
   * members again and resync every key, instead of waiting for the periodic resync.
   */
  private async checkStateLoss(): Promise<void> {
    let lost: boolean;
    try {
      lost = await this.stateLoss.lost();
    } catch {
      return; // Redis away: looked at again once it answers
    }
    if (!lost || !this.started) return;
    this.opts.log(
      'warn',
      'Redis lost the member reports and queued work (restarted empty): publishing and resyncing again',
    );
    for (const member of this.registry.names()) {
      this.publisher.member(member);
      for (const key of this.grids.keys()) this.publisher.grid(member, key, 0);
    }
    this.resyncAll();
  }

  /** Stops taking work, lets in-flight jobs finish until the deadline, then drops the watches. */
  async stop(deadlineMs: number): Promise<void> {
    this.started = false;
    clearInterval(this.resyncTimer);
    clearInterval(this.stateLossTimer);
    // Takes no more members; keeps the ones it has until its writes stopped.
    await this.shard.stop();
    this.copyWatch.stop();
    this.copies.stop();
    this.publisher.stop();
    await Promise.all([this.queues.close(deadlineMs), ...this.gridQueues.map((q) => q.stop(deadlineMs))]);
    await Promise.all([
      this.grids.stop(),
      this.siteConfigs.reflector.stop(),
      this.revisions.reflector.stop(),
      this.registry.stop(),
    ]);
    await closeConnection(this.stateConnection, Date.now() + 1000);
    // Nothing writes any more: the other replicas may take the members at once.
    await this.shard.handOver();
  }

  /**
   * Ready to serve its shard: it holds its own Lease and every member it owns is
   * connected and listed (or has a problem its status shows).
   */
  readiness(): { ready: boolean; detail: string; shard: ShardState } {
    const shard = this.shard.state();
    if (!shard.holdsLease) return { ready: false, detail: `replica ${shard.replica} does not hold its Lease`, shard };
    const unsynced = shard.owned.filter((m) => {
      const member = this.registry.get(m);
      return member ? !member.synced && member.isHealthy : !this.registry.problem(m);
    });
    if (unsynced.length > 0) return { ready: false, detail: `members not listed yet: ${unsynced.join(', ')}`, shard };
    return { ready: true, detail: `owns ${shard.owned.length} member(s)`, shard };
  }

  /**
   * Every reconciler's every key: what makes an emptied Redis, a lost event or a
   * failed write lose nothing.
   */
  resyncAll(): void {
    // Copy outcomes are published again as the resync's copy syncs end (Redis may have lost them).
    this.copyOutcomes.forget();
    this.siteConfigStatusInputs();
    for (const key of this.grids.keys()) {
      this.lifecycle.enqueue(key);
      this.opts.onGridStatusInput?.(key);
    }
    for (const member of this.registry.list()) this.resyncMember(member.name);
    this.registry.resyncStatus();
  }

  private resyncMember(cluster: string): void {
    const member = this.registry.get(cluster);
    if (!member?.isHealthy || !member.synced) return;
    this.copies.memberChanged(cluster);
    this.copyWatch.sweep(cluster);
    for (const key of this.grids.keys()) this.enqueue(cluster, key);
    // Objects whose grid no longer exists at all: their keys come from the objects.
    for (const [kind, reflector] of Object.entries(member.managed) as [ManagedKind, { list(): KubernetesObject[] }][]) {
      for (const obj of reflector.list()) {
        const ref = gridRefOfObject(obj, kind);
        if (ref && !this.grids.get(gridKey(ref))) this.enqueue(cluster, gridKey(ref));
      }
    }
  }

  /**
   * Asks for a member sync. One Redis refused (away, or full under noeviction) is said once
   * and sent again every second until Redis takes it, not left to the periodic resync.
   */
  private enqueue(cluster: string, key: string): void {
    const id = `${cluster}\u0000${key}`;
    this.queues.enqueue(cluster, key).then(
      () => this.unsent.delete(id),
      (err: unknown) => {
        if (!this.unsent.has(id)) {
          this.opts.log('warn', `enqueue ${key} on ${cluster}: ${describeError(err)}; sent again until Redis takes it`);
        }
        this.unsent.add(id);
      },
    );
  }

  private resendUnsent(): void {
    for (const id of this.unsent) {
      const [cluster = '', key = ''] = id.split('\u0000');
      if (this.registry.get(cluster)) this.enqueue(cluster, key);
      else this.unsent.delete(id); // no longer this replica's member: its owner syncs it
    }
  }

  private onGridChange(key: string, grid: AnyGrid | undefined, old: AnyGrid | undefined): void {
    // The rollout moved NodeUnits to another revision: the members render them anew.
    const moved = grid && old && rolloutAssignment(grid) !== rolloutAssignment(old);
    if (moved) for (const member of this.registry.names()) this.enqueue(member, key);
    const changed = !grid || !old || specOrMetaChanged(grid, old);
    if (moved || changed) this.keptCopiesMayChange(grid, old);
    // A status write (ours) changes neither spec nor metadata: nothing else to do.
    if (!changed) return;
    this.lifecycle.enqueue(key);
    if (!grid) {
      this.records.deleteGrid(key);
      this.reports
        .dropGrid(key)
        .catch((err: unknown) => this.opts.log('warn', `drop reports of ${key}: ${describeError(err)}`));
    }
    // Our own finalizer write changes nothing members hold: no sync for it.
    if (grid && old && !distributionInputsChanged(grid, old)) return;
    this.opts.onGridStatusInput?.(key);
    for (const member of this.registry.names()) this.enqueue(member, key);
    for (const member of this.registry.names()) this.registry.reportStatus(member);
  }

  /**
   * A grid that keeps copies changed, or its rollout moved: the kept copies of the SiteConfigs
   * it names are looked at again (new ones made, ones no revision in use records deleted).
   */
  private keptCopiesMayChange(grid: AnyGrid | undefined, old: AnyGrid | undefined): void {
    // One grid, before and after: one namespace.
    const namespace = (grid ?? old)?.metadata.namespace ?? 'default';
    const names = new Set([grid, old].filter(keepsCopies).flatMap(referencedNames));
    for (const name of names) if (this.siteConfigs.get(namespace, name)) this.copies.siteConfigChanged(namespace, name);
  }

  /**
   * A SiteConfig changed: every member renders again the grids of its namespace whose pods
   * refer to its name (their copies' names and hashes, or their errors, may change).
   * Its own status writes change neither spec nor labels: nothing to do for them.
   */
  private onSiteConfigChange(
    namespace: string,
    name: string,
    sc: SiteConfig | undefined,
    old: SiteConfig | undefined,
  ): void {
    if (sc && old && sc.metadata.generation === old.metadata.generation && sc.metadata.uid === old.metadata.uid) return;
    this.copies.siteConfigChanged(namespace, name);
    if (sc) this.opts.onSiteConfigStatusInput?.(`${namespace}/${name}`);
    else
      this.copyOutcomes
        .dropSubject(`${namespace}/${name}`)
        .catch((err: unknown) =>
          this.opts.log('warn', `drop copy outcomes of ${namespace}/${name}: ${describeError(err)}`),
        );
    for (const grid of this.gridsNaming(namespace, name)) {
      const key = gridKey(gridRefOf(grid));
      this.opts.onGridStatusInput?.(key);
      for (const member of this.registry.names()) this.enqueue(member, key);
      // Rolled out in waves: the new configuration is a new revision.
      if (keepsCopies(grid)) this.lifecycle.enqueue(key);
    }
  }

  /** The workload grids of `namespace` whose pods refer to SiteConfig `name`. */
  private gridsNaming(namespace: string, name: string): WorkloadGrid[] {
    return this.grids
      .list()
      .filter(isWorkloadGrid)
      .filter((grid) => (grid.metadata.namespace ?? 'default') === namespace && referencedNames(grid).includes(name));
  }

  /**
   * A copy sync ended on a member this replica owns: its outcome goes to Redis when it differs
   * from what this replica published last, and the SiteConfig's status looks again. Not
   * published: retried once the SiteConfig's copies are synced again, a little later.
   */
  private async publishCopyOutcome(run: CopyRun): Promise<void> {
    const { namespace = 'default', name = '' } = run.siteConfig.metadata;
    const key = siteConfigRef(run.siteConfig);
    try {
      if (!this.siteConfigs.get(namespace, name)) return; // gone: its outcomes are dropped
      if (await this.copyOutcomes.putIfChanged(key, run.member, memberCopyOutcome(run)))
        this.opts.onSiteConfigStatusInput?.(key);
    } catch (err) {
      this.opts.log('warn', `copy outcome of ${key} on ${run.member} not published: ${describeError(err)}`);
      setTimeout(() => this.started && this.copies.siteConfigChanged(namespace, name), COPY_OUTCOME_RETRY_MS).unref();
    }
  }

  private siteConfigStatusInputs(): void {
    for (const sc of this.siteConfigs.list()) this.opts.onSiteConfigStatusInput?.(siteConfigRef(sc));
  }

  private onNodes(member: string, changes: NodeUnitChange[]): void {
    // Any change of a node (labels, readiness, taints) may change what node membership plans.
    this.opts.onMemberNodes?.(member);
    if (changes.length === 0) return;
    const keys = new Set(changes.map((c) => c.key));
    this.copies.memberChanged(member, keys);
    for (const grid of this.grids.list()) {
      if (keys.has(grid.spec.gridUniqKey)) this.enqueue(member, gridKey(gridRefOf(grid)));
    }
    this.registry.reportStatus(member);
  }

  private onManagedObject(
    member: string,
    kind: ManagedKind,
    obj: KubernetesObject,
    event: 'add' | 'update' | 'delete',
  ): void {
    const ref = gridRefOfObject(obj, kind);
    if (!ref) return;
    const key = gridKey(ref);
    // Status and rollouts read what the report says: they look again once it is published.
    this.publisher.grid(member, key);
    const name = objectKey(obj);
    // While the grid's sync runs, its own applies come back here before it recorded them: judged when it ends.
    if (this.drifted(member, key, kind, obj, event) && !this.running.hold(member, key, name, event))
      this.enqueue(member, key);
    if (event === 'delete') this.lifecycle.enqueue(key);
  }

  /** Drift: a deletion, or a change gridfed did not make. Status updates change neither. */
  private drifted(member: string, key: string, kind: ManagedKind, obj: KubernetesObject, event: ObjectEvent): boolean {
    if (event === 'delete') return true;
    const applied = this.records.applied(member, key, objectKey(obj));
    return !applied || !isUpToDate(kind, obj, applied, applied.hash);
  }

  /** A sync ended: the changes held meanwhile are judged against the cache as it is now, and what the sync recorded. */
  private judgeHeldChanges(cluster: string, key: string): void {
    const held = this.running.end(cluster, key);
    if (held.size === 0) return;
    const kind = MEMBER_KIND[parseGridKey(key).kind];
    const cache = this.registry.get(cluster)?.managed[kind];
    const drifted = [...held].some(([name, event]) => {
      const live = cache?.get(name);
      return event === 'delete' || !live || this.drifted(cluster, key, kind, live, event);
    });
    if (drifted) this.enqueue(cluster, key);
  }

  /** What a member holds of a grid was published: the grid's status, and a Progressive rollout's gates, look again. */
  private onReport(key: string): void {
    this.opts.onGridStatusInput?.(key);
    const grid = this.grids.get(key);
    const progressive = grid && isWorkloadGrid(grid) && grid.spec.rolloutStrategy?.type === 'Progressive';
    // A Progressive rollout's gates, and a grid waiting to finalize, read reports too.
    if (grid && (progressive || !isDistributed(grid))) this.lifecycle.enqueue(key);
  }

  /** A revision appeared or changed: its grid's rollout looks again, and so do NodeUnits kept on it. */
  private onRevision(revision: V1ControllerRevision): void {
    const kind = GRID_KINDS.find((k) => k === revision.metadata?.labels?.[GRID_KIND_LABEL]);
    const name = revision.metadata?.annotations?.[GRID_NAME_ANNOTATION];
    if (!kind || !name) return;
    const key = gridKey({ kind, namespace: revision.metadata?.namespace ?? 'default', name });
    this.lifecycle.enqueue(key);
    // Only an older revision a rollout keeps NodeUnits on is rendered from its ControllerRevision.
    const hash = revision.metadata?.labels?.[REVISION_HASH_LABEL];
    const grid = this.grids.get(key);
    if (!hash || !grid || !isWorkloadGrid(grid) || hash === currentRevision(grid)) return;
    const rollout = grid.status?.rollout;
    const kept =
      rollout?.stableRevision === hash || Object.values(rollout?.moved ?? {}).some((m) => m.revision === hash);
    if (kept) for (const member of this.registry.names()) this.enqueue(member, key);
  }

  private async onHealth(member: string, healthy: boolean): Promise<void> {
    // Its facts go out, and every grid's status and rollout look again once they have.
    this.publisher.member(member);
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
    // What the last owner applied: a sync that finds the member as recorded sends nothing.
    await this.adoptRecords(member.name);
    await this.queues.addCluster(member.name, (cluster, key) => this.process(cluster, key));
    // A queue left paused in Redis by a hub that died is resumed here once the member is healthy.
    await this.applyHealth(member.name);
    await member.waitForSync();
    this.publisher.member(member.name);
    this.opts.onMemberNodes?.(member.name);
    if (this.started) this.resyncMember(member.name);
  }

  private async adoptRecords(cluster: string): Promise<void> {
    try {
      for (const report of await this.reports.ofMember(cluster, this.grids.keys())) {
        if (report.record && !this.records.get(cluster, report.grid)) this.records.set(report.record);
      }
    } catch (err) {
      // Without them the first syncs apply once more, changing nothing.
      this.opts.log('warn', `member ${cluster}: earlier sync records not read: ${describeError(err)}`);
    }
  }

  private async onMemberRemoved(member: string): Promise<void> {
    this.topology.removeCluster(member);
    this.records.deleteCluster(member);
    this.publisher.forgetMember(member);
    this.copyOutcomes.forget(member);
    this.queueStates.delete(member);
    await this.queues.removeCluster(member, { drain: !this.registry.memberCluster(member) });
    if (!this.registry.memberCluster(member)) {
      // Unregistered: nobody reports it any more.
      await this.reports
        .dropMember(member, this.grids.keys())
        .catch((err: unknown) => this.opts.log('warn', `member ${member}: reports not dropped: ${describeError(err)}`));
      await this.copyOutcomes
        .dropMember(member, this.siteConfigs.list().map(siteConfigRef))
        .catch((err: unknown) =>
          this.opts.log('warn', `member ${member}: copy outcomes not dropped: ${describeError(err)}`),
        );
    }
    this.siteConfigStatusInputs();
    // Grids waiting to finalize no longer wait for this member; every grid's status loses it.
    for (const key of this.grids.keys()) {
      this.lifecycle.enqueue(key);
      this.opts.onGridStatusInput?.(key);
    }
  }

  private async process(cluster: string, key: string): Promise<void> {
    const started = performance.now();
    this.running.begin(cluster, key);
    try {
      const outcome = await this.sync.sync(cluster, key);
      this.opts.onSynced?.(cluster, key, outcome, performance.now() - started);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.opts.onSynced?.(cluster, key, error, performance.now() - started);
      if (!(err instanceof MemberUnavailableError))
        this.opts.log('warn', `sync ${key} on ${cluster}: ${error.message}`);
      throw error;
    } finally {
      this.judgeHeldChanges(cluster, key);
      this.publisher.grid(cluster, key, 0);
      if (!isDistributed(this.grids.get(key))) this.lifecycle.enqueue(key);
    }
  }

  /** gridUniqKey -> NodeUnits the member hosts, for the keys distributed grids use. */
  private nodeUnitsOf(member: string): Record<string, string[]> {
    const keys = new Set(
      this.grids
        .list()
        .filter(isDistributed)
        .map((g) => g.spec.gridUniqKey),
    );
    return Object.fromEntries([...keys].sort().map((key) => [key, this.topology.nodeUnits(member, key)]));
  }
}

const STATE_LOSS_CHECK_MS = 1000;
const COPY_OUTCOME_RETRY_MS = 2000;

/** Keys of the shared member reports; the hash tag keeps them in one Redis Cluster slot. */
const STATE_PREFIX = 'gridfed:{state}';

/** Which revision the rollout keeps each NodeUnit on (what the member sync renders from status). */
function rolloutAssignment(grid: AnyGrid): string {
  if (!isWorkloadGrid(grid)) return '';
  const rollout = grid.status?.rollout;
  return JSON.stringify([rollout?.stableRevision, rollout?.updateRevision, rollout?.moved ?? {}]);
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
