// Wires fed NodeUnit membership into the hub: the site caches, the per-member node
// reconciler (on the replica that owns the member, in-process) and the status reconciler
// (shared by every replica), and the deletion of unregistered members' site facts (on any
// replica). Handlers only enqueue keys; a periodic resync enqueues every key, so a lost event
// or a failed write loses nothing.
import { PerMemberStore, type Distributor } from '#gridfed/distribution';
import { GRID_KINDS, type AnyGrid } from '#gridfed/grid-api';
import { EventRecorder, type KubeClients, type RequestObserver } from '#gridfed/kube';
import type { NodeGroup, NodeUnit } from '#gridfed/site-api';
import type { MemberSiteFacts } from '#gridfed/sites';
import { WorkQueue, type KeyQueueFactory } from '#gridfed/workqueue';
import { NodeMembership } from './node-membership.js';
import { SiteCache, type SiteKind } from './site-cache.js';
import { SiteStatusReconciler } from './site-status.js';
import { unregisteredFactMembers } from './stale-facts.js';

/** The one key of the queue that deletes unregistered members' facts. */
const STALE_FACTS = 'unregistered';

export interface SiteMembershipOptions {
  control: KubeClients;
  distributor: Distributor;
  resyncIntervalMs: number;
  /** The shared queue the status reconciler runs on (made before the Distributor starts, which starts it). */
  statusQueue: KeyQueueFactory;
  observe?: RequestObserver;
  log: (level: 'info' | 'warn', message: string) => void;
  onStatusWrite?: (key: string) => void;
}

export class SiteMembership {
  readonly sites: SiteCache;
  readonly status: SiteStatusReconciler;
  /** Per member, on its owner: node membership. */
  readonly members: WorkQueue;
  /** Deletes the site facts of members whose MemberCluster is gone. */
  private readonly staleFacts: WorkQueue;
  /** Each member's site facts, published by its owner: one field per member. */
  private readonly facts: PerMemberStore<MemberSiteFacts>;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SiteMembershipOptions) {
    const { distributor, control, log } = opts;
    this.facts = new PerMemberStore(distributor.stateConnection, `${distributor.statePrefix}:sites`);
    this.sites = new SiteCache({
      control,
      log,
      observe: opts.observe,
      onChange: (k, o, old) => this.onSite(k, o, old),
    });
    const membership = new NodeMembership({
      sites: this.sites,
      registry: distributor.registry,
      owns: (member) => distributor.shard.owns(member),
      facts: this.facts,
      onFacts: () => this.status.enqueueAll(['NodeUnit']),
      log,
    });
    this.members = new WorkQueue({
      name: 'node-membership',
      debounceMs: 100,
      maxInFlight: 4,
      retry: { initialMs: 500, maxMs: 30_000 },
      reconcile: (member) => membership.reconcile(member),
      onError: (member, err, failures) => {
        if (failures === 1 || failures % 10 === 0) log('warn', `member ${member}: ${(err as Error).message}`);
      },
    });
    this.staleFacts = new WorkQueue({
      name: 'site-facts-cleanup',
      debounceMs: 100,
      maxInFlight: 1,
      retry: { initialMs: 500, maxMs: 30_000 },
      reconcile: () => this.deleteUnregisteredFacts(),
      onError: (_key, err, failures) => {
        if (failures === 1 || failures % 10 === 0)
          log('warn', `site facts of unregistered members: ${(err as Error).message}`);
      },
    });
    distributor.registry.memberClusters.on({ delete: () => this.staleFacts.add(STALE_FACTS) });
    this.status = new SiteStatusReconciler({
      control,
      sites: this.sites,
      registry: distributor.registry,
      reports: distributor.reports,
      facts: this.facts,
      grids: () => distributor.grids.list(),
      events: new EventRecorder({ control, component: 'gridfed-hub', log }),
      queue: opts.statusQueue,
      onWrite: opts.onStatusWrite,
    });
    // NodeGroup status.workloadstatus reads the grids that follow it.
    for (const kind of GRID_KINDS) {
      distributor.grids.reflectors[kind].on({
        add: (g) => this.onGrid(g),
        update: (g) => this.onGrid(g),
        delete: (g) => this.onGrid(g),
      });
    }
  }

  /** A member's nodes or registration changed (the Distributor's onMemberNodes). */
  onMemberNodes(member: string): void {
    this.members.add(member);
  }

  start(): void {
    this.sites.start();
    this.resyncTimer = setInterval(() => this.resyncAll(), this.opts.resyncIntervalMs);
    void this.sites.waitForSync().then(() => this.resyncAll());
  }

  async stop(): Promise<void> {
    clearInterval(this.resyncTimer);
    this.members.stop();
    this.staleFacts.stop();
    // The status queue is one of the Distributor's shared queues: it stops with them.
    await this.sites.stop();
  }

  /** Every key: facts are sent again too (Redis may have lost them). */
  resyncAll(): void {
    if (!this.sites.synced) return;
    this.facts.forget();
    for (const member of this.opts.distributor.registry.names()) this.members.add(member);
    this.status.enqueueAll();
    this.staleFacts.add(STALE_FACTS);
  }

  private async deleteUnregisteredFacts(): Promise<void> {
    const { registry } = this.opts.distributor;
    const registered = registry.memberClusters.synced ? registry.registeredNames() : undefined;
    const stored = [...(await this.facts.of()).keys()];
    for (const member of unregisteredFactMembers(stored, registered)) {
      await this.facts.dropMember(member);
      this.opts.log('info', `member ${member}: unregistered, its site facts deleted`);
    }
  }

  private onSite(kind: SiteKind, object: NodeUnit | NodeGroup, old: NodeUnit | NodeGroup | undefined): void {
    // Our own status write changes neither spec nor metadata: nothing to plan.
    if (old && sameInputs(object, old)) return;
    if (this.sites.synced) for (const member of this.opts.distributor.registry.names()) this.members.add(member);
    this.status.enqueue(kind, object.metadata.name);
    // A NodeGroup's status lists its NodeUnits; a NodeUnit's lists nothing of its groups.
    if (kind === 'NodeUnit') this.status.enqueueAll(['NodeGroup']);
  }

  private onGrid(grid: AnyGrid): void {
    const key = grid.spec?.gridUniqKey;
    if (key && this.sites.nodeGroups.get(key)) this.status.enqueue('NodeGroup', key);
  }
}

function sameInputs(a: NodeUnit | NodeGroup, b: NodeUnit | NodeGroup): boolean {
  return (
    a.metadata.generation === b.metadata.generation &&
    JSON.stringify(a.metadata.labels ?? {}) === JSON.stringify(b.metadata.labels ?? {}) &&
    a.metadata.uid === b.metadata.uid
  );
}
