// The member sync's decisions, pure: from what a grid wants in one member and what the
// member's caches hold, the action for each object. The executor (member-sync.ts) only
// carries them out. Nothing here does I/O, so every case is unit tested.
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  DESIRED_HASH_ANNOTATION,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  REPLICAS_MANAGED_BY_ANNOTATION,
  type GridRef,
  type ReplicasManagedBy,
} from '#gridfed/grid-api';
import type { CachedWorkload } from '#gridfed/cluster-registry';
import { objectKey, type ManagedKind } from '#gridfed/kube';
import { withoutReplicas, type MemberObject } from '#gridfed/grid-render';
import type { DesiredObject } from './desired-state.js';
import { appliedByGridfed, belongsTo } from './ownership.js';
import type { SyncedObject } from './sync-record.js';

export type ObjectAction =
  /** Live is what gridfed last applied and still wants: no request. */
  | { type: 'unchanged'; generation?: number }
  /** A same-named object belongs to someone else: left untouched, reported. */
  | { type: 'conflict'; owner: 'another grid' | 'someone else' }
  /**
   * Neither cache knows the name: an unforced first apply of the full object (so a name
   * taken since the caches last heard is never taken over). `seedReplicas` set: the grid
   * leaves replicas to the member, hand them over right after.
   */
  | { type: 'create'; body: MemberObject; seedReplicas?: number }
  /** gridfed's, and not what it wants (a new spec, or drift): a forced apply takes it back. */
  | { type: 'apply'; body: MemberObject }
  /**
   * gridfed's, and the grid now leaves replicas to the member while gridfed owned them:
   * a second field manager first takes `spec.replicas` at `seedReplicas` (what the
   * member runs), then gridfed applies without them, so the count never falls back.
   */
  | { type: 'handOverReplicas'; body: MemberObject; seedReplicas: number }
  /**
   * Known only as an unlabelled object gridfed's own apply made (someone stripped the
   * labels): read it, then plan again with what the read returns.
   */
  | { type: 'read' };

export interface PlannedObject {
  desired: DesiredObject;
  action: ObjectAction;
}

export interface SyncPlan {
  objects: PlannedObject[];
  /** gridfed's objects of this grid in the member that it no longer wants. */
  deletes: CachedWorkload[];
}

export interface SyncPlanInput {
  ref: GridRef;
  kind: ManagedKind;
  desired: DesiredObject[];
  /** Objects the grid still has but whose revision is unknown here: neither applied nor deleted. */
  held?: readonly string[];
  /** Workload grids: who owns replicas once a workload exists. Undefined for a ServiceGrid. */
  replicasManagedBy?: ReplicasManagedBy;
  /** The member's cache of gridfed-labelled objects of `kind`, by `namespace/name`. */
  managed: (name: string) => CachedWorkload | undefined;
  /** gridfed-labelled objects of `kind` in the member that may be the grid's (for deletes; those that are count). */
  managedList: readonly CachedWorkload[];
  /** The member's cache of other objects of `kind` (ownership stubs), by `namespace/name`. */
  unmanaged: (name: string) => KubernetesObject | undefined;
  /** What the last sync of this grid on this member applied, by object name. */
  applied: (name: string) => SyncedObject | undefined;
}

export function planSync(input: SyncPlanInput): SyncPlan {
  const objects = input.desired.map((desired) => ({ desired, action: planObject(input, desired) }));
  const wanted = new Set([...input.desired.map((d) => objectKey(d.rendered.object)), ...(input.held ?? [])]);
  const deletes = input.managedList.filter(
    (live) => belongsTo(live, input.kind, input.ref) && !wanted.has(objectKey(live)),
  );
  return { objects, deletes };
}

function planObject(input: SyncPlanInput, desired: DesiredObject): ObjectAction {
  const name = objectKey(desired.rendered.object);
  const live = input.managed(name);
  if (live) {
    if (!belongsTo(live, input.kind, input.ref)) return { type: 'conflict', owner: 'another grid' };
    return planExisting(input.kind, desired, live, input.applied(name), input.replicasManagedBy);
  }
  const stub = input.unmanaged(name);
  if (stub) return appliedByGridfed(stub) ? { type: 'read' } : { type: 'conflict', owner: 'someone else' };
  const { object } = desired.rendered;
  if (input.replicasManagedBy !== 'member') return { type: 'create', body: object };
  return { type: 'create', body: object, seedReplicas: replicasOf(object) };
}

/**
 * The action for an object that exists and is gridfed's (`live` from the cache, or from
 * a read after a first apply met it). Exported for the executor's re-plan after a read.
 */
export function planExisting(
  kind: ManagedKind,
  desired: DesiredObject,
  live: CachedWorkload,
  applied: SyncedObject | undefined,
  replicasManagedBy: ReplicasManagedBy | undefined,
): ObjectAction {
  const { object } = desired.rendered;
  if (isUpToDate(kind, live, applied, desired.rendered.hash))
    return { type: 'unchanged', generation: live.metadata?.generation };
  if (replicasManagedBy !== 'member') return { type: 'apply', body: object };
  const body = withoutReplicas(object);
  // Applied before under the same ownership: gridfed's apply already leaves replicas out.
  if (live.metadata?.annotations?.[REPLICAS_MANAGED_BY_ANNOTATION] === 'member') return { type: 'apply', body };
  const seedReplicas = live.spec?.replicas ?? replicasOf(object);
  return { type: 'handOverReplicas', body, seedReplicas };
}

/**
 * True when the live object still is what gridfed last applied and wants now: same
 * desired hash on both sides, gridfed's label, and (workloads) the generation gridfed's
 * apply left, since a workload's generation moves with every spec change and never with
 * status. After a restart nothing is recorded, so the first sync re-applies once (a
 * no-op for the apiserver when nothing drifted).
 */
export function isUpToDate(
  kind: ManagedKind,
  live: KubernetesObject,
  applied: SyncedObject | undefined,
  hash: string,
): boolean {
  if (!applied || applied.hash !== hash) return false;
  if (applied.outcome !== 'applied' && applied.outcome !== 'unchanged') return false;
  if (live.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] !== hash) return false;
  if (live.metadata?.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) return false;
  return kind === 'Service' || live.metadata?.generation === applied.generation;
}

/** A workload's template replicas (the API default when the template has none). */
function replicasOf(object: MemberObject): number {
  return object.kind === 'Service' ? 0 : (object.spec.replicas ?? 1);
}
