// The owner's side of the shared member reports: after a sync, and whenever a grid's
// objects change in a member it holds, it publishes what the member holds now (batched
// per member and grid); whenever a member's reachability or listing changes, its facts.
import { DESIRED_HASH_ANNOTATION, NODE_UNIT_LABEL, parseGridKey, REVISION_LABEL } from '#gridfed/grid-api';
import type { CachedWorkload, MemberConnection } from '#gridfed/cluster-registry';
import { describeError, objectKey, type ManagedKind } from '#gridfed/kube';
import { memberObjectReady } from '#gridfed/rollout';
import { WorkQueue } from '#gridfed/workqueue';
import type { MemberFacts, MemberReport, MemberReports, ObservedObject } from './member-reports.js';
import { belongsTo, MEMBER_KIND } from './ownership.js';
import type { SyncRecords } from './sync-record.js';

export interface ReportPublisherOptions {
  reports: MemberReports;
  records: SyncRecords;
  /** The hub replica this is. */
  replica: string;
  member: (cluster: string) => MemberConnection | undefined;
  /** This replica owns the member (its shard): only the owner publishes a member's facts. */
  owns: (cluster: string) => boolean;
  /** Why a registered member has no connection (bad Secret), if it has none. */
  problem: (cluster: string) => string | undefined;
  /** The grid is still in the control cluster (a report of one that is gone is not kept). */
  gridExists: (grid: string) => boolean;
  /** A report of the grid was published: what reads reports may look again. */
  onReport?: (grid: string) => void;
  /** A member's facts were published. */
  onFacts?: (cluster: string) => void;
  log: (level: 'info' | 'warn', message: string) => void;
}

export class ReportPublisher {
  private readonly reports: WorkQueue;
  private readonly facts: WorkQueue;
  /** `member/namespace/name` -> the revision and generation it was first seen ready at, and when. */
  private readonly readySince = new Map<string, { at: string; version: string }>();
  /** `member/namespace/name` -> the revision it was first seen carrying, and when. */
  private readonly revisionSince = new Map<string, { at: string; revision: string }>();
  /** `member/namespace/name` -> the revision and generation its member's controller was first seen caught up with, and when. */
  private readonly caughtUpSince = new Map<string, { at: string; version: string }>();

  constructor(private readonly opts: ReportPublisherOptions) {
    this.reports = new WorkQueue({
      name: 'member-reports',
      // A rollout changes a workload's status several times a second: one report per burst.
      debounceMs: 100,
      maxInFlight: 16,
      retry: { initialMs: 500, maxMs: 10_000 },
      reconcile: (id) => this.publishReport(id),
      onError: (id, err, n) => opts.log('warn', `report ${id} not published (attempt ${n}): ${describeError(err)}`),
    });
    this.facts = new WorkQueue({
      name: 'member-facts',
      debounceMs: 50,
      maxInFlight: 4,
      retry: { initialMs: 500, maxMs: 10_000 },
      reconcile: (cluster) => this.publishFacts(cluster),
      onError: (c, err, n) => opts.log('warn', `facts of ${c} not published (attempt ${n}): ${describeError(err)}`),
    });
  }

  /** The grid's objects in the member changed, or a sync of it ended. */
  grid(cluster: string, grid: string, delayMs?: number): void {
    this.reports.add(`${cluster}|${grid}`, delayMs);
  }

  member(cluster: string): void {
    this.facts.add(cluster);
  }

  stop(): void {
    this.reports.stop();
    this.facts.stop();
  }

  /** What the member holds of the grid now, as one report. */
  report(member: MemberConnection, grid: string): MemberReport {
    const ref = parseGridKey(grid);
    const kind = MEMBER_KIND[ref.kind];
    const observed: Record<string, ObservedObject> = {};
    for (const obj of member.ownedBy(kind, grid)) {
      if (belongsTo(obj, kind, ref)) observed[objectKey(obj)] = this.withSince(member.name, obj, observe(kind, obj));
    }
    const record = this.opts.records.get(member.name, grid);
    return { cluster: member.name, grid, ...(record ? { record } : {}), observed };
  }

  /**
   * Keeps, per object, when it was first seen carrying its revision, caught up with by its
   * member's controller, and ready, at its revision and generation (after a change of
   * owner these start again: a gate waits longer, never less).
   */
  private withSince(cluster: string, obj: CachedWorkload, seen: ObservedObject): ObservedObject {
    const id = `${cluster}/${objectKey(obj)}`;
    const now = new Date().toISOString();
    let carried = this.revisionSince.get(id);
    if (!carried || carried.revision !== (seen.revision ?? '')) {
      this.revisionSince.set(id, (carried = { at: now, revision: seen.revision ?? '' }));
    }
    const version = `${seen.revision ?? ''}/${seen.generation ?? ''}`;
    const out: ObservedObject = { ...seen };
    if (seen.revision) out.revisionSince = carried.at;
    const caughtUp = sinceOf(this.caughtUpSince, id, version, !seen.behind, now);
    if (caughtUp) out.caughtUpSince = caughtUp;
    const ready = sinceOf(this.readySince, id, version, seen.ready, now);
    if (ready) out.readySince = ready;
    return out;
  }

  /** Forgets what it remembered of a member it no longer holds. */
  forgetMember(cluster: string): void {
    for (const map of [this.readySince, this.revisionSince, this.caughtUpSince]) {
      for (const id of map.keys()) if (id.startsWith(`${cluster}/`)) map.delete(id);
    }
  }

  private async publishReport(id: string): Promise<void> {
    const [cluster = '', grid = ''] = id.split('|');
    const member = this.opts.member(cluster);
    // Not held here (any more): its owner reports it.
    if (!member) return;
    const report = this.report(member, grid);
    if (!this.opts.gridExists(grid) && !report.record && Object.keys(report.observed).length === 0) return;
    await this.opts.reports.publish([report]);
    this.opts.onReport?.(grid);
  }

  private async publishFacts(cluster: string): Promise<void> {
    if (!this.opts.owns(cluster)) return;
    const member = this.opts.member(cluster);
    const facts: MemberFacts = member
      ? {
          cluster,
          owner: this.opts.replica,
          reachable: member.isHealthy,
          synced: member.synced,
          ...(member.isHealthy ? {} : { detail: member.healthDetail }),
          ...(member.lastSeen ? { lastSeen: member.lastSeen.toISOString() } : {}),
        }
      : {
          cluster,
          owner: this.opts.replica,
          reachable: false,
          synced: false,
          detail: this.opts.problem(cluster) ?? 'no connection',
        };
    await this.opts.reports.publishFacts(facts);
    this.opts.onFacts?.(cluster);
  }
}

function observe(kind: ManagedKind, obj: CachedWorkload): ObservedObject {
  const labels = obj.metadata?.labels ?? {};
  const status = { ...((obj.status ?? {}) as Record<string, unknown>) };
  if (kind === 'Service' && obj.spec?.clusterIP !== undefined) status['clusterIP'] = obj.spec.clusterIP;
  return {
    ...(labels[NODE_UNIT_LABEL] ? { nodeUnit: labels[NODE_UNIT_LABEL] } : {}),
    ...(labels[REVISION_LABEL] ? { revision: labels[REVISION_LABEL] } : {}),
    ...(obj.metadata?.annotations?.[DESIRED_HASH_ANNOTATION]
      ? { desiredHash: obj.metadata.annotations[DESIRED_HASH_ANNOTATION] }
      : {}),
    ...(obj.metadata?.generation === undefined ? {} : { generation: obj.metadata.generation }),
    ...(obj.spec?.replicas === undefined ? {} : { replicas: obj.spec.replicas }),
    ...(kind !== 'Service' && obj.status === undefined ? {} : { status }),
    ready: memberObjectReady(kind, obj),
    ...(memberControllerBehind(kind, obj) ? { behind: true as const } : {}),
  };
}

/** Its member's controller has not acted on its current spec yet. */
function memberControllerBehind(kind: ManagedKind, obj: CachedWorkload): boolean {
  if (kind === 'Service') return false;
  const observed = (obj.status as { observedGeneration?: number } | undefined)?.observedGeneration;
  return observed === undefined || observed < (obj.metadata?.generation ?? 0);
}

/** Since when `holds` has been true of the object at `version` (kept in `seen`), or undefined while it is not. */
function sinceOf(
  seen: Map<string, { at: string; version: string }>,
  id: string,
  version: string,
  holds: boolean,
  now: string,
): string | undefined {
  if (!holds) {
    seen.delete(id);
    return undefined;
  }
  let since = seen.get(id);
  if (!since || since.version !== version) seen.set(id, (since = { at: now, version }));
  return since.at;
}
