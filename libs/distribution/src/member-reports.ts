// What the replica that owns a member reports of it, shared through Redis so that any hub
// replica can write a grid's status or decide its rollout, whichever replicas own its
// members: per (member, grid) the last sync's record and what the member's objects look
// like now; per member whether it is reachable and listed. Work in flight, like the
// queues: every entry is rebuilt by the owner from its caches after a loss.
import type { Cluster, Redis } from 'ioredis';
import { PerMemberStore } from './per-member-store.js';
import type { SyncRecord } from './sync-record.js';

/** One member object of a grid, as its member's cache holds it. */
export interface ObservedObject {
  nodeUnit?: string;
  /** The gridfed.io/revision label: the revision the site runs. */
  revision?: string;
  /** The desired-hash annotation: what gridfed applied last. */
  desiredHash?: string;
  generation?: number;
  /** spec.replicas (workloads). */
  replicas?: number;
  /** The object's status, as the member reports it (a Service's with its clusterIP). */
  status?: Record<string, unknown>;
  /** By the one readiness definition, when observed. */
  ready: boolean;
  /**
   * Set while the member's own controller has not acted on this spec yet
   * (`status.observedGeneration` behind `metadata.generation`; a Service never is).
   */
  behind?: true;
  /** Since when the owner has seen it ready at this revision (RFC 3339): minReadySeconds counts from here. */
  readySince?: string;
  /** Since when the owner has seen it carry this revision (RFC 3339): a rollout's deadline counts from here. */
  revisionSince?: string;
  /** Since when the owner has seen its member's controller caught up with it at this revision and generation. */
  caughtUpSince?: string;
}

export interface MemberReport {
  cluster: string;
  grid: string;
  /** The last sync of the grid on the member; absent until one ended since the owner took it. */
  record?: SyncRecord;
  /** The grid's objects in the member now, by `namespace/name`. */
  observed: Record<string, ObservedObject>;
}

export interface MemberFacts {
  cluster: string;
  /** The hub replica that owns the member (holds its connection). */
  owner: string;
  reachable: boolean;
  /** The owner's caches of the member are listed: its reports are complete. */
  synced: boolean;
  /** Why it is unreachable. */
  detail?: string;
  /** When the owner last reached it (RFC 3339). */
  lastSeen?: string;
}

export interface MemberReportsOptions {
  /** One redis-server or a Redis Cluster (pipelines stay within the prefix's hash tag). */
  redis: Redis | Cluster;
  /** Key prefix; with Redis Cluster its hash tag (`gridfed:{state}`) keeps these keys in one slot. */
  prefix: string;
}

export class MemberReports {
  /** Per grid, one field per member: `<prefix>:reports:<grid>`. */
  private readonly reports: PerMemberStore<MemberReport>;
  /** One field per member: `<prefix>:members`. */
  private readonly memberFacts: PerMemberStore<MemberFacts>;

  constructor(opts: MemberReportsOptions) {
    this.reports = new PerMemberStore(opts.redis, `${opts.prefix}:reports`);
    this.memberFacts = new PerMemberStore(opts.redis, `${opts.prefix}:members`);
  }

  async publish(reports: MemberReport[]): Promise<void> {
    await this.reports.put(reports.map((r) => ({ subject: r.grid, member: r.cluster, value: r })));
  }

  /** Every member's report of one grid, by member. */
  ofGrid(grid: string): Promise<Map<string, MemberReport>> {
    return this.reports.of(grid);
  }

  /** One member's reports of the given grids (what a new owner starts from). */
  async ofMember(cluster: string, grids: string[]): Promise<MemberReport[]> {
    return [...(await this.reports.ofMember(cluster, grids)).values()];
  }

  async dropGrid(grid: string): Promise<void> {
    await this.reports.dropSubject(grid);
  }

  /** Forgets a member that is no longer registered, in the given grids' reports. */
  async dropMember(cluster: string, grids: string[]): Promise<void> {
    await Promise.all([this.reports.dropMember(cluster, grids), this.memberFacts.dropMember(cluster)]);
  }

  async publishFacts(facts: MemberFacts): Promise<void> {
    await this.memberFacts.put([{ subject: '', member: facts.cluster, value: facts }]);
  }

  facts(): Promise<Map<string, MemberFacts>> {
    return this.memberFacts.of();
  }
}
