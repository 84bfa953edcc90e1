// The grid status reconciler, per grid: reads what the owners of its members report
// (their sync records and what the members hold now, shared through Redis, so any hub
// replica can do this), aggregates it (aggregate.ts), and writes the grid's status when
// something a user would see changed. Writes are debounced, bounded in flight, one per
// grid at a time and at most one per grid per interval (a fan-out of thousands of
// objects must not flood the control apiserver), and retried with backoff. Each write
// replaces the status under optimistic concurrency, so what is gone from the members is
// gone from the status.
import {
  GRID_API_VERSION,
  GRID_GROUP,
  GRID_RESOURCES,
  GRID_VERSION,
  gridKey,
  gridRefOf,
  type AnyGrid,
} from '#gridfed/grid-api';
import {
  currentRevision,
  invalidSpec,
  isDistributed,
  type Distributor,
  type MemberReport,
  type SyncRecord,
} from '#gridfed/distribution';
import { isConflict, isNotFound, withContext, type KubeClients } from '#gridfed/kube';
import type { KeyQueue, KeyQueueFactory } from '#gridfed/workqueue';
import { aggregateStatus, statusEssence, type ClusterView, type Observation } from './aggregate.js';

export interface GridStatusOptions {
  control: KubeClients;
  distributor: Distributor;
  /**
   * The queue it runs on, shared by every hub replica: debounced (a rollout updates a
   * workload's status several times a second), bounded in flight (the control apiserver
   * is shared with users), one write per grid at a time and per interval.
   */
  queue: KeyQueueFactory;
  log: (level: 'info' | 'warn', message: string) => void;
  onWrite?: (key: string) => void;
}

type Status = ReturnType<typeof aggregateStatus>;

export class GridStatusReconciler {
  readonly queue: KeyQueue;

  constructor(private readonly opts: GridStatusOptions) {
    this.queue = opts.queue('grid-status', (key) => this.reconcile(key));
  }

  /** Something the grid's status shows may have changed. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  stop(): void | Promise<void> {
    return this.queue.stop();
  }

  private async reconcile(key: string): Promise<void> {
    let grid = this.opts.distributor.grids.get(key);
    for (let attempt = 0; grid && isDistributed(grid); attempt++) {
      const next = await this.compute(grid);
      if (!next || statusEssence(next) === statusEssence(grid.status as Status | undefined)) return;
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

  /**
   * The status `grid` should show now, from what the members' owners report; undefined
   * while a member's owner has not reported yet (the hub just started, or the grid is
   * new): writing then would only flap.
   */
  private async compute(grid: AnyGrid): Promise<Status | undefined> {
    const { distributor } = this.opts;
    const [reports, facts] = await Promise.all([
      distributor.reports.ofGrid(gridKey(gridRefOf(grid))),
      distributor.reports.facts(),
    ]);
    const members = distributor.registry.registeredNames();
    for (const name of members) {
      const f = facts.get(name);
      if (!f || (f.reachable && f.synced && !reports.get(name)?.record)) return undefined;
    }
    const observations: Observation[] = [];
    const clusters = new Map<string, ClusterView>();
    const errors: string[] = [];
    for (const name of members) {
      const f = facts.get(name)!;
      const report = reports.get(name);
      clusters.set(name, {
        name,
        reachable: f.reachable,
        ...(f.lastSeen ? { lastSeen: f.lastSeen } : {}),
        ...(f.reachable ? {} : { detail: f.detail ?? 'unreachable' }),
        known: report?.record !== undefined,
      });
      if (!report?.record) continue;
      const error = report.record.error;
      // Member sync errors already start with the member's name.
      if (error) errors.push(error.startsWith(`${name}: `) ? error : `${name}: ${error}`);
      observations.push(...observe(grid, report, report.record));
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

/** What one member's report says about each NodeUnit of the grid. */
function observe(grid: AnyGrid, report: MemberReport, record: SyncRecord): Observation[] {
  // Applied from an older spec: not synced, whatever the object says, until the next sync.
  const current = record.generation === grid.metadata.generation;
  return Object.values(record.objects).flatMap((applied) => {
    const live = report.observed[applied.name];
    const done = applied.outcome === 'applied' || applied.outcome === 'unchanged';
    const synced = current && done && live?.desiredHash === applied.hash;
    return applied.nodeUnits.map((nodeUnit) => ({
      cluster: report.cluster,
      nodeUnit,
      ...(live?.status ? { status: live.status } : {}),
      ...(live?.replicas === undefined ? {} : { desiredReplicas: live.replicas }),
      ready: live?.ready ?? false,
      synced,
      ...(applied.template === undefined ? {} : { template: applied.template }),
      ...(applied.outcome === 'conflict' ? { conflict: applied.name } : {}),
      ...(applied.outcome === 'failed' && record.error ? { error: record.error } : {}),
      ...(live?.revision ? { revision: live.revision } : {}),
    }));
  });
}
