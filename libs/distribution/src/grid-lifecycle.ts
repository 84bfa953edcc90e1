// The grid lifecycle reconciler, per grid: gridfed's finalizer on distributed grids,
// autoDeleteUnusedTemplate pruning, the rollout of a workload grid's templates to its
// NodeUnits (ControllerRevisions, status.rollout), and finalization (the finalizer goes
// once no member holds anything of the grid). Handlers only add keys; each run reads the
// grid and the members from the caches, and a failed write is retried with backoff.
import stringify from 'safe-stable-stringify';
import {
  GRID_FINALIZER,
  gridKey,
  gridRefOf,
  isWorkloadGrid,
  ROLLOUT_RETRY_ANNOTATION,
  type AnyGrid,
  type RolloutStatus,
  type WorkloadGrid,
} from '#gridfed/grid-api';
import { unusedTemplates } from '#gridfed/grid-render';
import type { ClusterRegistry } from '#gridfed/cluster-registry';
import { describeError, isConflict, statusCodeOf, type ManagedKind } from '#gridfed/kube';
import { planRollout, strategyOf, type RolloutDecision } from '#gridfed/rollout';
import { WorkQueue, type Requeue } from '#gridfed/workqueue';
import { invalidSpec, isDistributed } from './desired-state.js';
import type { GridEvents } from './grid-events.js';
import type { GridWriter } from './grid-writer.js';
import { belongsTo, MEMBER_KIND } from './ownership.js';
import type { RevisionStore } from './revision-store.js';
import type { RolloutViews } from './rollout-views.js';

/** How often a grid waiting for an unreachable member looks again (member health changes add it too). */
const WAIT_FOR_MEMBER_MS = 10_000;

export interface GridLifecycleDeps {
  grid: (key: string) => AnyGrid | undefined;
  registry: ClusterRegistry;
  writer: GridWriter;
  events: GridEvents;
  revisions: RevisionStore;
  views: RolloutViews;
  log: (level: 'info' | 'warn', message: string) => void;
  /** A rollout decision was written (metrics). */
  onRollout?: (key: string, decision: RolloutDecision, before: RolloutStatus | undefined) => void;
}

export class GridLifecycle {
  readonly queue: WorkQueue;

  constructor(private readonly deps: GridLifecycleDeps) {
    this.queue = new WorkQueue({
      name: 'grid-lifecycle',
      debounceMs: 0,
      maxInFlight: 4,
      retry: { initialMs: 500, maxMs: 15_000 },
      reconcile: (key) => this.reconcile(key),
      onError: (key, err, failures) =>
        deps.log('warn', `${key}: lifecycle (attempt ${failures}, will retry): ${describeError(err)}`),
    });
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  stop(): void {
    this.queue.stop();
  }

  async reconcile(key: string): Promise<void | Requeue> {
    const grid = this.deps.grid(key);
    if (!grid) {
      this.queue.forget(key);
      this.deps.views.forget(key);
      return;
    }
    const hasFinalizer = (grid.metadata.finalizers ?? []).includes(GRID_FINALIZER);
    if (!isDistributed(grid)) return hasFinalizer ? this.finalize(grid) : undefined;
    if (!hasFinalizer) {
      // One write at a time: the next run sees the grid this write produced.
      await this.deps.writer.addFinalizer(grid);
      return;
    }
    await this.pruneTemplates(grid);
    if (isWorkloadGrid(grid) && !invalidSpec(grid)) return this.rollout(grid);
  }

  /**
   * Records the grid's templates as a revision, decides where the rollout stands
   * (libs/rollout), writes that to `status.rollout` when it changed, and prunes old
   * revisions. An invalid spec is never a revision: nothing rolls out until it is fixed.
   */
  private async rollout(grid: WorkloadGrid): Promise<void | Requeue> {
    const key = gridKey(gridRefOf(grid));
    const update = await this.deps.revisions.ensureCurrent(grid);
    const now = new Date();
    const before = grid.status?.rollout;
    const nodeUnits = this.deps.views.of(grid, now);
    if (!nodeUnits) return { requeueAfterMs: 1000 }; // a member's state is not known yet
    const decision = planRollout({
      strategy: grid.spec.rolloutStrategy,
      updateRevision: update,
      generation: grid.metadata.generation,
      previous: before,
      nodeUnits,
      retry: grid.metadata.annotations?.[ROLLOUT_RETRY_ANNOTATION],
      now,
    });
    if (stringify(decision.status) !== stringify(before ?? null)) {
      try {
        await this.deps.writer.writeRollout(grid, decision.status);
      } catch (err) {
        // 409, or 422 from the resourceVersion test: the grid moved on; decide again from the new one.
        if (isConflict(err) || statusCodeOf(err) === 422) return { requeueAfterMs: 200 };
        throw err;
      }
      for (const e of decision.events) this.deps.events.report(gridRefOf(grid), e.type, e.reason, e.message);
      this.deps.onRollout?.(key, decision, before);
    }
    const s = decision.status;
    const keep = new Set([s.stableRevision, s.updateRevision, ...Object.values(s.moved ?? {}).map((m) => m.revision)]);
    await this.deps.revisions.prune(
      grid,
      keep as Set<string>,
      strategyOf(grid.spec.rolloutStrategy).revisionHistoryLimit,
    );
    return decision.requeueAfterMs === undefined ? undefined : { requeueAfterMs: decision.requeueAfterMs + 50 };
  }

  /** `autoDeleteUnusedTemplate: true`: drop templatePool entries nothing names. */
  private async pruneTemplates(grid: AnyGrid): Promise<void> {
    if (!isWorkloadGrid(grid) || grid.spec.autoDeleteUnusedTemplate !== true) return;
    const unused = unusedTemplates(grid);
    if (unused.length === 0) return;
    await this.deps.writer.dropTemplates(grid, unused);
    this.deps.events.report(
      gridRefOf(grid),
      'Normal',
      'TemplatesDeleted',
      `autoDeleteUnusedTemplate dropped ${unused.join(', ')}`,
    );
  }

  /**
   * A grid being deleted (or no longer distributed) keeps gridfed's finalizer until
   * every member is known to hold nothing of it; an unreachable member keeps it waiting.
   */
  private async finalize(grid: AnyGrid): Promise<void | Requeue> {
    const ref = gridRefOf(grid);
    const kind: ManagedKind = MEMBER_KIND[ref.kind];
    for (const member of this.deps.registry.list()) {
      if (!member.isHealthy || !member.synced) return { requeueAfterMs: WAIT_FOR_MEMBER_MS };
      // The member sync deletes them; each deletion adds this grid again.
      if (member.managed[kind].list().some((obj) => belongsTo(obj, kind, ref))) return;
    }
    await this.deps.writer.removeFinalizer(grid);
    this.deps.log('info', `${gridKey(ref)}: nothing left in any member; finalizer removed`);
  }
}
