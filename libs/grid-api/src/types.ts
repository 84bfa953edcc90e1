// The grid API (superedge.io/v1): DeploymentGrid, StatefulSetGrid, ServiceGrid.
import type {
  V1Condition,
  V1DeploymentSpec,
  V1DeploymentStatus,
  V1ObjectMeta,
  V1ServiceSpec,
  V1ServiceStatus,
  V1StatefulSetSpec,
  V1StatefulSetStatus,
} from '@kubernetes/client-node';

export type GridKind = 'DeploymentGrid' | 'StatefulSetGrid' | 'ServiceGrid';
export const GRID_KINDS: readonly GridKind[] = ['DeploymentGrid', 'StatefulSetGrid', 'ServiceGrid'];

/** Plural resource names and short names, as the CRDs declare them. */
export const GRID_RESOURCES: Record<GridKind, { plural: string; shortName: string }> = {
  DeploymentGrid: { plural: 'deploymentgrids', shortName: 'dg' },
  StatefulSetGrid: { plural: 'statefulsetgrids', shortName: 'ssg' },
  ServiceGrid: { plural: 'servicegrids', shortName: 'sg' },
};

/**
 * Who owns `replicas` of a member workload once it exists.
 * `grid` (default): the grid's template, always. `member`: the member cluster (an HPA
 * there, or an operator's `kubectl scale`); the template's replicas only seed creation.
 */
export type ReplicasManagedBy = 'grid' | 'member';

export type RolloutType = 'All' | 'Progressive';
export type RolloutFailurePolicy = 'Rollback' | 'Pause';

/** One step of a Progressive rollout: named NodeUnits, or up to a share of all NodeUnits (cumulative). */
export interface RolloutWave {
  nodeUnits?: string[];
  /** 1..100: after this wave, at least this share of all NodeUnits runs the new revision. */
  percent?: number;
}

/**
 * How a change of a grid's templates reaches its NodeUnits (gridfed's addition).
 * Absent, or `type: All`: every NodeUnit at once, as SuperEdge does.
 */
export interface RolloutStrategy {
  type?: RolloutType;
  /** In order; without waves, each batch of maxUnavailableNodeUnits NodeUnits is a wave. */
  waves?: RolloutWave[];
  /** NodeUnits updating and not yet healthy at once: a number, or a percentage of all NodeUnits ("20%"). */
  maxUnavailableNodeUnits?: number | string;
  /** Healthy = runs the new revision with all replicas ready, for this long. */
  minReadySeconds?: number;
  /** A NodeUnit not healthy this long after its objects run the new revision fails the rollout. */
  progressDeadlineSeconds?: number;
  paused?: boolean;
  onFailure?: RolloutFailurePolicy;
  /** ControllerRevisions kept besides the ones in use. */
  revisionHistoryLimit?: number;
}

export type RolloutPhase = 'Progressing' | 'Paused' | 'Complete' | 'Failed' | 'RolledBack';

/** A NodeUnit that does not run the stable revision: which one it runs, since when (RFC 3339). */
export interface MovedNodeUnit {
  revision: string;
  /** When it was moved, or came back from its member being away: its progress deadline counts from here. */
  since: string;
  /** Its member was unreachable when last looked at: the deadline waits for it. */
  away?: boolean;
}

/** `status.rollout`: where the grid's templates are on their way to its NodeUnits. */
export interface RolloutStatus {
  /** The grid generation this describes. */
  observedGeneration?: number;
  /** The revision every NodeUnit not listed in `moved` runs (hash; its ControllerRevision is `<grid>-<hash>`). */
  stableRevision?: string;
  /** The revision the grid's templates are now. */
  updateRevision?: string;
  phase?: RolloutPhase;
  /** 1-based wave in progress (Progressive). */
  wave?: number;
  waves?: number;
  /** NodeUnits moved off the stable revision. */
  moved?: Record<string, MovedNodeUnit>;
  /** The revision that failed and is not tried again until the templates change or a retry. */
  failedRevision?: string;
  /** The `gridfed.io/rollout-retry` annotation value last acted on. */
  observedRetry?: string;
  startedAt?: string;
  waveStartedAt?: string;
  message?: string;
}

/** Fields every workload grid shares (SuperEdge's spec plus gridfed's `replicasManagedBy`). */
export interface WorkloadGridSpec<T> {
  /** The node label key that groups nodes into NodeUnits, e.g. `zone`. */
  gridUniqKey: string;
  /** The workload template; used where `defaultTemplateName` is `default` (or absent). */
  template: T;
  /** Named templates for canary releases. */
  templatePool?: Record<string, T>;
  /** NodeUnit -> template name from `templatePool`. */
  templates?: Record<string, string>;
  /** Template for NodeUnits without an entry in `templates`; `default` means `template`. */
  defaultTemplateName?: string;
  /** Drop `templatePool` entries that nothing uses. */
  autoDeleteUnusedTemplate?: boolean;
  replicasManagedBy?: ReplicasManagedBy;
  rolloutStrategy?: RolloutStrategy;
}

export type DeploymentGridSpec = WorkloadGridSpec<V1DeploymentSpec>;
export type StatefulSetGridSpec = WorkloadGridSpec<V1StatefulSetSpec>;

export interface ServiceGridSpec {
  gridUniqKey: string;
  template: V1ServiceSpec;
}

/** One member cluster's part of a NodeUnit, as gridfed last observed it. */
export interface MemberState<S> {
  /** The member object's own status, as the member reports it; absent while the member holds none. */
  status?: S;
  /** When the hub last reached that member (RFC 3339). */
  lastSeen?: string;
  /** True while the member is unreachable (or not heard from since the hub started): the rest is the last known. */
  stale?: boolean;
  /** The member object is ready (one definition for status, API, CLI and dashboard). */
  ready: boolean;
  /** The member object is what the grid's current generation asks for, as gridfed applied it. */
  synced: boolean;
  /** The templatePool entry it runs (`default` for spec.template); workloads only. */
  template?: string;
  /** The member object's own spec.replicas (the member's, with replicasManagedBy: member); workloads only. */
  desiredReplicas?: number;
  /** Why it is not synced: a conflict with an object gridfed does not own, or the last sync error. */
  error?: string;
  /** The revision the member object carries (`gridfed.io/revision`): what the site runs, observed. */
  revision?: string;
}

/**
 * `status.states[<nodeunit>]`: the member workload's status in SuperEdge's shape
 * (replicas, readyReplicas, conditions, ...), summed where a NodeUnit spans members,
 * plus `clusters` with each member's own report.
 */
export type NodeUnitState<S> = S & {
  clusters?: Record<string, MemberState<S>>;
  stale?: boolean;
};

export interface GridStatus<S> {
  observedGeneration?: number;
  conditions?: V1Condition[];
  states?: Record<string, NodeUnitState<S>>;
  /** Counts for printer columns. */
  nodeUnits?: number;
  readyNodeUnits?: number;
  syncedNodeUnits?: number;
  /** Workload grids: NodeUnits whose member objects all carry the rollout's update revision. */
  updatedNodeUnits?: number;
  /** Workload grids: the rollout of their templates to the NodeUnits (written by the lifecycle reconciler). */
  rollout?: RolloutStatus;
}

export interface Grid<K extends GridKind, Spec, S> {
  apiVersion: 'superedge.io/v1';
  kind: K;
  metadata: V1ObjectMeta;
  spec: Spec;
  status?: GridStatus<S>;
}

export type DeploymentGrid = Grid<'DeploymentGrid', DeploymentGridSpec, V1DeploymentStatus>;
export type StatefulSetGrid = Grid<'StatefulSetGrid', StatefulSetGridSpec, V1StatefulSetStatus>;
export type ServiceGrid = Grid<'ServiceGrid', ServiceGridSpec, V1ServiceStatus>;
export type AnyGrid = DeploymentGrid | StatefulSetGrid | ServiceGrid;
export type WorkloadGrid = DeploymentGrid | StatefulSetGrid;

/** Identifies a grid in jobs, caches and logs: `DeploymentGrid/default/web`. */
export interface GridRef {
  kind: GridKind;
  namespace: string;
  name: string;
}

export function gridRefOf(grid: AnyGrid): GridRef {
  return { kind: grid.kind, namespace: grid.metadata.namespace ?? 'default', name: grid.metadata.name ?? '' };
}

export function gridKey(ref: GridRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function parseGridKey(key: string): GridRef {
  const [kind, namespace, name] = key.split('/');
  if (!kind || !namespace || !name || !(GRID_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`"${key}" is not a grid key (Kind/namespace/name)`);
  }
  return { kind: kind as GridKind, namespace, name };
}

export function isWorkloadGrid(grid: AnyGrid): grid is WorkloadGrid {
  return grid.kind !== 'ServiceGrid';
}
