// Node membership of one member, on the hub replica that owns it: plans its nodes against
// every fed NodeUnit and NodeGroup (libs/sites planNodeMembership), publishes what it found
// (its site facts) for the status reconciler, and, if the member opted in, sends each
// node's JSON merge patch with the node's resourceVersion as precondition. A node changed
// since the cache saw it fails the patch (409); the run is retried with backoff on a fresh
// plan, and the node's own watch event asks for one anyway.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { ClusterRegistry } from '#gridfed/cluster-registry';
import type { PerMemberStore } from '#gridfed/distribution';
import { withContext } from '#gridfed/kube';
import {
  memberNodeOf,
  memberSiteFacts,
  mergePatchBody,
  planNodeMembership,
  type MemberSiteFacts,
  type NodePatch,
} from '#gridfed/sites';
import type { SiteCache } from './site-cache.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export interface NodeMembershipOptions {
  sites: SiteCache;
  registry: ClusterRegistry;
  /** Only the owner of a member connects to it and may write to it. */
  owns: (member: string) => boolean;
  /** Each member's site facts (`gridfed:{state}:sites`), for any replica's status reconciler. */
  facts: PerMemberStore<MemberSiteFacts>;
  /** The member's facts changed: the NodeUnits' status should look again. */
  onFacts: (member: string) => void;
  log: (level: 'info' | 'warn', message: string) => void;
}

export class NodeMembership {
  constructor(private readonly opts: NodeMembershipOptions) {}

  /** Converges the nodes of `member` (a no-op on a replica that does not own it). */
  async reconcile(member: string): Promise<void> {
    const { sites, registry, owns, facts } = this.opts;
    const connection = registry.get(member);
    const registration = registry.memberCluster(member);
    if (!connection || !registration || !owns(member) || !connection.synced || !sites.synced) return;
    const manageNodes = registration.spec.manageNodes === true;
    const plan = planNodeMembership({
      nodeUnits: sites.nodeUnits.list(),
      nodeGroups: sites.nodeGroups.list(),
      members: [{ member, manageNodes, nodes: connection.nodes.list().map(memberNodeOf) }],
      now: new Date(),
    });
    for (const warning of plan.warnings) this.opts.log('warn', warning);
    // What the member holds is known even when it cannot be written: published first.
    if (await facts.putIfChanged('', member, memberSiteFacts(member, manageNodes, plan))) this.opts.onFacts(member);
    for (const patch of plan.patches) await this.send(connection.clients.core, patch);
  }

  private async send(core: NonNullable<ReturnType<ClusterRegistry['get']>>['clients']['core'], patch: NodePatch) {
    try {
      await core.patchNode({ name: patch.node, body: mergePatchBody(patch) }, mergePatch);
    } catch (err) {
      throw withContext(`node ${patch.member}/${patch.node}: patch NodeUnit membership`, err);
    }
  }
}
