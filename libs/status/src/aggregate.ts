// The status direction, pure: from what each member's sync record and cache say about a
// grid's member objects, the grid's `status` (SuperEdge's `states[<nodeunit>]`, gridfed's
// conditions and counts). No I/O: the reconciler gathers observations and writes the result.
import type { V1Condition } from '@kubernetes/client-node';
import stableStringify from 'safe-stable-stringify';
import type { AnyGrid, GridStatus, MemberState, NodeUnitState, RolloutStatus } from '#gridfed/grid-api';

type State = Record<string, unknown>;

/** One NodeUnit on one member, as the member's sync record and cache say now. */
export interface Observation {
  cluster: string;
  nodeUnit: string;
  /** The member object's `.status`; absent while the member holds no object of the grid's for it. */
  status?: State;
  /** The member object's spec.replicas (workloads). */
  desiredReplicas?: number;
  /** By memberObjectReady. */
  ready: boolean;
  /** The object is what the grid's current generation asks for, as applied. */
  synced: boolean;
  template?: string;
  /** Set when an object gridfed does not own holds the name: `namespace/name`. */
  conflict?: string;
  /** The last sync error, when this object's sync failed. */
  error?: string;
  /** The revision the member object carries (workloads). */
  revision?: string;
}

export interface ClusterView {
  name: string;
  reachable: boolean;
  /** When the hub last reached the member (RFC 3339). */
  lastSeen?: string;
  /** Why it is unreachable, for the condition message. */
  detail?: string;
  /**
   * The grid was synced on this member since the hub started, so its observations are
   * complete. When not, what the grid's status said of this member stays, marked stale.
   */
  known: boolean;
}

export interface AggregateInput {
  grid: AnyGrid;
  observations: Observation[];
  /** Every registered member cluster. */
  clusters: Map<string, ClusterView>;
  /** Why the grid's spec is invalid, if it is. */
  invalid?: string;
  /** Last sync errors, `member: message`. */
  errors: string[];
  /** Workload grids: the revision the rollout moves NodeUnits to (counted in updatedNodeUnits). */
  updateRevision?: string;
  /** Workload grids: the rollout as the lifecycle reconciler last wrote it (its RolledOut condition). */
  rollout?: RolloutStatus;
  now: Date;
}

export function aggregateStatus(input: AggregateInput): GridStatus<State> {
  const { grid, clusters } = input;
  const previous = (grid.status?.states ?? {}) as Record<string, NodeUnitState<State>>;
  const byNodeUnit = new Map<string, Map<string, MemberState<State>>>();
  const put = (nodeUnit: string, cluster: string, member: MemberState<State>): void => {
    let members = byNodeUnit.get(nodeUnit);
    if (!members) byNodeUnit.set(nodeUnit, (members = new Map()));
    members.set(cluster, member);
  };
  for (const obs of input.observations) {
    const view = clusters.get(obs.cluster);
    if (view) put(obs.nodeUnit, obs.cluster, memberState(obs, view, previous[obs.nodeUnit]?.clusters?.[obs.cluster]));
  }
  // Members not heard about this grid since the hub started: their last known part stays, stale.
  for (const [nodeUnit, state] of Object.entries(previous)) {
    for (const [cluster, member] of Object.entries(state.clusters ?? {})) {
      const view = clusters.get(cluster);
      if (view && !view.known) put(nodeUnit, cluster, { ...member, ready: false, stale: true });
    }
  }
  const states: Record<string, NodeUnitState<State>> = {};
  let ready = 0;
  let synced = 0;
  let updated = 0;
  for (const nodeUnit of [...byNodeUnit.keys()].sort()) {
    const members = Object.fromEntries([...byNodeUnit.get(nodeUnit)!].sort(([a], [b]) => a.localeCompare(b)));
    states[nodeUnit] = summarize(members);
    if (Object.values(members).every((m) => m.ready)) ready += 1;
    if (Object.values(members).every((m) => m.synced)) synced += 1;
    if (Object.values(members).every((m) => m.revision === input.updateRevision)) updated += 1;
  }
  const total = byNodeUnit.size;
  const conflicts = input.observations.flatMap((o) => (o.conflict ? [`${o.cluster}/${o.conflict}`] : []));
  const hosting = new Set([...byNodeUnit.values()].flatMap((members) => [...members.keys()]));
  const conditions = gridConditions(input, { total, ready, synced, conflicts, hosting });
  return {
    observedGeneration: grid.metadata.generation,
    conditions: keepTransitionTimes(conditions, grid.status?.conditions ?? [], input.now),
    states,
    nodeUnits: total,
    readyNodeUnits: ready,
    syncedNodeUnits: synced,
    ...(input.updateRevision === undefined ? {} : { updatedNodeUnits: updated }),
  };
}

function memberState(
  obs: Observation,
  view: ClusterView,
  previous: MemberState<State> | undefined,
): MemberState<State> {
  const facts = {
    synced: obs.synced,
    ...(obs.template === undefined ? {} : { template: obs.template }),
    ...(obs.desiredReplicas === undefined ? {} : { desiredReplicas: obs.desiredReplicas }),
    ...(obs.conflict ? { error: `${obs.conflict} exists and is not gridfed's; left untouched` } : {}),
    ...(obs.error ? { error: obs.error } : {}),
    ...(obs.revision === undefined ? {} : { revision: obs.revision }),
  };
  if (view.reachable) {
    return {
      ...(obs.status ? { status: obs.status } : {}),
      ...(view.lastSeen ? { lastSeen: view.lastSeen } : {}),
      ready: obs.ready,
      ...facts,
    };
  }
  // Unreachable: the last known state (the cache keeps it), marked stale, never silently dropped.
  const status = obs.status ?? previous?.status;
  const lastSeen = previous?.lastSeen ?? view.lastSeen;
  return { ...(status ? { status } : {}), ...(lastSeen ? { lastSeen } : {}), stale: true, ready: false, ...facts };
}

const COUNTERS = [
  'replicas',
  'readyReplicas',
  'availableReplicas',
  'updatedReplicas',
  'unavailableReplicas',
  'currentReplicas',
];

/** `states[<nodeunit>]`: one member's status as is; several members' counters summed. */
function summarize(members: Record<string, MemberState<State>>): NodeUnitState<State> {
  const reports = Object.values(members).flatMap((m) => (m.status ? [m.status] : []));
  const stale = Object.values(members).some((m) => m.stale);
  const merged: State = { ...reports[0] };
  if (reports.length > 1) {
    for (const key of COUNTERS) {
      const values = reports.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
      if (values.length > 0) merged[key] = values.reduce((a, b) => a + b, 0);
    }
  }
  return { ...merged, clusters: members, ...(stale ? { stale } : {}) };
}

interface Counts {
  total: number;
  ready: number;
  synced: number;
  conflicts: string[];
  /** Members hosting a NodeUnit of the grid. */
  hosting: Set<string>;
}

function gridConditions(input: AggregateInput, { total, ready, synced, conflicts, hosting }: Counts): V1Condition[] {
  const { invalid, errors, clusters } = input;
  const unreachable = [...clusters.values()].filter((c) => !c.reachable && hosting.has(c.name));
  const generation = input.grid.metadata.generation;
  const cond = (type: string, ok: boolean, reason: string, message: string): V1Condition => ({
    type,
    status: ok ? 'True' : 'False',
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: input.now,
  });
  const rollout = input.rollout;
  const rolledOut =
    rollout?.phase === undefined
      ? []
      : [
          cond(
            'RolledOut',
            rollout.phase === 'Complete',
            rollout.phase,
            rollout.message ?? `the rollout of revision ${rollout.updateRevision ?? '?'} is ${rollout.phase}`,
          ),
        ];
  return [
    cond('Valid', !invalid, invalid ? 'InvalidSpec' : 'SpecValid', invalid ?? 'the spec is valid'),
    cond(
      'Synced',
      !invalid && synced === total && conflicts.length === 0,
      invalid ? 'InvalidSpec' : synced === total ? 'AllSynced' : 'Pending',
      `${synced}/${total} NodeUnits synced${errors.length ? `; last error: ${errors[0]}` : ''}`,
    ),
    cond('Ready', total > 0 && ready === total, ...readiness(input, total, ready)),
    cond(
      'NoConflicts',
      conflicts.length === 0,
      conflicts.length ? 'UnownedObjectInTheWay' : 'NoConflicts',
      conflicts.length ? `left untouched: ${conflicts.join(', ')}` : 'no unowned object in the way',
    ),
    cond(
      'MembersReachable',
      unreachable.length === 0,
      unreachable.length ? 'MemberUnreachable' : 'AllReachable',
      unreachable.length
        ? unreachable
            .map((c) => `${c.name} unreachable since ${c.lastSeen ?? 'start'}${c.detail ? ` (${c.detail})` : ''}`)
            .join('; ')
        : 'every member hosting this grid is reachable',
    ),
    ...rolledOut,
  ];
}

/**
 * The Ready condition's reason and message. A valid grid with no NodeUnit at all says why
 * (its gridUniqKey labels no node in any member), not a silent "0/0".
 */
function readiness(input: AggregateInput, total: number, ready: number): [reason: string, message: string] {
  if (total === 0 && !input.invalid) {
    const { namespace, name } = input.grid.metadata;
    const key = input.grid.spec.gridUniqKey;
    return [
      'NoNodeUnits',
      `grid ${namespace ?? 'default'}/${name ?? ''}: no node in any member cluster has the label ` +
        `spec.gridUniqKey "${key}", so there is no NodeUnit and nothing is distributed`,
    ];
  }
  return [ready === total && total > 0 ? 'AllReady' : 'NotReady', `${ready}/${total} NodeUnits ready`];
}

/** Kubernetes convention: lastTransitionTime changes only when status does. */
function keepTransitionTimes(next: V1Condition[], previous: V1Condition[], now: Date): V1Condition[] {
  return next.map((c) => {
    const old = previous.find((p) => p.type === c.type);
    return old && old.status === c.status
      ? { ...c, lastTransitionTime: old.lastTransitionTime }
      : { ...c, lastTransitionTime: now };
  });
}

/** The parts of a status worth a write: everything but times that move on their own. */
export function statusEssence(status: GridStatus<State> | undefined): string {
  // Key order differs between what we build and what the apiserver returns: sort keys.
  const replacer = (k: string, v: unknown): unknown => (k === 'lastTransitionTime' || k === 'lastSeen' ? undefined : v);
  return stableStringify(JSON.parse(JSON.stringify(status ?? {})), replacer) ?? '';
}
