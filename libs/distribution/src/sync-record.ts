// What one sync of one grid on one member cluster applied and observed. The member
// sync writes it; the grid status and lifecycle reconcilers read it (status never
// renders templates again), and the next sync reads it to skip applies that would
// change nothing. Plain JSON, so it can be shared between hub replicas.

/** `failed`: the sync could not converge it (the job is retried). */
export type ObjectOutcome = 'applied' | 'unchanged' | 'conflict' | 'failed';

/** One member object a grid wants in the member, as the last sync left it. */
export interface SyncedObject {
  /** `namespace/name` of the member object. */
  name: string;
  /** The NodeUnits it serves: one for a workload, every hosted one for a ServiceGrid's Service. */
  nodeUnits: string[];
  /** The templatePool entry it was rendered from (`default` for spec.template); workloads only. */
  template?: string;
  /** Desired hash of what was (or would have been) applied. */
  hash: string;
  /** metadata.generation the member stored after gridfed's apply (or saw unchanged). */
  generation?: number;
  outcome: ObjectOutcome;
}

export interface SyncRecord {
  cluster: string;
  /** Grid key, `Kind/namespace/name`. */
  grid: string;
  /** The grid's metadata.generation this sync worked from. */
  generation?: number;
  /** When the sync ended (RFC 3339). */
  at: string;
  /** The grid's spec is invalid: nothing was applied or deleted. */
  invalid?: string;
  /** The sync failed (it is retried): the last error. */
  error?: string;
  /** NodeUnits the member hosts whose values cannot name a member object. */
  skippedNodeUnits: string[];
  /** By object name (`namespace/name`). */
  objects: Record<string, SyncedObject>;
}

/** Records of every (member, grid) pair, in memory, indexed by grid. */
export class SyncRecords {
  /** grid key -> cluster -> record */
  private readonly byGrid = new Map<string, Map<string, SyncRecord>>();
  /**
   * Objects a running sync has applied but not yet published in its record: the
   * watch event of an apply must not look like drift while the rest of the grid's
   * objects converge (it would queue one more sync of the grid for nothing).
   */
  private readonly inFlight = new Map<string, SyncedObject>();

  /** What gridfed last applied of one member object: a running sync's apply, else the record's. */
  applied(cluster: string, grid: string, name: string): SyncedObject | undefined {
    return this.inFlight.get(objectId(cluster, grid, name)) ?? this.get(cluster, grid)?.objects[name];
  }

  /** A running sync applied (or confirmed) one object. */
  noteApplied(cluster: string, grid: string, object: SyncedObject): void {
    this.inFlight.set(objectId(cluster, grid, object.name), object);
  }

  get(cluster: string, grid: string): SyncRecord | undefined {
    return this.byGrid.get(grid)?.get(cluster);
  }

  /** Publishes a sync's record; what it noted in flight is in it now. */
  set(record: SyncRecord): void {
    this.forgetInFlight(record.cluster, record.grid);
    let clusters = this.byGrid.get(record.grid);
    if (!clusters) this.byGrid.set(record.grid, (clusters = new Map()));
    clusters.set(record.cluster, record);
  }

  /** Every member's record of one grid. */
  ofGrid(grid: string): SyncRecord[] {
    return [...(this.byGrid.get(grid)?.values() ?? [])];
  }

  delete(cluster: string, grid: string): void {
    this.forgetInFlight(cluster, grid);
    const clusters = this.byGrid.get(grid);
    clusters?.delete(cluster);
    if (clusters?.size === 0) this.byGrid.delete(grid);
  }

  deleteGrid(grid: string): void {
    for (const cluster of this.byGrid.get(grid)?.keys() ?? []) this.forgetInFlight(cluster, grid);
    this.byGrid.delete(grid);
  }

  deleteCluster(cluster: string): void {
    for (const grid of [...this.byGrid.keys()]) this.delete(cluster, grid);
    for (const id of this.inFlight.keys()) if (id.startsWith(`${cluster}|`)) this.inFlight.delete(id);
  }

  private forgetInFlight(cluster: string, grid: string): void {
    const prefix = `${cluster}|${grid}|`;
    for (const id of this.inFlight.keys()) if (id.startsWith(prefix)) this.inFlight.delete(id);
  }
}

const objectId = (cluster: string, grid: string, name: string): string => `${cluster}|${grid}|${name}`;
