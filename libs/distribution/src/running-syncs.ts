// The member syncs running in this replica, and the member objects that changed while
// one of them ran. A sync's own applies come back through the member's watch, often
// before the apply's response has been recorded: judged then, every one of those
// echoes looks like drift and asks for another sync of the grid (a whole queued job
// that finds nothing to do; profiled in bench/results/hub-profile.md). Instead, a
// change seen while its grid's sync runs is held here, and judged once that sync ends
// against what the cache holds then and what the sync recorded.

export type ObjectEvent = 'add' | 'update' | 'delete';

/** Objects (`namespace/name`) that changed while their grid's sync ran; a deletion wins over other events. */
export type HeldChanges = Map<string, ObjectEvent>;

const syncId = (cluster: string, grid: string): string => `${cluster}\u0000${grid}`;

export class RunningSyncs {
  private readonly running = new Map<string, { runs: number; held: HeldChanges }>();

  /** A sync of `grid` on `cluster` starts. */
  begin(cluster: string, grid: string): void {
    const id = syncId(cluster, grid);
    const entry = this.running.get(id);
    if (entry) entry.runs += 1;
    else this.running.set(id, { runs: 1, held: new Map() });
  }

  /** Holds the change when a sync of its grid runs (true); false: none runs, judge it now. */
  hold(cluster: string, grid: string, name: string, event: ObjectEvent): boolean {
    const entry = this.running.get(syncId(cluster, grid));
    if (!entry) return false;
    if (entry.held.get(name) !== 'delete') entry.held.set(name, event);
    return true;
  }

  /**
   * A sync ended (fulfilled or not). Once no sync of the grid runs any more, returns the
   * changes held meanwhile, to be judged now; until then, the later sync's end returns them.
   */
  end(cluster: string, grid: string): HeldChanges {
    const id = syncId(cluster, grid);
    const entry = this.running.get(id);
    if (!entry) return new Map();
    entry.runs -= 1;
    if (entry.runs > 0) return new Map();
    this.running.delete(id);
    return entry.held;
  }
}
