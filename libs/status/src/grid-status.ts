// The grid status reconciler, per grid: reads what each member's sync recorded and what
// the member caches hold now, aggregates it (aggregate.ts), and writes the grid's status
// when something a user would see changed. Writes are debounced, bounded in flight, one
// per grid at a time and at most one per grid per interval (a fan-out of thousands of
// objects must not flood the control apiserver), and retried with backoff. Each write
// replaces the status under optimistic concurrency, so what is gone from the members
// is gone from the status.
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  DESIRED_HASH_ANNOTATION,
  GRID_API_VERSION,
  GRID_GROUP,
  GRID_RESOURCES,
  GRID_VERSION,
  REVISION_LABEL,
  gridKey,
  gridRefOf,
  type AnyGrid,
  type GridRef,
} from '#gridfed/grid-api';
import type { CachedWorkload, MemberConnection } from '#gridfed/cluster-registry';
import {
  belongsTo,
  currentRevision,
  invalidSpec,
  isDistributed,
  MEMBER_KIND,
  type Distributor,
  type SyncRecord,
} from '#gridfed/distribution';
import { describeError, isConflict, isNotFound, withContext, type KubeClients, type ManagedKind } from '#gridfed/kube';
import { WorkQueue } from '#gridfed/workqueue';
import { aggregateStatus, statusEssence, type ClusterView, type Observation } from './aggregate.js';
import { memberObjectReady } from '#gridfed/rollout';

export interface GridStatusOptions {
  control: KubeClients;
  distributor: Distributor;
  /** Coalesces bursts (a rollout updates a workload's status several times a second). */
  debounceMs?: number;
  /** Status writes in flight at once (the control apiserver is shared with users). */
  maxConcurrentWrites?: number;
  /** Least time between two status writes of one grid while its members keep reporting. */
  minWriteIntervalMs?: number;
  log: (level: 'info' | 'warn', message: string) => void;
  onWrite?: (key: string) => void;
}

type Status = ReturnType<typeof aggregateStatus>;

export class GridStatusReconciler {
  readonly queue: WorkQueue;

  constructor(private readonly opts: GridStatusOptions) {
    this.queue = new WorkQueue({
      name: 'grid-status',
      debounceMs: opts.debounceMs ?? 500,
      minIntervalMs: opts.minWriteIntervalMs ?? 2000,
      maxInFlight: opts.maxConcurrentWrites ?? 8,
      retry: { initialMs: 1000, maxMs: 30_000 },
      reconcile: (key) => this.reconcile(key),
      onError: (key, err, failures) =>
        opts.log('warn', `status of ${key} not written (attempt ${failures}, will retry): ${describeError(err)}`),
    });
  }

  /** Something the grid's status shows may have changed. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  stop(): void {
    this.queue.stop();
  }

  /** The status `grid` should show now, from the sync records and the member caches. */
  private compute(grid: AnyGrid): Status {
    const { distributor } = this.opts;
    const ref = gridRefOf(grid);
    const key = gridKey(ref);
    const observations: Observation[] = [];
    const clusters = new Map<string, ClusterView>();
    const errors: string[] = [];
    for (const member of distributor.registry.list()) {
      const record = distributor.records.get(member.name, key);
      clusters.set(member.name, {
        name: member.name,
        reachable: member.isHealthy,
        lastSeen: member.lastSeen?.toISOString(),
        ...(member.isHealthy ? {} : { detail: member.healthDetail }),
        known: record !== undefined,
      });
      if (!record) continue;
      if (record.error) errors.push(`${member.name}: ${record.error}`);
      observations.push(...observe(member, ref, grid, record));
    }
    const updateRevision =
      grid.kind === 'ServiceGrid' ? undefined : (grid.status?.rollout?.updateRevision ?? currentRevision(grid));
    const status = aggregateStatus({
      grid,
      observations,
      clusters,
      invalid: invalidSpec(grid),
      errors,
      ...(updateRevision === undefined ? {} : { updateRevision }),
      ...(grid.kind !== 'ServiceGrid' && grid.status?.rollout ? { rollout: grid.status.rollout } : {}),
      now: new Date(),
    });
    // status.rollout is the lifecycle reconciler's: carried as it is.
    return grid.status?.rollout ? { ...status, rollout: grid.status.rollout } : status;
  }

  private async reconcile(key: string): Promise<void> {
    let grid = this.opts.distributor.grids.get(key);
    // A member that can be synced and has not been yet (the hub just started, or the grid is
    // new) will be soon, and its sync adds this key again: writing now would only flap.
    if (this.awaitsFirstSync(key)) return;
    for (let attempt = 0; grid && isDistributed(grid); attempt++) {
      const next = this.compute(grid);
      if (statusEssence(next) === statusEssence(grid.status as Status | undefined)) return;
      try {
        await this.write(grid, next);
        this.opts.onWrite?.(key);
        return;
      } catch (err) {
        if (isNotFound(err)) break;
        // Changed since the cache saw it (a user's edit, or our last write): once more on a fresh read.
        if (!isConflict(err) || attempt > 0) throw withContext(`grid ${key}: write status`, err);
        grid = await this.read(grid);
      }
    }
    this.queue.forget(key);
  }

  private awaitsFirstSync(key: string): boolean {
    const { registry, records } = this.opts.distributor;
    return registry.list().some((m) => m.isHealthy && m.synced && !records.get(m.name, key));
  }

  /** Replaces the grid's status; the resourceVersion makes it fail if the grid moved on. */
  private async write(grid: AnyGrid, status: Status): Promise<void> {
    const { namespace = 'default', name = '' } = grid.metadata;
    await this.opts.control.custom.replaceNamespacedCustomObjectStatus({
      group: GRID_GROUP,
      version: GRID_VERSION,
      plural: GRID_RESOURCES[grid.kind].plural,
      namespace,
      name,
      body: { ...grid, apiVersion: GRID_API_VERSION, status },
    });
  }

  private async read(grid: AnyGrid): Promise<AnyGrid | undefined> {
    const { namespace = 'default', name = '' } = grid.metadata;
    try {
      const fresh = (await this.opts.control.custom.getNamespacedCustomObject({
        group: GRID_GROUP,
        version: GRID_VERSION,
        plural: GRID_RESOURCES[grid.kind].plural,
        namespace,
        name,
      })) as AnyGrid;
      return { ...fresh, kind: grid.kind } as AnyGrid;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw withContext(`grid ${gridKey(gridRefOf(grid))}: read`, err);
    }
  }
}

/** What one member's record and cache say about each NodeUnit of the grid. */
function observe(member: MemberConnection, ref: GridRef, grid: AnyGrid, record: SyncRecord): Observation[] {
  const kind: ManagedKind = MEMBER_KIND[ref.kind];
  // Applied from an older spec: not synced, whatever the object says, until the next sync.
  const current = record.generation === grid.metadata.generation;
  return Object.values(record.objects).flatMap((applied) => {
    const found = member.managed[kind].get(applied.name);
    const live = found && belongsTo(found, kind, ref) ? (found as CachedWorkload) : undefined;
    const done = applied.outcome === 'applied' || applied.outcome === 'unchanged';
    const synced = current && done && live?.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] === applied.hash;
    return applied.nodeUnits.map((nodeUnit) => ({
      cluster: member.name,
      nodeUnit,
      ...(live ? { status: statusOf(kind, live) } : {}),
      ...(live?.spec?.replicas === undefined ? {} : { desiredReplicas: live.spec.replicas }),
      ready: live !== undefined && memberObjectReady(kind, live),
      synced,
      ...(applied.template === undefined ? {} : { template: applied.template }),
      ...(applied.outcome === 'conflict' ? { conflict: applied.name } : {}),
      ...(applied.outcome === 'failed' && record.error ? { error: record.error } : {}),
      ...(live?.metadata?.labels?.[REVISION_LABEL] ? { revision: live.metadata.labels[REVISION_LABEL] } : {}),
    }));
  });
}

/** The member object's status as it reports it; a Service's also says its clusterIP. */
function statusOf(kind: ManagedKind, live: KubernetesObject & CachedWorkload): Record<string, unknown> {
  const status = { ...((live.status ?? {}) as Record<string, unknown>) };
  if (kind === 'Service' && live.spec?.clusterIP !== undefined) status['clusterIP'] = live.spec.clusterIP;
  return status;
}
