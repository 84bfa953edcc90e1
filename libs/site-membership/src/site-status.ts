// The status of fed NodeUnits and NodeGroups, per object on a queue shared by every hub
// replica: a NodeUnit's from the site facts every member's owner publishes (its nodes in
// all members, ready or not, conflicts), a NodeGroup's from its NodeUnits and the grids
// that follow it. Written only when it changes (conditions keep their transition time
// while their status holds), replacing the status under optimistic concurrency. A
// conflict, or a hosting member that did not opt in, is also an Event on the NodeUnit.
import stableStringify from 'safe-stable-stringify';
import type { ClusterRegistry } from '#gridfed/cluster-registry';
import type { MemberReports, PerMemberStore } from '#gridfed/distribution';
import type { AnyGrid } from '#gridfed/grid-api';
import { isConflict, isNotFound, withContext, type EventRecorder, type KubeClients } from '#gridfed/kube';
import {
  FED_LABEL,
  FED_LABEL_VALUE,
  NODE_GROUP_RESOURCE,
  NODE_UNIT_RESOURCE,
  SITE_API_VERSION,
  SITE_GROUP,
  SITE_VERSION,
  type NodeGroup,
  type NodeUnit,
} from '#gridfed/site-api';
import { nodeUnitStatusAcross, planNodeMembership, type MemberSiteFacts } from '#gridfed/sites';
import type { KeyQueue, KeyQueueFactory } from '#gridfed/workqueue';
import type { SiteCache, SiteKind } from './site-cache.js';

export interface SiteStatusOptions {
  control: KubeClients;
  sites: SiteCache;
  registry: ClusterRegistry;
  reports: MemberReports;
  facts: PerMemberStore<MemberSiteFacts>;
  grids: () => AnyGrid[];
  events: EventRecorder;
  queue: KeyQueueFactory;
  onWrite?: (key: string) => void;
}

type SiteObject = NodeUnit | NodeGroup;

/** `NodeUnit/shop-xian`: the queue key of a NodeUnit's or NodeGroup's status. */
export const siteKey = (kind: SiteKind, name: string): string => `${kind}/${name}`;

export class SiteStatusReconciler {
  readonly queue: KeyQueue;

  constructor(private readonly opts: SiteStatusOptions) {
    this.queue = opts.queue('site-status', (key) => this.reconcile(key));
  }

  enqueue(kind: SiteKind, name: string): void {
    this.queue.add(siteKey(kind, name));
  }

  /** Every fed NodeUnit (facts changed), or NodeGroup too. */
  enqueueAll(kinds: SiteKind[] = ['NodeUnit', 'NodeGroup']): void {
    for (const kind of kinds) for (const o of this.cached(kind).filter(isFed)) this.enqueue(kind, o.metadata.name);
  }

  private cached(kind: SiteKind): SiteObject[] {
    return kind === 'NodeUnit' ? this.opts.sites.nodeUnits.list() : this.opts.sites.nodeGroups.list();
  }

  private async reconcile(key: string): Promise<void> {
    const [kind, name = ''] = key.split('/') as [SiteKind, string];
    let object: SiteObject | undefined = this.cached(kind).find((o) => o.metadata.name === name);
    for (let attempt = 0; object && isFed(object); attempt++) {
      const status = kind === 'NodeUnit' ? await this.nodeUnitStatus(object as NodeUnit) : this.nodeGroupStatus(object);
      if (!status) return;
      if (kind === 'NodeUnit') this.report(object as NodeUnit, status);
      // Sorted keys: the apiserver hands maps back sorted.
      if (stableStringify(status) === stableStringify(object.status ?? {})) return;
      try {
        await this.write(kind, object, status);
        this.opts.onWrite?.(key);
        return;
      } catch (err) {
        if (isNotFound(err)) break;
        if (!isConflict(err) || attempt > 0) throw withContext(`${kind} ${name}: write status`, err);
        object = await this.read(kind, name);
      }
    }
    this.queue.forget(key);
  }

  /** Undefined while a reachable member's owner has not published its facts (writing then would flap). */
  private async nodeUnitStatus(unit: NodeUnit): Promise<SiteObject['status'] | undefined> {
    const [facts, members] = await Promise.all([this.opts.facts.of(), this.opts.reports.facts()]);
    const known: MemberSiteFacts[] = [];
    for (const member of this.opts.registry.registeredNames()) {
      const f = facts.get(member);
      if (f) known.push(f);
      else if (members.get(member)?.reachable !== false) return undefined;
    }
    return nodeUnitStatusAcross(unit, known, new Date());
  }

  private nodeGroupStatus(group: SiteObject): SiteObject['status'] {
    const plan = planNodeMembership({
      nodeUnits: this.opts.sites.nodeUnits.list(),
      nodeGroups: [group as NodeGroup],
      members: [],
      grids: this.opts.grids(),
      now: new Date(),
    });
    return plan.nodeGroupStatus.get(group.metadata.name);
  }

  private report(unit: NodeUnit, status: NonNullable<NodeUnit['status']>): void {
    const subject = {
      apiVersion: SITE_API_VERSION,
      kind: 'NodeUnit',
      name: unit.metadata.name,
      uid: unit.metadata.uid,
    };
    for (const c of status.conditions ?? []) {
      if (c.status !== 'False' || (c.type !== 'NoConflicts' && c.type !== 'NodesManaged')) continue;
      this.opts.events.report(subject, 'Warning', c.reason ?? c.type, c.message ?? '');
    }
  }

  private async write(kind: SiteKind, object: SiteObject, status: SiteObject['status']): Promise<void> {
    await this.opts.control.custom.replaceClusterCustomObjectStatus({
      group: SITE_GROUP,
      version: SITE_VERSION,
      plural: plural(kind),
      name: object.metadata.name,
      body: { ...object, apiVersion: SITE_API_VERSION, kind, status },
    });
  }

  private async read(kind: SiteKind, name: string): Promise<SiteObject | undefined> {
    try {
      return (await this.opts.control.custom.getClusterCustomObject({
        group: SITE_GROUP,
        version: SITE_VERSION,
        plural: plural(kind),
        name,
      })) as SiteObject;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw withContext(`${kind} ${name}: read`, err);
    }
  }
}

function plural(kind: SiteKind): string {
  return kind === 'NodeUnit' ? NODE_UNIT_RESOURCE.plural : NODE_GROUP_RESOURCE.plural;
}

function isFed(object: SiteObject): boolean {
  return object.metadata.labels?.[FED_LABEL] === FED_LABEL_VALUE;
}
