// The status direction, pure: from what each member reports about a grid's member
// objects, the grid's `status` (SuperEdge's `states[<nodeunit>]`, gridfed's conditions
// and counts). No I/O: the caller gathers observations and writes the result.
import type { V1Condition } from '@kubernetes/client-node';
import stableStringify from 'safe-stable-stringify';
import type { AnyGrid, GridStatus, MemberState, NodeUnitState } from '#gridfed/grid-api';

/** One member object's status as one member reports it. */
export interface Observation {
  cluster: string;
  nodeUnit: string;
  /** The member object's `.status` (Deployment, StatefulSet or Service status). */
  status: Record<string, unknown>;
  /** Desired replicas (spec.replicas) for readiness; undefined for Services. */
  desiredReplicas?: number;
  /** The member object's spec.generation matches status.observedGeneration. */
  current: boolean;
}

export interface ClusterView {
  name: string;
  reachable: boolean;
  /** When the hub last heard from the member (RFC 3339). */
  lastSeen?: string;
  /** Why it is unreachable, for the condition message. */
  detail?: string;
}

export interface SyncView {
  /** NodeUnits (per cluster) whose object is applied and up to date. */
  synced: Set<string>;
  conflicts: string[];
  invalid?: string;
  errors: string[];
}

export interface AggregateInput {
  grid: AnyGrid;
  /** NodeUnit -> clusters that should host it (from topology). */
  expected: Map<string, string[]>;
  observations: Observation[];
  clusters: Map<string, ClusterView>;
  sync: SyncView;
  now: Date;
}

type State = Record<string, unknown>;

export const syncedKey = (cluster: string, nodeUnit: string): string => `${cluster}/${nodeUnit}`;

export function aggregateStatus(input: AggregateInput): GridStatus<State> {
  const { grid, expected, clusters } = input;
  const previous = (grid.status?.states ?? {}) as Record<string, NodeUnitState<State>>;
  const byNodeUnit = groupBy(input.observations, (o) => o.nodeUnit);
  const states: Record<string, NodeUnitState<State>> = {};
  let ready = 0;
  let synced = 0;
  for (const [nodeUnit, hosts] of [...expected.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const members: Record<string, MemberState<State>> = {};
    let allReady = hosts.length > 0;
    let allSynced = hosts.length > 0;
    for (const cluster of hosts) {
      const view = clusters.get(cluster);
      const obs = byNodeUnit.get(nodeUnit)?.find((o) => o.cluster === cluster);
      const member = memberState(obs, view, previous[nodeUnit]?.clusters?.[cluster], input.now);
      if (member) members[cluster] = member;
      if (!obs || !view?.reachable || !isReady(grid, obs)) allReady = false;
      if (!input.sync.synced.has(syncedKey(cluster, nodeUnit))) allSynced = false;
    }
    states[nodeUnit] = summarize(members);
    if (allReady) ready += 1;
    if (allSynced) synced += 1;
  }
  const conditions = gridConditions(input, expected.size, ready, synced);
  return {
    observedGeneration: grid.metadata.generation,
    conditions: keepTransitionTimes(conditions, grid.status?.conditions ?? [], input.now),
    states,
    nodeUnits: expected.size,
    readyNodeUnits: ready,
    syncedNodeUnits: synced,
  };
}

function memberState(
  obs: Observation | undefined,
  view: ClusterView | undefined,
  previous: MemberState<State> | undefined,
  now: Date,
): MemberState<State> | undefined {
  if (view?.reachable && obs) return { status: obs.status, lastSeen: now.toISOString() };
  // Unreachable: keep the last known state, marked stale, never silently dropped.
  if (!view?.reachable) {
    const status = obs?.status ?? previous?.status;
    if (!status) return undefined;
    return { status, lastSeen: previous?.lastSeen ?? view?.lastSeen ?? now.toISOString(), stale: true };
  }
  return undefined;
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
  const entries = Object.values(members);
  const stale = entries.some((m) => m.stale);
  if (entries.length === 0) return { clusters: {} };
  if (entries.length === 1) {
    const only = entries[0]!;
    return { ...only.status, clusters: members, ...(stale ? { stale } : {}) };
  }
  const merged: State = { ...entries[0]!.status };
  for (const key of COUNTERS) {
    const values = entries.map((m) => m.status[key]).filter((v): v is number => typeof v === 'number');
    if (values.length > 0) merged[key] = values.reduce((a, b) => a + b, 0);
  }
  return { ...merged, clusters: members, ...(stale ? { stale } : {}) };
}

function isReady(grid: AnyGrid, obs: Observation): boolean {
  if (grid.kind === 'ServiceGrid') return true;
  const readyReplicas = typeof obs.status['readyReplicas'] === 'number' ? obs.status['readyReplicas'] : 0;
  return obs.current && readyReplicas >= (obs.desiredReplicas ?? 1);
}

function gridConditions(input: AggregateInput, total: number, ready: number, synced: number): V1Condition[] {
  const { sync, clusters } = input;
  const unreachable = [...clusters.values()].filter((c) => !c.reachable);
  const generation = input.grid.metadata.generation;
  const cond = (type: string, ok: boolean, reason: string, message: string): V1Condition => ({
    type,
    status: ok ? 'True' : 'False',
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: input.now,
  });
  return [
    cond('Valid', !sync.invalid, sync.invalid ? 'InvalidSpec' : 'SpecValid', sync.invalid ?? 'the spec is valid'),
    cond(
      'Synced',
      !sync.invalid && synced === total && sync.conflicts.length === 0,
      sync.invalid ? 'InvalidSpec' : synced === total ? 'AllSynced' : 'Pending',
      `${synced}/${total} NodeUnits synced${sync.errors.length ? `; last error: ${sync.errors[0]}` : ''}`,
    ),
    cond(
      'Ready',
      total > 0 && ready === total,
      ready === total && total > 0 ? 'AllReady' : 'NotReady',
      `${ready}/${total} NodeUnits ready`,
    ),
    cond(
      'NoConflicts',
      sync.conflicts.length === 0,
      sync.conflicts.length ? 'UnownedObjectInTheWay' : 'NoConflicts',
      sync.conflicts.length ? `left untouched: ${sync.conflicts.join(', ')}` : 'no unowned object in the way',
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
  ];
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

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    map.set(k, [...(map.get(k) ?? []), item]);
  }
  return map;
}

/** The parts of a status worth a write: everything but times that move on their own. */
export function statusEssence(status: GridStatus<State> | undefined): string {
  // Key order differs between what we build and what the apiserver returns: sort keys.
  const replacer = (k: string, v: unknown): unknown => (k === 'lastTransitionTime' || k === 'lastSeen' ? undefined : v);
  return stableStringify(JSON.parse(JSON.stringify(status ?? {})), replacer) ?? '';
}
