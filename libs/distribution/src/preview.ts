// What an edit of a grid would do, before anything is applied: per member and NodeUnit,
// create, the field-level changes, delete, unchanged, or a conflict with an object gridfed
// does not own. Each change is what the member's own apiserver says it would store
// (server-side dry-run of the apply gridfed would make), against the object it holds
// now. A Progressive grid's waves are listed in the order its NodeUnits would move.
import type { KubernetesObject } from '@kubernetes/client-node';
import diff from 'microdiff';
import {
  FIELD_MANAGER,
  gridKey,
  gridRefOf,
  isWorkloadGrid,
  NODE_UNIT_LABEL,
  validateGrid,
  type AnyGrid,
  type GridFieldError,
  type GridRef,
  type WorkloadGrid,
} from '#gridfed/grid-api';
import { withoutReplicas, type MemberObject } from '#gridfed/grid-render';
import type { CachedWorkload, MemberConnection } from '#gridfed/cluster-registry';
import { applyObject, describeError, isNotFound, objectKey, readObject, type ManagedKind } from '#gridfed/kube';
import { strategyOf, waveTargets } from '#gridfed/rollout';
import type { NodeUnitIndex } from '#gridfed/topology';
import { desiredState, nodeUnitFits } from './desired-state.js';
import { appliedByGridfed, belongsTo, MEMBER_KIND } from './ownership.js';

export type PreviewAction = 'create' | 'update' | 'unchanged' | 'delete' | 'conflict' | 'error';

export interface FieldChange {
  /** `spec.template.spec.containers[0].image` */
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface ObjectPreview {
  name: string;
  nodeUnits: string[];
  action: PreviewAction;
  changes?: FieldChange[];
  /** Why a conflict or an error. */
  detail?: string;
}

export interface MemberPreview {
  cluster: string;
  reachable: boolean;
  objects: ObjectPreview[];
}

export interface GridPreview {
  kind: string;
  namespace: string;
  name: string;
  valid: boolean;
  errors?: GridFieldError[];
  members: MemberPreview[];
  /** Progressive grids: the NodeUnits each wave would move, in order. */
  waves?: string[][];
}

export interface PreviewDeps {
  members: () => MemberConnection[];
  topology: NodeUnitIndex;
  /** The grid as the control cluster holds it now, if it exists. */
  existing: (ref: GridRef) => AnyGrid | undefined;
}

export async function previewGrid(input: unknown, deps: PreviewDeps): Promise<GridPreview> {
  const validation = validateGrid(input);
  if (!validation.ok) {
    const meta = (input as { kind?: unknown; metadata?: { namespace?: unknown; name?: unknown } }) ?? {};
    return {
      kind: String(meta.kind ?? ''),
      namespace: String(meta.metadata?.namespace ?? 'default'),
      name: String(meta.metadata?.name ?? ''),
      valid: false,
      errors: validation.errors,
      members: [],
    };
  }
  // As the grid would be once rolled out: a status in the manifest (kubectl get -o yaml) is not the hub's;
  // the uid is the existing grid's (member objects carry it), as an apply would keep it.
  const candidate = validation.grid;
  const ref = gridRefOf(candidate);
  const uid = deps.existing(ref)?.metadata.uid;
  const grid = {
    ...candidate,
    metadata: { ...candidate.metadata, ...(uid ? { uid } : {}) },
    status: undefined,
  } as AnyGrid;
  // What every NodeUnit runs at the end: the templates as they are (the waves only decide when).
  const final = (
    isWorkloadGrid(grid) ? { ...grid, spec: { ...grid.spec, rolloutStrategy: undefined } } : grid
  ) as AnyGrid;
  const members = await Promise.all(deps.members().map((member) => previewMember(final, member, deps.topology)));
  return {
    ...ref,
    valid: true,
    members: members.sort((a, b) => a.cluster.localeCompare(b.cluster)),
    ...(isWorkloadGrid(grid) && grid.spec.rolloutStrategy?.type === 'Progressive'
      ? { waves: waves(grid, deps.topology) }
      : {}),
  };
}

async function previewMember(grid: AnyGrid, member: MemberConnection, topology: NodeUnitIndex): Promise<MemberPreview> {
  if (!member.isHealthy || !member.synced) return { cluster: member.name, reachable: false, objects: [] };
  const ref = gridRefOf(grid);
  const kind = MEMBER_KIND[ref.kind];
  const desired = desiredState(grid, member.name, topology);
  if (desired.kind === 'invalid') return { cluster: member.name, reachable: true, objects: [] };
  const memberOwns = isWorkloadGrid(grid) && grid.spec.replicasManagedBy === 'member';
  const objects = await Promise.all(
    desired.objects.map(async ({ rendered, nodeUnits }) => {
      const base = { name: objectKey(rendered.object), nodeUnits };
      try {
        return { ...base, ...(await previewObject(member, kind, ref, rendered.object, memberOwns)) };
      } catch (err) {
        return { ...base, action: 'error' as const, detail: describeError(err) };
      }
    }),
  );
  const wanted = new Set(objects.map((o) => o.name));
  const deletes = member
    .ownedBy(kind, gridKey(ref))
    .filter((live) => belongsTo(live, kind, ref) && !wanted.has(objectKey(live)))
    .map((live) => ({ name: objectKey(live), nodeUnits: nodeUnitOf(live), action: 'delete' as const }));
  return { cluster: member.name, reachable: true, objects: [...objects, ...deletes] };
}

async function previewObject(
  member: MemberConnection,
  kind: ManagedKind,
  ref: GridRef,
  object: MemberObject,
  memberOwnsReplicas: boolean,
): Promise<Omit<ObjectPreview, 'name' | 'nodeUnits'>> {
  const name = objectKey(object);
  const cached = member.managed[kind].get(name);
  if (cached && !belongsTo(cached, kind, ref))
    return { action: 'conflict', detail: `${kind} ${name} belongs to another grid` };
  const stub = cached ? undefined : member.unmanaged[kind].get(name);
  if (stub && !appliedByGridfed(stub))
    return { action: 'conflict', detail: `${kind} ${name} exists and is not gridfed's` };
  const live = cached || stub ? await read(member, kind, object) : undefined;
  const body = live && memberOwnsReplicas ? withoutReplicas(object) : object;
  const stored = await applyObject(member.clients, body, { fieldManager: FIELD_MANAGER, force: true, dryRun: true });
  if (!live) return { action: 'create' };
  const changes = fieldChanges(live, stored);
  return changes.length === 0 ? { action: 'unchanged' } : { action: 'update', changes };
}

async function read(
  member: MemberConnection,
  kind: ManagedKind,
  object: MemberObject,
): Promise<KubernetesObject | undefined> {
  try {
    return await readObject(member.clients, kind, object.metadata.namespace, object.metadata.name);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** What would change in the stored object: spec and metadata a user wrote, not what the server keeps for itself. */
export function fieldChanges(live: KubernetesObject, next: KubernetesObject): FieldChange[] {
  return diff(comparable(live), comparable(next)).map((d) => ({
    path: pathOf(d.path),
    ...(d.type === 'CREATE' ? {} : { from: d.oldValue as unknown }),
    ...(d.type === 'REMOVE' ? {} : { to: d.value as unknown }),
  }));
}

function comparable(obj: KubernetesObject): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(obj)) as Record<string, unknown> & { metadata?: Record<string, unknown> };
  delete plain['status'];
  const { labels, annotations } = plain.metadata ?? {};
  return { ...plain, metadata: { labels, annotations } };
}

function pathOf(path: (string | number)[]): string {
  return path.reduce<string>(
    (out, p) =>
      typeof p === 'number'
        ? `${out}[${p}]`
        : /^[A-Za-z0-9_-]+$/.test(p)
          ? `${out}${out ? '.' : ''}${p}`
          : `${out}[${JSON.stringify(p)}]`,
    '',
  );
}

function nodeUnitOf(live: CachedWorkload): string[] {
  const nodeUnit = live.metadata?.labels?.[NODE_UNIT_LABEL];
  return nodeUnit ? [nodeUnit] : [];
}

/** The NodeUnits each wave would move, each listed once, in the wave that first moves it. */
function waves(grid: WorkloadGrid, topology: NodeUnitIndex): string[][] {
  const nodeUnits = topology.allNodeUnits(grid.spec.gridUniqKey).filter((u) => nodeUnitFits(grid, u));
  const targets = waveTargets(strategyOf(grid.spec.rolloutStrategy), nodeUnits);
  return targets.map((target, i) => target.filter((u) => !(targets[i - 1] ?? []).includes(u)));
}
