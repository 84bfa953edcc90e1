// The sync worker's job: make one member cluster hold exactly what one grid wants
// there, reading the desired state from caches at the moment it runs.
import type { KubernetesObject, V1Namespace } from '@kubernetes/client-node';
import {
  CREATED_NAMESPACE_LABEL,
  DESIRED_HASH_ANNOTATION,
  FIELD_MANAGER,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  isWorkloadGrid,
  parseGridKey,
  type AnyGrid,
  type GridRef,
  type WorkloadGrid,
} from '#gridfed/grid-api';
import { applyBodyFor } from '#gridfed/grid-render';
import {
  applyObject,
  deleteObject,
  isConflict,
  isForbidden,
  readObject,
  isNotFound,
  objectKey,
  withContext,
  type ManagedKind,
} from '#gridfed/kube';
import type { MemberConnection } from '#gridfed/cluster-registry';
import type { NodeUnitIndex } from '#gridfed/topology';
import { desiredState, type DesiredObject } from './desired-state.js';
import { appliedByGridfed, belongsTo, MEMBER_KIND } from './ownership.js';

/** Field manager that keeps the seed value of `replicas` when a grid leaves them to the member. */
export const REPLICAS_SEED_FIELD_MANAGER = 'gridfed-replicas-seed';

export interface GridSyncerDeps {
  grid: (key: string) => AnyGrid | undefined;
  member: (cluster: string) => MemberConnection | undefined;
  topology: NodeUnitIndex;
  /** Something the grid's owner must see: an Event on the grid. */
  report: (grid: GridRef, type: 'Normal' | 'Warning', reason: string, message: string) => void;
  /** After each sync: what this member holds for the grid now (for status and finalizers). */
  synced?: (cluster: string, grid: GridRef, outcome: SyncOutcome) => void;
}

export interface SyncOutcome {
  applied: number;
  deleted: number;
  conflicts: string[];
  invalid?: string;
}

/** The member could not be reached: the job should wait for its health, not burn retries. */
export class MemberUnavailableError extends Error {}

interface AppliedRecord {
  generation: number | undefined;
  hash: string;
}

export class GridSyncer {
  /** cluster/kind/namespace/name -> what gridfed last applied, to skip no-op applies. */
  private readonly applied = new Map<string, AppliedRecord>();
  private readonly namespacesInFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: GridSyncerDeps) {}

  async sync(cluster: string, key: string): Promise<SyncOutcome> {
    const ref = parseGridKey(key);
    const member = this.deps.member(cluster);
    if (!member) return { applied: 0, deleted: 0, conflicts: [] };
    if (!member.isHealthy || !member.synced)
      throw new MemberUnavailableError(`member ${cluster} is not reachable or not synced yet`);
    const grid = this.deps.grid(key);
    const desired = desiredState(grid, cluster, this.deps.topology);
    if (desired.kind === 'invalid') {
      // Nothing is applied or deleted: existing workloads stay exactly as they are.
      this.deps.report(ref, 'Warning', 'InvalidSpec', desired.message);
      const outcome = { applied: 0, deleted: 0, conflicts: [], invalid: desired.message };
      this.deps.synced?.(cluster, ref, outcome);
      return outcome;
    }
    const kind = MEMBER_KIND[ref.kind];
    const outcome: SyncOutcome = { applied: 0, deleted: 0, conflicts: [] };
    if (desired.skippedNodeUnits.length > 0) {
      const units = desired.skippedNodeUnits.map((u) => `"${u}"`).join(', ');
      this.deps.report(
        ref,
        'Warning',
        'InvalidNodeUnit',
        `${cluster}: NodeUnit ${units} cannot form a valid ${kind} name; skipped`,
      );
    }
    // A grid's objects in one member are independent: converge them side by side.
    const results = await Promise.all(desired.objects.map((object) => this.converge(member, kind, ref, grid, object)));
    results.forEach((result, i) => {
      if (result === 'applied') outcome.applied += 1;
      if (result === 'conflict') outcome.conflicts.push(desired.objects[i]?.rendered.object.metadata?.name ?? '');
    });
    const wanted = new Set(desired.objects.map((o) => objectKey(o.rendered.object)));
    for (const live of member.managed[kind].list()) {
      if (!belongsTo(live, kind, ref) || wanted.has(objectKey(live))) continue;
      await this.remove(member, kind, live);
      outcome.deleted += 1;
    }
    this.deps.synced?.(cluster, ref, outcome);
    return outcome;
  }

  /**
   * True when a live managed object still is what gridfed last applied (and, given
   * `desiredHash`, what it wants now): no request needed. False after a restart, so the
   * first sync re-applies once (a no-op for the apiserver when nothing drifted).
   */
  isUpToDate(cluster: string, kind: ManagedKind, live: KubernetesObject, desiredHash?: string): boolean {
    const record = this.applied.get(this.recordKey(cluster, kind, live));
    if (!record || (desiredHash !== undefined && record.hash !== desiredHash)) return false;
    if (live.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] !== record.hash) return false;
    if (live.metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return false;
    // Workloads bump generation on every spec change, not on status updates.
    return kind === 'Service' || live.metadata?.generation === record.generation;
  }

  forgetCluster(cluster: string): void {
    for (const key of this.applied.keys()) if (key.startsWith(`${cluster}/`)) this.applied.delete(key);
  }

  private async converge(
    member: MemberConnection,
    kind: ManagedKind,
    ref: GridRef,
    grid: AnyGrid | undefined,
    desired: DesiredObject,
  ): Promise<'applied' | 'unchanged' | 'conflict'> {
    const { object, hash } = desired.rendered;
    const name = objectKey(object);
    let live = member.managed[kind].get(name);
    if (live && !belongsTo(live, kind, ref)) return this.conflict(member, ref, kind, name, 'another grid');
    if (!live) {
      // Not labelled as gridfed's: the metadata cache knows whether the name is taken.
      live = member.unmanaged[kind].get(name);
      if (live && !appliedByGridfed(live)) return this.conflict(member, ref, kind, name, 'someone else');
    }
    if (live && this.isUpToDate(member.name, kind, live, hash)) return 'unchanged';
    await this.ensureNamespace(member, object.metadata?.namespace ?? 'default');
    const workloadGrid = grid && isWorkloadGrid(grid) ? grid : undefined;
    if (!live) {
      const first = await this.applyNew(member, ref, kind, desired);
      if (first === 'conflict') return first;
      if (first === 'applied' && workloadGrid?.spec.replicasManagedBy === 'member')
        await this.handOverReplicas(member, desired, workloadGrid, kind);
      if (first === 'applied') return 'applied';
    }
    // It exists and is gridfed's: force takes back whatever someone changed (drift).
    const body = workloadGrid ? applyBodyFor(desired.rendered, workloadGrid, true) : object;
    this.record(member.name, kind, await this.apply(member, body as KubernetesObject, kind, true), hash);
    return 'applied';
  }

  /**
   * The first apply of an object neither cache knows. It is not forced, so a same-named
   * object created since the caches last heard of the member is not taken over: its
   * fields conflict, and a GET then tells whose it is. `gridfeds` means gridfed made it
   * (the watch had not caught up) and the caller applies again, forced.
   */
  private async applyNew(
    member: MemberConnection,
    ref: GridRef,
    kind: ManagedKind,
    desired: DesiredObject,
  ): Promise<'applied' | 'conflict' | 'gridfeds'> {
    const { object, hash } = desired.rendered;
    const name = objectKey(object);
    try {
      // The full object: with replicasManagedBy member, its replicas seed the creation.
      const stored = await applyObject(member.clients, object, { fieldManager: FIELD_MANAGER, force: false });
      this.record(member.name, kind, stored, hash);
      return 'applied';
    } catch (err) {
      if (!isConflict(err)) throw this.applyFailure(member, kind, object, err);
    }
    const existing = await this.read(member, kind, object);
    if (existing && !appliedByGridfed(existing)) return this.conflict(member, ref, kind, name, 'someone else');
    return 'gridfeds';
  }

  /**
   * A grid that leaves replicas to the member: the first apply seeded them; a second
   * manager now co-owns that value and gridfed's own apply drops it, so an HPA's later
   * changes are never reverted, yet the value never falls back to a default.
   */
  private async handOverReplicas(
    member: MemberConnection,
    desired: DesiredObject,
    grid: WorkloadGrid,
    kind: ManagedKind,
  ): Promise<void> {
    const { object, hash } = desired.rendered;
    const seed = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata?.name, namespace: object.metadata?.namespace },
      spec: { replicas: (object as { spec?: { replicas?: number } }).spec?.replicas },
    };
    try {
      await applyObject(member.clients, seed, { fieldManager: REPLICAS_SEED_FIELD_MANAGER, force: true });
    } catch (err) {
      throw this.failure(member, `seed replicas of ${kind} ${objectKey(object)}`, err);
    }
    const body = applyBodyFor(desired.rendered, grid, true) as KubernetesObject;
    this.record(member.name, kind, await this.apply(member, body, kind, true), hash);
  }

  private async apply(
    member: MemberConnection,
    body: KubernetesObject,
    kind: ManagedKind,
    force: boolean,
  ): Promise<KubernetesObject> {
    try {
      return await applyObject(member.clients, body, { fieldManager: FIELD_MANAGER, force });
    } catch (err) {
      throw this.applyFailure(member, kind, body, err);
    }
  }

  private applyFailure(member: MemberConnection, kind: ManagedKind, body: KubernetesObject, err: unknown): Error {
    if (isNotFound(err)) member.knownNamespaces.delete(body.metadata?.namespace ?? '');
    return this.failure(member, `apply ${kind} ${objectKey(body)}`, err);
  }

  /** A GET, only when an unforced first apply met a conflict: is the object there gridfed's? */
  private async read(
    member: MemberConnection,
    kind: ManagedKind,
    object: KubernetesObject,
  ): Promise<KubernetesObject | undefined> {
    try {
      return await readObject(
        member.clients,
        kind,
        object.metadata?.namespace ?? 'default',
        object.metadata?.name ?? '',
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw this.failure(member, `read ${kind} ${objectKey(object)}`, err);
    }
  }

  private async remove(member: MemberConnection, kind: ManagedKind, live: KubernetesObject): Promise<void> {
    const namespace = live.metadata?.namespace ?? 'default';
    const name = live.metadata?.name ?? '';
    try {
      await deleteObject(member.clients, kind, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) throw this.failure(member, `delete ${kind} ${namespace}/${name}`, err);
    }
    this.applied.delete(this.recordKey(member.name, kind, live));
  }

  private conflict(member: MemberConnection, ref: GridRef, kind: ManagedKind, name: string, owner: string): 'conflict' {
    this.deps.report(
      ref,
      'Warning',
      'Conflict',
      `${member.name}: ${kind} ${name} exists and belongs to ${owner}; gridfed leaves it untouched`,
    );
    return 'conflict';
  }

  /**
   * Creates the namespace in the member when missing (labelled, so only those are ever
   * deleted). Concurrent syncs into one new namespace share one request.
   */
  private ensureNamespace(member: MemberConnection, namespace: string): Promise<void> {
    if (member.knownNamespaces.has(namespace)) return Promise.resolve();
    const key = `${member.name}/${namespace}`;
    let pending = this.namespacesInFlight.get(key);
    if (!pending) {
      pending = this.createNamespace(member, namespace).finally(() => this.namespacesInFlight.delete(key));
      this.namespacesInFlight.set(key, pending);
    }
    return pending;
  }

  private async createNamespace(member: MemberConnection, namespace: string): Promise<void> {
    const body: V1Namespace = {
      metadata: {
        name: namespace,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [CREATED_NAMESPACE_LABEL]: 'true' },
      },
    };
    // Create first: one request whether it exists (409) or not; read only when creating is forbidden.
    try {
      await member.clients.core.createNamespace({ body });
    } catch (err) {
      if (isForbidden(err)) await this.readNamespace(member, namespace);
      else if (!isConflict(err)) throw this.failure(member, `create namespace ${namespace}`, err);
    }
    member.knownNamespaces.add(namespace);
  }

  private async readNamespace(member: MemberConnection, namespace: string): Promise<void> {
    try {
      await member.clients.core.readNamespace({ name: namespace });
    } catch (err) {
      throw this.failure(member, `namespace ${namespace} (cannot create it, and reading it failed)`, err);
    }
  }

  private failure(member: MemberConnection, what: string, err: unknown): Error {
    const error = withContext(`${member.name}: ${what}`, err);
    if (!isApiAnswer(err)) {
      member.reportFailure(error.message);
      return new MemberUnavailableError(error.message, { cause: err });
    }
    return error;
  }

  private record(cluster: string, kind: ManagedKind, stored: KubernetesObject, hash: string): void {
    this.applied.set(this.recordKey(cluster, kind, stored), { generation: stored.metadata?.generation, hash });
  }

  private recordKey(cluster: string, kind: ManagedKind, obj: KubernetesObject): string {
    return `${cluster}/${kind}/${objectKey(obj)}`;
  }
}

/** True when the apiserver answered (with an error status); false for network failures and timeouts. */
function isApiAnswer(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' && code > 0;
}
