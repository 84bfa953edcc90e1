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
import { isConflict, statusCodeOf } from '#gridfed/kube';
import { planRollout, strategyOf, type NodeUnitView, type RolloutDecision, type TemplateSet } from '#gridfed/rollout';
import type { KeyQueue, KeyQueueFactory, Requeue } from '#gridfed/workqueue';
import { invalidSpec, isDistributed } from './desired-state.js';
import type { GridEvents } from './grid-events.js';
import type { GridWriter } from './grid-writer.js';
import type { MemberReports } from './member-reports.js';
import type { RevisionStore } from './revision-store.js';
import type { RolloutViews } from './rollout-views.js';

/** How often a grid waiting for an unreachable member looks again (member health changes add it too). */
const WAIT_FOR_MEMBER_MS = 10_000;

export interface GridLifecycleDeps {
  grid: (key: string) => AnyGrid | undefined;
  /** Every registered member (a MemberCluster), whichever replica holds it. */
  registered: () => string[];
  reports: MemberReports;
  writer: GridWriter;
  events: GridEvents;
  revisions: RevisionStore;
  /** The grid's current templates as a revision records them (with its SiteConfigs' snapshot when it keeps copies). */
  templateSet: (grid: WorkloadGrid) => Promise<TemplateSet>;
  views: RolloutViews;
  log: (level: 'info' | 'warn', message: string) => void;
  /** The queue it runs on (shared by every hub replica). */
  queue: KeyQueueFactory;
  /** A rollout decision was written (metrics). */
  onRollout?: (key: string, decision: RolloutDecision, before: RolloutStatus | undefined) => void;
}

export class GridLifecycle {
  readonly queue: KeyQueue;

  constructor(private readonly deps: GridLifecycleDeps) {
    this.queue = deps.queue('grid-lifecycle', (key) => this.reconcile(key));
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  stop(): void | Promise<void> {
    return this.queue.stop();
  }

  async reconcile(key: string): Promise<void | Requeue> {
    const grid = this.deps.grid(key);
    if (!grid) {
      this.queue.forget(key);
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
    const update = await this.deps.revisions.ensureCurrent(grid, await this.deps.templateSet(grid));
    const strategy = strategyOf(grid.spec.rolloutStrategy);
    const before = grid.status?.rollout;
    if (strategy.type !== 'Progressive') {
      // Everything at once: nothing to decide, and no decision of an earlier Progressive era stays.
      if (before && (await moved(() => this.deps.writer.clearRollout(grid)))) return { requeueAfterMs: 200 };
      await this.deps.revisions.prune(grid, new Set([update]), strategy.revisionHistoryLimit);
      return;
    }
    const now = new Date();
    const nodeUnits = await this.deps.views.of(grid);
    if (!nodeUnits) return { requeueAfterMs: 1000 }; // a member's state is not known yet
    const decision = planRollout({
      strategy: grid.spec.rolloutStrategy,
      updateRevision: update,
      generation: grid.metadata.generation,
      previous: before,
      nodeUnits,
      retry: grid.metadata.annotations?.[ROLLOUT_RETRY_ANNOTATION],
      ...(before ? {} : { observedStable: this.observedStable(grid, nodeUnits, update) }),
      now,
    });
    if (stringify(decision.status) !== stringify(before ?? null)) {
      if (await moved(() => this.deps.writer.writeRollout(grid, decision.status))) return { requeueAfterMs: 200 };
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

  /**
   * For a first decision (a grid just made Progressive): the revision most NodeUnits run,
   * when it is not the templates' own and its ControllerRevision can render it again.
   */
  private observedStable(grid: WorkloadGrid, nodeUnits: NodeUnitView[], update: string): string | undefined {
    const counts = new Map<string, number>();
    for (const u of nodeUnits) if (u.revision) counts.set(u.revision, (counts.get(u.revision) ?? 0) + 1);
    const [top] = [...counts].sort((a, b) => b[1] - a[1]);
    if (!top || top[0] === update || !this.deps.revisions.templates(grid, top[0])) return undefined;
    return top[0];
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
    const [reports, facts] = await Promise.all([this.deps.reports.ofGrid(gridKey(ref)), this.deps.reports.facts()]);
    for (const member of this.deps.registered()) {
      const f = facts.get(member);
      if (!f?.reachable || !f.synced) return { requeueAfterMs: WAIT_FOR_MEMBER_MS };
      // The member sync deletes them; each deletion is reported, which adds this grid again.
      if (Object.keys(reports.get(member)?.observed ?? {}).length > 0) return;
    }
    await this.deps.writer.removeFinalizer(grid);
    this.deps.log('info', `${gridKey(ref)}: nothing left in any member; finalizer removed`);
  }
}

/**
 * Runs a write guarded by the grid's resourceVersion: true when the grid had moved on (409,
 * or 422 from the JSON patch's test), so the caller decides again from the new version.
 */
async function moved(write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return false;
  } catch (err) {
    if (isConflict(err) || statusCodeOf(err) === 422) return true;
    throw err;
  }
}
