// Writes each distributed grid's status from what the members report: debounced per
// grid, through the status subresource, and only when something a user would see
// changed (so an idle fleet writes nothing).
import { PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import {
  DESIRED_HASH_ANNOTATION,
  GRID_GROUP,
  GRID_RESOURCES,
  GRID_VERSION,
  gridKey,
  gridRefOf,
  parseGridKey,
  type AnyGrid,
} from '#gridfed/grid-api';
import { chooseTemplate } from '#gridfed/grid-render';
import { desiredState, isDistributed, MEMBER_KIND, belongsTo, type Distributor } from '#gridfed/distribution';
import { describeError, isNotFound, objectKey, type KubeClients } from '#gridfed/kube';
import { WriteScheduler } from './write-scheduler.js';
import { aggregateStatus, statusEssence, syncedKey, type ClusterView, type Observation } from './aggregate.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export interface StatusAggregatorOptions {
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

/** One line of `gridfed status`: a NodeUnit in one member cluster. */
export interface NodeUnitRow {
  nodeUnit: string;
  cluster: string;
  template?: string;
  readyReplicas?: number;
  desiredReplicas?: number;
  ready: boolean;
  synced: boolean;
  reachable: boolean;
  stale: boolean;
  lastSeen?: string;
  error?: string;
}

export interface GridView {
  status: ReturnType<typeof aggregateStatus>;
  rows: NodeUnitRow[];
}

interface SyncRecord {
  conflicts: string[];
  invalid?: string;
  error?: string;
}

export class StatusAggregator {
  private readonly writes: WriteScheduler;
  private readonly lastSync = new Map<string, SyncRecord>();
  private readonly lastSeen = new Map<string, string>();

  constructor(private readonly opts: StatusAggregatorOptions) {
    this.writes = new WriteScheduler({
      debounceMs: opts.debounceMs ?? 500,
      minIntervalMs: opts.minWriteIntervalMs ?? 2000,
      maxInFlight: opts.maxConcurrentWrites ?? 8,
      retry: { initialMs: 1000, maxMs: 30_000 },
      write: (key) => this.update(key),
    });
  }

  /** A sync of `key` on `cluster` ended (with the outcome or an error). */
  recordSync(cluster: string, key: string, record: SyncRecord): void {
    const id = `${cluster}|${key}`;
    const before = JSON.stringify(this.lastSync.get(id) ?? null);
    this.lastSync.set(id, record);
    if (JSON.stringify(record) !== before) this.schedule(key);
  }

  /** A managed object changed in a member: its grid's status may have too. */
  objectChanged(obj: KubernetesObject, key: string | undefined): void {
    if (key) this.schedule(key);
    void obj;
  }

  memberHealthChanged(cluster: string, healthy: boolean): void {
    if (healthy) this.lastSeen.set(cluster, new Date().toISOString());
    for (const key of this.opts.distributor.grids.keys()) this.schedule(key);
  }

  schedule(key: string): void {
    this.writes.schedule(key);
  }

  stop(): void {
    this.writes.stop();
  }

  /** The status a grid should show now, and its rows (also served by the HTTP API). */
  compute(grid: AnyGrid): GridView {
    const { distributor } = this.opts;
    const key = gridKey(gridRefOf(grid));
    const ref = parseGridKey(key);
    const kind = MEMBER_KIND[ref.kind];
    const expected = new Map<string, string[]>();
    const observations: Observation[] = [];
    const clusters = new Map<string, ClusterView>();
    const synced = new Set<string>();
    const conflicts: string[] = [];
    const errors: string[] = [];
    let invalid: string | undefined;
    for (const member of distributor.registry.list()) {
      const now = new Date().toISOString();
      if (member.isHealthy) this.lastSeen.set(member.name, now);
      const record = this.lastSync.get(`${member.name}|${key}`);
      if (record?.invalid) invalid = record.invalid;
      conflicts.push(...(record?.conflicts ?? []).map((c) => `${member.name}/${c}`));
      if (record?.error) errors.push(`${member.name}: ${record.error}`);
      const desired = desiredState(grid, member.name, distributor.topology);
      if (desired.kind !== 'objects') continue;
      const nodeUnits =
        desired.objects.length && grid.kind === 'ServiceGrid'
          ? distributor.topology.nodeUnits(member.name, grid.spec.gridUniqKey)
          : desired.objects.map((o) => o.nodeUnit ?? '');
      if (nodeUnits.length === 0) continue;
      clusters.set(member.name, {
        name: member.name,
        reachable: member.isHealthy,
        lastSeen: this.lastSeen.get(member.name),
        detail: member.isHealthy ? undefined : member.healthDetail,
      });
      for (const object of desired.objects) {
        const live = member.managed[kind].get(objectKey(object.rendered.object));
        const units = object.nodeUnit ? [object.nodeUnit] : nodeUnits;
        for (const nodeUnit of units) {
          expected.set(nodeUnit, [...(expected.get(nodeUnit) ?? []), member.name]);
          if (!live || !belongsTo(live, kind, ref)) continue;
          if (live.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] === object.rendered.hash)
            synced.add(syncedKey(member.name, nodeUnit));
          observations.push(observe(member.name, nodeUnit, live));
        }
      }
    }
    const status = aggregateStatus({
      grid,
      expected,
      observations,
      clusters,
      sync: { synced, conflicts, invalid, errors },
      now: new Date(),
    });
    return { status, rows: this.rows(grid, key, status, expected, synced, clusters) };
  }

  private rows(
    grid: AnyGrid,
    key: string,
    status: GridView['status'],
    expected: Map<string, string[]>,
    synced: Set<string>,
    clusters: Map<string, ClusterView>,
  ): NodeUnitRow[] {
    return [...expected.entries()].flatMap(([nodeUnit, hosts]) =>
      hosts.map((cluster) => {
        const member = status.states?.[nodeUnit]?.clusters?.[cluster];
        const s = (member?.status ?? {}) as { readyReplicas?: number; replicas?: number };
        const view = clusters.get(cluster);
        const record = this.lastSync.get(`${cluster}|${key}`);
        const desiredReplicas = templateReplicas(grid, nodeUnit);
        return {
          nodeUnit,
          cluster,
          template: grid.kind === 'ServiceGrid' ? undefined : safeTemplateName(grid, nodeUnit),
          readyReplicas: s.readyReplicas ?? 0,
          desiredReplicas,
          ready: grid.kind === 'ServiceGrid' ? member !== undefined : (s.readyReplicas ?? 0) >= (desiredReplicas ?? 1),
          synced: synced.has(syncedKey(cluster, nodeUnit)),
          reachable: view?.reachable ?? false,
          stale: member?.stale ?? false,
          lastSeen: member?.lastSeen,
          error:
            record?.invalid ??
            record?.error ??
            (record?.conflicts.length ? `conflict: ${record.conflicts.join(', ')}` : undefined),
        };
      }),
    );
  }

  /** Writes the status `key` should show; false when the write failed and is worth retrying. */
  private async update(key: string): Promise<boolean> {
    const grid = this.opts.distributor.grids.get(key);
    if (!grid) this.writes.forget(key);
    if (!grid || !isDistributed(grid)) return true;
    const next = this.compute(grid).status;
    if (statusEssence(next) === statusEssence(grid.status as never)) return true;
    // A merge patch merges maps: NodeUnits that left must be nulled explicitly.
    const states: Record<string, unknown> = { ...next.states };
    for (const old of Object.keys(grid.status?.states ?? {})) if (!(old in states)) states[old] = null;
    const { namespace = 'default', name = '' } = grid.metadata;
    try {
      await this.opts.control.custom.patchNamespacedCustomObjectStatus(
        {
          group: GRID_GROUP,
          version: GRID_VERSION,
          plural: GRID_RESOURCES[grid.kind].plural,
          namespace,
          name,
          body: { status: { ...next, states } },
        },
        mergePatch,
      );
      this.opts.onWrite?.(key);
      return true;
    } catch (err) {
      if (isNotFound(err)) return true; // the grid is gone
      this.opts.log('warn', `status of ${key} not written (will retry): ${describeError(err)}`);
      return false;
    }
  }
}

function observe(cluster: string, nodeUnit: string, live: KubernetesObject): Observation {
  const obj = live as KubernetesObject & {
    spec?: { replicas?: number; clusterIP?: string };
    status?: Record<string, unknown>;
  };
  const status = { ...(obj.status ?? {}) };
  if (obj.kind === 'Service' || obj.spec?.clusterIP !== undefined) status['clusterIP'] = obj.spec?.clusterIP;
  const observedGeneration =
    typeof status['observedGeneration'] === 'number' ? status['observedGeneration'] : undefined;
  return {
    cluster,
    nodeUnit,
    status,
    desiredReplicas: obj.spec?.replicas,
    current: observedGeneration === undefined || observedGeneration >= (live.metadata?.generation ?? 0),
  };
}

function safeTemplateName(grid: AnyGrid, nodeUnit: string): string | undefined {
  if (grid.kind === 'ServiceGrid') return undefined;
  try {
    return chooseTemplate(grid, nodeUnit).name;
  } catch {
    return undefined;
  }
}

function templateReplicas(grid: AnyGrid, nodeUnit: string): number | undefined {
  if (grid.kind === 'ServiceGrid') return undefined;
  try {
    return chooseTemplate(grid, nodeUnit).spec.replicas ?? 1;
  } catch {
    return undefined;
  }
}
