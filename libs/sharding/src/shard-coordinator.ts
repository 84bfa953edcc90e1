// Shares the member clusters among the live hub replicas, on coordination.k8s.io Leases
// in the hub's namespace:
// - each replica renews its own Lease (`gridfed-hub-<replica>`) every retry period;
// - each member has a Lease (`gridfed-member-<member>`) naming the replica that writes to
//   it; it is written only at handovers (no renewals: it holds as long as its holder's
//   own Lease is live), so idle cost does not grow with the number of members;
// - every look is planShard (pure): rendezvous hashing over the live replicas says who
//   should own what, and a member changes hands only through a free Lease.
//
// Fencing: a replica that has not renewed its own Lease for renewDeadline owns nothing
// (owns() answers false from then on, whatever its loop is doing) and the others take
// its members only once they have not seen it renew for a whole lease duration. So the
// only write that can overlap a new owner's is a request already sent by the old owner
// before its fence fell and still in flight lease duration − renew deadline later
// (5 s with the defaults): requests have a deadline (REQUEST_TIMEOUT_SECONDS).
import { CoordinationV1Api, V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import {
  describeError,
  isConflict,
  isNotFound,
  makeClient,
  Reflector,
  type KubeClients,
  type RequestObserver,
} from '#gridfed/kube';
import { LEASE_MEMBER_ANNOTATION, LEASE_ROLE_LABEL, memberLeaseName, replicaLeaseName } from './lease-names.js';
import { isLive, lapsesAt, type ObservedLease } from './liveness.js';
import { nextLookDelayMs, planShard, type ShardAction } from './shard-plan.js';

export interface ShardCoordinatorOptions {
  control: KubeClients;
  namespace: string;
  replica: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  requestTimeoutMs: number;
  /** The registered members, or undefined until they are listed. */
  members: () => readonly string[] | undefined;
  /** Stop writing to a member (connections, workers, in-flight syncs); awaited before its Lease is freed. */
  release: (member: string) => Promise<void>;
  /** The members owned here changed (taken or given up). */
  onChange: () => void;
  onHandover?: (direction: 'acquired' | 'released', member: string) => void;
  observe?: RequestObserver;
  log: (level: 'info' | 'warn', message: string) => void;
}

export interface ShardState {
  replica: string;
  /** This replica renewed its own Lease within the renew deadline. */
  holdsLease: boolean;
  live: string[];
  owned: string[];
  /** member -> the replica its Lease names ('' when free). */
  holders: Record<string, string>;
}

export class ShardCoordinator {
  private readonly api: CoordinationV1Api;
  readonly leases: Reflector<V1Lease>;
  private readonly seen = new Map<string, ObservedLease>();
  /** member -> its Lease's holder as last seen, and when that holder was first seen. */
  private readonly holderSeen = new Map<string, { holder: string; at: number }>();
  /** Leases this replica wrote, newer than the watch may have shown yet. */
  private readonly written = new Map<string, V1Lease>();
  private readonly owned = new Set<string>();
  private lastRenewOk = Number.NEGATIVE_INFINITY;
  private lastRenewAttempt = Number.NEGATIVE_INFINITY;
  /** When the control cluster last failed a Lease write (other than a conflict): looks slow down. */
  private lastWriteFailure = Number.NEGATIVE_INFINITY;
  /** Members released here whose Lease is not freed yet: their writes stopped already. */
  private readonly stoppedWriting = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly opts: ShardCoordinatorOptions) {
    this.api = makeClient(opts.control.kc, CoordinationV1Api, {
      cluster: opts.control.cluster,
      timeoutMs: opts.requestTimeoutMs,
      observe: opts.observe,
    });
    if (!(opts.renewDeadlineMs < opts.leaseDurationMs && opts.retryPeriodMs < opts.renewDeadlineMs)) {
      throw new Error(
        `hub sharding: need retry period (${opts.retryPeriodMs} ms) < renew deadline (${opts.renewDeadlineMs} ms) < lease duration (${opts.leaseDurationMs} ms)`,
      );
    }
    this.leases = new Reflector<V1Lease>({
      name: `control/leases/${opts.namespace}`,
      kc: opts.control.kc,
      path: `/apis/coordination.k8s.io/v1/namespaces/${opts.namespace}/leases`,
      labelSelector: LEASE_ROLE_LABEL,
      list: (labelSelector) => this.api.listNamespacedLease({ namespace: opts.namespace, labelSelector }),
      log: opts.log,
      onRequest: (method, path) => opts.observe?.({ cluster: opts.control.cluster, method, path }),
    });
    const changed = (lease: V1Lease): void => {
      this.observe(lease);
      this.poke();
    };
    const deleted = (lease: V1Lease): void => {
      this.written.delete(lease.metadata?.name ?? '');
      this.poke();
    };
    this.leases.on({ add: changed, update: changed, delete: deleted, synced: () => this.poke() });
  }

  start(): void {
    this.stopped = false;
    this.leases.start();
    this.poke();
  }

  /** Whether this replica may write to `member` now. */
  owns(member: string): boolean {
    return this.owned.has(member) && this.holdsLease();
  }

  holdsLease(now = Date.now()): boolean {
    return now < this.lastRenewOk + this.opts.renewDeadlineMs;
  }

  state(): ShardState {
    const now = Date.now();
    return {
      replica: this.opts.replica,
      holdsLease: this.holdsLease(now),
      live: this.liveReplicas(now),
      owned: [...this.owned].filter(() => this.holdsLease(now)).sort(),
      holders: Object.fromEntries(this.memberHolders()),
    };
  }

  /** Something the plan reads changed (members registered or not): look again. */
  refresh(): void {
    this.poke();
  }

  /** Stops looking (takes and gives up nothing more); the members held stay held. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.leases.stop();
  }

  /**
   * A graceful shutdown, after every write stopped: frees the members' Leases and
   * deletes its own, so the other replicas take over at once instead of a lease duration later.
   */
  async handOver(): Promise<void> {
    for (const member of [...this.owned]) {
      this.opts.log('info', `hub sharding: ${this.opts.replica} stopped writing to member ${member}`);
      await this.free(member).catch((err: unknown) => {
        this.opts.log('warn', `hub sharding: member ${member} not freed: ${describeError(err)}`);
      });
    }
    this.owned.clear();
    await this.api
      .deleteNamespacedLease({ name: replicaLeaseName(this.opts.replica), namespace: this.opts.namespace })
      .catch((err: unknown) => {
        if (!isNotFound(err)) this.opts.log('warn', `hub sharding: own Lease not deleted: ${describeError(err)}`);
      });
  }

  /** Look again soon; looks never overlap. */
  private poke(delayMs = 0): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.look()
      .catch((err: unknown) => this.opts.log('warn', `hub sharding: ${describeError(err)}`))
      .finally(() => {
        this.running = undefined;
        const changed = this.again;
        this.again = false;
        this.poke(
          nextLookDelayMs({
            changed,
            dueInMs: changed ? 0 : this.nextLookInMs(),
            lastWriteFailureMs: this.lastWriteFailure,
            retryPeriodMs: this.opts.retryPeriodMs,
            nowMs: Date.now(),
          }),
        );
      });
    await this.running;
  }

  private async look(): Promise<void> {
    this.fenceIfLapsed();
    if (Date.now() - this.lastRenewAttempt >= this.opts.retryPeriodMs) await this.renew();
    const members = this.opts.members();
    if (!members || !this.leases.synced) return;
    const now = Date.now();
    const selfLive = this.holdsLease(now);
    const plan = planShard({
      self: this.opts.replica,
      selfLive,
      live: this.liveReplicas(now),
      members,
      holders: this.memberHolders(),
      fresh: this.freshMembers(now),
    });
    this.setOwned(plan.owned, plan.actions);
    // Members its Lease names but it does not own here (after a fence, or a restart under the
    // same name): taken again through a write under the Lease's resourceVersion, so a cache
    // that missed another replica's takeover fails with a conflict instead of writing twice.
    const regain = plan.owned.filter((m) => !this.owned.has(m)).map((member) => ({ type: 'acquire' as const, member }));
    for (const action of [...regain, ...plan.actions]) await this.act(action);
  }

  /**
   * Its own Lease was not renewed within the renew deadline: owns() already answers false;
   * drop every member here too, before a renewal makes owns() true again for members that
   * may have been taken meanwhile.
   */
  private fenceIfLapsed(): void {
    if (this.holdsLease() || this.owned.size === 0) return;
    // owns() has answered false since the deadline passed, whenever this look runs: say when.
    const fencedAt = new Date(this.lastRenewOk + this.opts.renewDeadlineMs).toISOString();
    for (const member of this.owned) {
      this.opts.log(
        'info',
        `hub sharding: ${this.opts.replica} stopped writing to member ${member} (fenced at ${fencedAt})`,
      );
    }
    this.opts.log(
      'warn',
      `hub sharding: ${this.opts.replica} did not renew its Lease within ${this.opts.renewDeadlineMs / 1000} s: fenced, it writes to no member until it takes them again`,
    );
    this.owned.clear();
    this.opts.onChange();
  }

  /** Owned = what the plan keeps plus what it is about to take; what it gives up stops at once. */
  private setOwned(kept: string[], actions: ShardAction[]): void {
    const before = new Set(this.owned);
    const releasing = new Set(actions.filter((a) => a.type === 'release').map((a) => a.member));
    for (const member of this.owned) if (!kept.includes(member) || releasing.has(member)) this.owned.delete(member);
    if ([...before].some((m) => !this.owned.has(m))) this.opts.onChange();
  }

  private async act(action: ShardAction): Promise<void> {
    const { member } = action;
    try {
      if (action.type === 'acquire') {
        if (!this.holdsLease() || !(await this.take(member))) return;
        this.stoppedWriting.delete(member);
        this.owned.add(member);
        this.opts.log('info', `hub sharding: ${this.opts.replica} now owns member ${member}`);
        this.opts.onHandover?.('acquired', member);
        this.opts.onChange();
      } else if (action.type === 'release') {
        if (!this.stoppedWriting.has(member)) {
          await this.opts.release(member);
          // Logged before the Lease is freed, so the next owner's "now owns" always comes later.
          this.opts.log('info', `hub sharding: ${this.opts.replica} stopped writing to member ${member}`);
          this.stoppedWriting.add(member);
        }
        await this.free(member);
        this.stoppedWriting.delete(member);
        this.opts.onHandover?.('released', member);
      } else {
        const lease = this.lease(memberLeaseName(member));
        if (lease)
          await this.api.deleteNamespacedLease({ name: lease.metadata!.name!, namespace: this.opts.namespace });
      }
    } catch (err) {
      // Someone else wrote it first (409), or it is gone: the next look reads it again.
      if (!isConflict(err) && !isNotFound(err)) {
        this.lastWriteFailure = Date.now();
        this.opts.log('warn', `hub sharding: ${action.type} member ${member}: ${describeError(err)}`);
      }
    }
  }

  private async renew(): Promise<void> {
    const started = Date.now();
    this.lastRenewAttempt = started;
    const name = replicaLeaseName(this.opts.replica);
    const spec = {
      holderIdentity: this.opts.replica,
      leaseDurationSeconds: Math.ceil(this.opts.leaseDurationMs / 1000),
      renewTime: new V1MicroTime(started),
    };
    try {
      const current = this.lease(name);
      const body: V1Lease = current
        ? { ...current, spec: { ...current.spec, ...spec } }
        : this.newLease(name, 'replica', { ...spec, acquireTime: new V1MicroTime(started) });
      this.remember(await this.write(body, current !== undefined));
      // Renewed as of when the request started: others saw it no earlier than that.
      this.lastRenewOk = started;
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) {
        // Written by an earlier process under this name, or since: read it, renew at the next look.
        this.written.delete(name);
        const fresh = await this.api
          .readNamespacedLease({ name, namespace: this.opts.namespace })
          .catch(() => undefined);
        if (fresh) this.remember(fresh);
        this.lastRenewAttempt = Number.NEGATIVE_INFINITY;
        return;
      }
      this.lastWriteFailure = Date.now();
      this.opts.log('warn', `hub sharding: own Lease ${name} not renewed: ${describeError(err)}`);
    }
  }

  /** Takes a free member Lease (or creates it); false when someone else was faster. */
  private async take(member: string): Promise<boolean> {
    const name = memberLeaseName(member);
    const current = this.lease(name);
    // The plan was made before earlier actions' awaits: the Lease may have been taken since.
    const was = current?.spec?.holderIdentity ?? '';
    const now = Date.now();
    if (
      was !== '' &&
      was !== this.opts.replica &&
      (this.liveReplicas(now).includes(was) || this.freshMembers(now).has(member))
    ) {
      return false;
    }
    const holder = {
      holderIdentity: this.opts.replica,
      leaseDurationSeconds: Math.ceil(this.opts.leaseDurationMs / 1000),
      acquireTime: new V1MicroTime(),
      renewTime: new V1MicroTime(),
      leaseTransitions: (current?.spec?.leaseTransitions ?? 0) + (current ? 1 : 0),
    };
    const body: V1Lease = current
      ? { ...current, spec: { ...current.spec, ...holder } }
      : this.newLease(name, 'member', holder, { [LEASE_MEMBER_ANNOTATION]: member });
    this.remember(await this.write(body, current !== undefined));
    return true;
  }

  private async free(member: string): Promise<void> {
    const current = this.lease(memberLeaseName(member));
    if (!current || current.spec?.holderIdentity !== this.opts.replica) return;
    this.remember(await this.write({ ...current, spec: { ...current.spec, holderIdentity: '' } }, true));
  }

  /** Replaces with the resourceVersion read (a conflict means someone else wrote it), or creates. */
  private write(lease: V1Lease, exists: boolean): Promise<V1Lease> {
    const namespace = this.opts.namespace;
    // Lease times are MicroTime (6 fraction digits): a plain Date read back would be rejected.
    const micro = (t: Date | undefined): V1MicroTime | undefined => (t ? new V1MicroTime(new Date(t).getTime()) : t);
    const body: V1Lease = {
      ...lease,
      spec: { ...lease.spec, acquireTime: micro(lease.spec?.acquireTime), renewTime: micro(lease.spec?.renewTime) },
    };
    return exists
      ? this.api.replaceNamespacedLease({ name: body.metadata!.name!, namespace, body })
      : this.api.createNamespacedLease({ namespace, body });
  }

  private newLease(
    name: string,
    role: 'replica' | 'member',
    spec: V1Lease['spec'],
    annotations?: Record<string, string>,
  ): V1Lease {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: this.opts.namespace, labels: { [LEASE_ROLE_LABEL]: role }, annotations },
      spec,
    };
  }

  private remember(lease: V1Lease): void {
    this.written.set(lease.metadata!.name!, lease);
    this.observe(lease);
  }

  /** The newest of what the watch showed and what this replica wrote. */
  private lease(name: string): V1Lease | undefined {
    const watched = this.leases.get(`${this.opts.namespace}/${name}`);
    const mine = this.written.get(name);
    if (!mine) return watched;
    if (!watched) return mine;
    return Number(mine.metadata?.resourceVersion) > Number(watched.metadata?.resourceVersion) ? mine : watched;
  }

  private observe(lease: V1Lease): void {
    const member = lease.metadata?.annotations?.[LEASE_MEMBER_ANNOTATION];
    if (lease.metadata?.labels?.[LEASE_ROLE_LABEL] === 'member' && member) {
      const holder = lease.spec?.holderIdentity ?? '';
      if (this.holderSeen.get(member)?.holder !== holder) this.holderSeen.set(member, { holder, at: Date.now() });
      return;
    }
    if (lease.metadata?.labels?.[LEASE_ROLE_LABEL] !== 'replica') return;
    const replica = lease.spec?.holderIdentity;
    if (!replica) return;
    const renewTimeMs = lease.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : undefined;
    const before = this.seen.get(replica);
    if (before && before.renewTimeMs === renewTimeMs) return;
    this.seen.set(replica, {
      replica,
      renewTimeMs,
      durationMs: (lease.spec?.leaseDurationSeconds ?? 15) * 1000,
      observedAtMs: Date.now(),
      seenRenewing: before !== undefined,
    });
  }

  private liveReplicas(now: number): string[] {
    const present = new Set(
      this.leases
        .list()
        .filter((l) => l.metadata?.labels?.[LEASE_ROLE_LABEL] === 'replica')
        .map((l) => l.spec?.holderIdentity ?? ''),
    );
    const live = [...this.seen.values()]
      .filter((s) => s.replica !== this.opts.replica && present.has(s.replica) && isLive(s, now))
      .map((s) => s.replica);
    if (this.holdsLease(now)) live.push(this.opts.replica);
    return live.sort();
  }

  /** Members whose Lease got its holder less than a lease duration ago (by this replica's clock). */
  private freshMembers(now: number): Set<string> {
    const fresh = new Set<string>();
    for (const [member, seen] of this.holderSeen) {
      if (seen.holder && now < seen.at + this.opts.leaseDurationMs) fresh.add(member);
    }
    return fresh;
  }

  private memberHolders(): Map<string, string> {
    const holders = new Map<string, string>();
    const names = new Set([...this.leases.list().map((l) => l.metadata?.name ?? ''), ...this.written.keys()]);
    for (const name of names) {
      const lease = this.lease(name);
      const member = lease?.metadata?.annotations?.[LEASE_MEMBER_ANNOTATION];
      if (lease?.metadata?.labels?.[LEASE_ROLE_LABEL] === 'member' && member) {
        holders.set(member, lease.spec?.holderIdentity ?? '');
      }
    }
    return holders;
  }

  /** The next renewal, the next lapse of a live replica's Lease, or the fence, whichever is first. */
  private nextLookInMs(): number {
    const now = Date.now();
    const due = [this.lastRenewAttempt + this.opts.retryPeriodMs, this.lastRenewOk + this.opts.renewDeadlineMs];
    for (const s of this.seen.values()) if (s.replica !== this.opts.replica && isLive(s, now)) due.push(lapsesAt(s));
    for (const h of this.holderSeen.values()) due.push(h.at + this.opts.leaseDurationMs);
    const next = Math.min(...due.filter((t) => t > now));
    return Number.isFinite(next) ? Math.max(10, next - now + 5) : this.opts.retryPeriodMs;
  }
}
