// The grid lifecycle reconciler, per grid: gridfed's finalizer on distributed grids,
// autoDeleteUnusedTemplate pruning, and finalization (the finalizer goes once no member
// holds anything of the grid). Handlers only add keys; each run reads the grid and the
// members from the caches, and a failed write is retried with backoff.
import { GRID_FINALIZER, gridKey, gridRefOf, isWorkloadGrid, type AnyGrid } from '#gridfed/grid-api';
import { unusedTemplates } from '#gridfed/grid-render';
import type { ClusterRegistry } from '#gridfed/cluster-registry';
import { describeError, type ManagedKind } from '#gridfed/kube';
import { WorkQueue, type Requeue } from '#gridfed/workqueue';
import { isDistributed } from './desired-state.js';
import type { GridEvents } from './grid-events.js';
import type { GridWriter } from './grid-writer.js';
import { belongsTo, MEMBER_KIND } from './ownership.js';

/** How often a grid waiting for an unreachable member looks again (member health changes add it too). */
const WAIT_FOR_MEMBER_MS = 10_000;

export interface GridLifecycleDeps {
  grid: (key: string) => AnyGrid | undefined;
  registry: ClusterRegistry;
  writer: GridWriter;
  events: GridEvents;
  log: (level: 'info' | 'warn', message: string) => void;
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
