// The member sync's executor: make one member cluster hold exactly what one grid wants
// there. It reads the desired state from the caches when it runs, asks the pure plan
// (sync-plan.ts) what to do with each object, carries that out, and records what it
// applied and observed (sync-record.ts) for status, lifecycle and the next sync.
import type { KubernetesObject, V1Namespace } from '@kubernetes/client-node';
import {
  CREATED_NAMESPACE_LABEL,
  FIELD_MANAGER,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  isWorkloadGrid,
  parseGridKey,
  type AnyGrid,
  type GridRef,
  type ReplicasManagedBy,
  type WorkloadGrid,
} from '#gridfed/grid-api';
import { TEMPLATE_ANNOTATION, withoutReplicas, type MemberObject } from '#gridfed/grid-render';
import {
  applyObject,
  deleteObject,
  describeError,
  isConflict,
  isForbidden,
  isNotFound,
  objectKey,
  readObject,
  withContext,
  type ManagedKind,
} from '#gridfed/kube';
import type { CachedWorkload, MemberConnection } from '#gridfed/cluster-registry';
import type { NodeUnitIndex } from '#gridfed/topology';
import type { SiteConfigInputs } from '#gridfed/grid-render';
import { desiredState, isDistributed, type DesiredObject, type RevisionLookup } from './desired-state.js';
import { appliedByGridfed, MEMBER_KIND } from './ownership.js';
import { planExisting, planSync, type ObjectAction, type PlannedObject } from './sync-plan.js';
import type { SyncedObject, SyncRecord, SyncRecords } from './sync-record.js';

/** Field manager that keeps the seed value of `replicas` when a grid leaves them to the member. */
export const REPLICAS_SEED_FIELD_MANAGER = 'gridfed-replicas-seed';

export interface MemberSyncDeps {
  grid: (key: string) => AnyGrid | undefined;
  member: (cluster: string) => MemberConnection | undefined;
  /** This replica owns the member now (its Lease, not fenced): checked before every write. */
  mayWrite: (cluster: string) => boolean;
  topology: NodeUnitIndex;
  records: SyncRecords;
  /** Templates of a grid's older revisions (its ControllerRevisions), for NodeUnits a rollout keeps there. */
  revisions: RevisionLookup;
  /** The SiteConfigs and control-cluster Secrets a workload grid's rendering reads, as they are now. */
  siteConfigs: (grid: WorkloadGrid) => Promise<SiteConfigInputs>;
  /** Something the grid's owner must see: an Event on the grid. */
  report: (grid: GridRef, type: 'Normal' | 'Warning', reason: string, message: string) => void;
}

export interface SyncOutcome {
  record: SyncRecord | undefined;
  applied: number;
  deleted: number;
}

/** The member could not be reached: the job should wait for its health, not burn retries. */
export class MemberUnavailableError extends Error {}

interface Target {
  member: MemberConnection;
  kind: ManagedKind;
  ref: GridRef;
  replicasManagedBy: ReplicasManagedBy | undefined;
}

export class MemberSync {
  private readonly namespacesInFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: MemberSyncDeps) {}

  async sync(cluster: string, key: string): Promise<SyncOutcome> {
    const ref = parseGridKey(key);
    const member = this.deps.member(cluster);
    if (!member) return { record: undefined, applied: 0, deleted: 0 };
    if (!member.isHealthy || !member.synced)
      throw new MemberUnavailableError(`member ${cluster} is not reachable or not synced yet`);
    const grid = this.deps.grid(key);
    const previous = this.deps.records.get(cluster, key);
    const base = { cluster, grid: key, generation: grid?.metadata.generation };
    // Read before rendering (control-cluster Secrets are fetched, not cached): rendering stays pure.
    const inputs = grid && isWorkloadGrid(grid) && isDistributed(grid) ? await this.deps.siteConfigs(grid) : undefined;
    const desired = desiredState(grid, cluster, this.deps.topology, this.deps.revisions, () => inputs);
    if (desired.kind === 'invalid') {
      // Nothing is applied or deleted: existing workloads stay exactly as they are, and so does their record.
      this.deps.report(ref, 'Warning', 'InvalidSpec', desired.message);
      const record = this.record({ ...base, invalid: desired.message }, previous?.objects ?? {}, []);
      return { record, applied: 0, deleted: 0 };
    }
    const kind = MEMBER_KIND[ref.kind];
    if (desired.skippedNodeUnits.length > 0) {
      const units = desired.skippedNodeUnits.map((u) => `"${u}"`).join(', ');
      this.deps.report(
        ref,
        'Warning',
        'InvalidNodeUnit',
        `${cluster}: NodeUnit ${units} cannot form a valid ${kind} name; skipped`,
      );
    }
    const siteConfigErrors = Object.values(desired.siteConfigErrors).map((message) => `${cluster}: ${message}`);
    // The message names grid field, SiteConfig, NodeUnit and key; its workload is left as it is.
    for (const message of siteConfigErrors) this.deps.report(ref, 'Warning', 'SiteConfigUnusable', message);
    const target: Target = {
      member,
      kind,
      ref,
      replicasManagedBy: grid && isWorkloadGrid(grid) ? (grid.spec.replicasManagedBy ?? 'grid') : undefined,
    };
    if (desired.missingRevisions.length > 0) {
      this.deps.report(
        ref,
        'Warning',
        'RevisionUnknown',
        `${cluster}: revision ${desired.missingRevisions.join(', ')} has no ControllerRevision (yet); ` +
          `the NodeUnits the rollout keeps on it are left as they are`,
      );
    }
    const plan = planSync({
      ref,
      kind,
      desired: desired.objects,
      held: desired.held,
      replicasManagedBy: target.replicasManagedBy,
      managed: (name) => member.managed[kind].get(name),
      managedList: member.ownedBy(kind, key),
      unmanaged: (name) => member.unmanaged[kind].get(name),
      applied: (name) => previous?.objects[name],
    });
    // A grid's objects in one member are independent: converge them side by side.
    const converged = await Promise.allSettled(
      plan.objects.map(async (p) => {
        const synced = await this.execute(target, p);
        this.deps.records.noteApplied(cluster, key, synced);
        return synced;
      }),
    );
    const deleted = await Promise.allSettled(plan.deletes.map((live) => this.remove(member, kind, live)));
    // Held objects keep what the last sync recorded of them.
    const objects: Record<string, SyncedObject> = Object.fromEntries(
      desired.held.flatMap((name) => (previous?.objects[name] ? [[name, previous.objects[name]]] : [])),
    );
    converged.forEach((result, i) => {
      const planned = plan.objects[i]!;
      const entry = result.status === 'fulfilled' ? result.value : syncedObject(planned.desired, 'failed');
      objects[entry.name] = entry;
    });
    const failures = [...converged, ...deleted].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (!grid) {
      // The grid is gone: nothing to remember once its objects are.
      this.deps.records.delete(cluster, key);
      if (failures.length > 0) throw failures[0];
      return { record: undefined, applied: 0, deleted: plan.deletes.length };
    }
    // A NodeUnit set aside for its SiteConfig shows in the grid's Synced condition like a failed apply.
    const error = failures.length > 0 ? describeError(failures[0]) : siteConfigErrors[0];
    const record = this.record({ ...base, ...(error ? { error } : {}) }, objects, desired.skippedNodeUnits);
    if (failures.length > 0) throw failures[0];
    const applied = Object.values(objects).filter((o) => o.outcome === 'applied').length;
    return { record, applied, deleted: plan.deletes.length };
  }

  private record(
    fields: Pick<SyncRecord, 'cluster' | 'grid' | 'generation' | 'invalid' | 'error'>,
    objects: Record<string, SyncedObject>,
    skippedNodeUnits: string[],
  ): SyncRecord {
    const record: SyncRecord = { ...fields, at: new Date().toISOString(), skippedNodeUnits, objects };
    this.deps.records.set(record);
    return record;
  }

  private async execute(target: Target, { desired, action }: PlannedObject): Promise<SyncedObject> {
    const { member, kind } = target;
    const object = desired.rendered.object;
    switch (action.type) {
      case 'unchanged':
        return syncedObject(desired, 'unchanged', action.generation);
      case 'conflict':
        return this.conflict(target, desired, action.owner);
      case 'create':
        return this.create(target, desired, action);
      case 'read':
        return this.adopt(target, desired);
      case 'apply':
        await this.ensureNamespace(member, object.metadata.namespace);
        return syncedObject(desired, 'applied', (await this.apply(member, kind, action.body)).metadata?.generation);
      case 'handOverReplicas': {
        await this.ensureNamespace(member, object.metadata.namespace);
        const stored = await this.handOver(member, kind, action.body, action.seedReplicas);
        return syncedObject(desired, 'applied', stored.metadata?.generation);
      }
    }
  }

  /**
   * The first apply of an object neither cache knows. It is not forced, so a same-named
   * object created since the caches last heard of the member is not taken over: its
   * fields conflict, and a read then tells whose it is.
   */
  private async create(
    target: Target,
    desired: DesiredObject,
    action: Extract<ObjectAction, { type: 'create' }>,
  ): Promise<SyncedObject> {
    const { member, kind } = target;
    await this.ensureNamespace(member, action.body.metadata.namespace);
    let stored: KubernetesObject;
    try {
      this.fence(member);
      stored = await applyObject(member.clients, action.body, { fieldManager: FIELD_MANAGER, force: false });
    } catch (err) {
      if (!isConflict(err)) throw this.applyFailure(member, kind, action.body, err);
      return this.adopt(target, desired);
    }
    if (action.seedReplicas !== undefined)
      stored = await this.handOver(member, kind, withoutReplicas(action.body), action.seedReplicas);
    return syncedObject(desired, 'applied', stored.metadata?.generation);
  }

  /** An object in the way of a first apply, or gridfed's with its labels stripped: whose is it? */
  private async adopt(target: Target, desired: DesiredObject): Promise<SyncedObject> {
    const { member, kind } = target;
    const existing = await this.read(member, kind, desired.rendered.object);
    // Gone since: the job's retry creates it.
    if (!existing) throw new Error(`${member.name}: ${kind} ${objectKey(desired.rendered.object)} vanished; retrying`);
    if (!appliedByGridfed(existing)) return this.conflict(target, desired, 'someone else');
    const action = planExisting(kind, desired, existing as CachedWorkload, undefined, target.replicasManagedBy);
    return this.execute(target, { desired, action });
  }

  /**
   * A second field manager takes `spec.replicas` at `seedReplicas`, then gridfed applies
   * `body` (without replicas): from then on the member owns the count (an HPA's changes
   * are never reverted), and it never falls back to a default.
   */
  private async handOver(
    member: MemberConnection,
    kind: ManagedKind,
    body: MemberObject,
    seedReplicas: number,
  ): Promise<KubernetesObject> {
    const seed = {
      apiVersion: body.apiVersion,
      kind: body.kind,
      metadata: { name: body.metadata.name, namespace: body.metadata.namespace },
      spec: { replicas: seedReplicas },
    };
    try {
      this.fence(member);
      await applyObject(member.clients, seed, { fieldManager: REPLICAS_SEED_FIELD_MANAGER, force: true });
    } catch (err) {
      throw this.failure(member, `seed replicas of ${kind} ${objectKey(body)}`, err);
    }
    return this.apply(member, kind, body);
  }

  /** A forced apply: takes back whatever someone changed (drift). */
  private async apply(member: MemberConnection, kind: ManagedKind, body: KubernetesObject): Promise<KubernetesObject> {
    try {
      this.fence(member);
      return await applyObject(member.clients, body, { fieldManager: FIELD_MANAGER, force: true });
    } catch (err) {
      throw this.applyFailure(member, kind, body, err);
    }
  }

  private applyFailure(member: MemberConnection, kind: ManagedKind, body: KubernetesObject, err: unknown): Error {
    if (isNotFound(err)) member.knownNamespaces.delete(body.metadata?.namespace ?? '');
    return this.failure(member, `apply ${kind} ${objectKey(body)}`, err);
  }

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
      this.fence(member);
      await deleteObject(member.clients, kind, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) throw this.failure(member, `delete ${kind} ${namespace}/${name}`, err);
    }
  }

  private conflict(target: Target, desired: DesiredObject, owner: string): SyncedObject {
    const { member, kind, ref } = target;
    const name = objectKey(desired.rendered.object);
    this.deps.report(
      ref,
      'Warning',
      'Conflict',
      `${member.name}: ${kind} ${name} exists and belongs to ${owner}; gridfed leaves it untouched`,
    );
    return syncedObject(desired, 'conflict');
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

  /** No write once another replica may own the member (handover, or this replica's Lease lapsed). */
  private fence(member: MemberConnection): void {
    if (!this.deps.mayWrite(member.name)) {
      throw new MemberUnavailableError(
        `member ${member.name}: not owned by this hub replica any more; its owner syncs it`,
      );
    }
  }

  private async createNamespace(member: MemberConnection, namespace: string): Promise<void> {
    this.fence(member);
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
    // The fence: nothing wrong with the member.
    if (err instanceof MemberUnavailableError) return err;
    const error = withContext(`${member.name}: ${what}`, err);
    if (!isApiAnswer(err)) {
      member.reportFailure(error.message);
      return new MemberUnavailableError(error.message, { cause: err });
    }
    return error;
  }
}

function syncedObject(desired: DesiredObject, outcome: SyncedObject['outcome'], generation?: number): SyncedObject {
  const { object, hash } = desired.rendered;
  const template = object.metadata.annotations[TEMPLATE_ANNOTATION];
  return {
    name: objectKey(object),
    nodeUnits: desired.nodeUnits,
    ...(template === undefined ? {} : { template }),
    hash,
    ...(generation === undefined ? {} : { generation }),
    outcome,
  };
}

/** True when the apiserver answered (with an error status); false for network failures and timeouts. */
function isApiAnswer(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' && code > 0;
}
