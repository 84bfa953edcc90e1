// What the watch on a member's SiteConfig copies asks of the copy sync: a copy edited or
// deleted by hand is synced again at once (its SiteConfig's key in that member), and copies
// whose SiteConfig is gone are collected. Only keys are added; the copy sync compares the
// member's copies with what is wanted and writes only what differs, so the watch event of the
// hub's own apply costs one read-only sync and never another write. Secret copies cannot be
// watched (the agent may not list or watch Secrets): every SECRET_COPY_CHECK_MS the keys of
// Secret SiteConfigs in members that opted in are synced, which reads each copy by name.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ClusterRegistry } from '#gridfed/cluster-registry';
import { siteConfigOfMemberObject, siteConfigType } from '#gridfed/site-config';
import type { WorkQueue } from '#gridfed/workqueue';
import { copyKey } from './copy-key.js';
import { orphanedSiteConfigs, type SiteConfigView } from './copy-orphans.js';
import type { SiteConfigCache } from './site-config-cache.js';

export interface CopyWatchOptions {
  siteConfigs: SiteConfigCache;
  registry: ClusterRegistry;
  /** The copy sync's queue (keys `member NUL namespace/name`). */
  queue: WorkQueue;
}

/** How soon a Secret copy edited or deleted by hand is put back (there is no watch on Secrets). */
export const SECRET_COPY_CHECK_MS = 10_000;

export class CopyWatch {
  private secretCheck: NodeJS.Timeout | undefined;

  constructor(private readonly opts: CopyWatchOptions) {}

  start(): void {
    this.secretCheck ??= setInterval(() => this.checkSecretCopies(), SECRET_COPY_CHECK_MS);
  }

  stop(): void {
    clearInterval(this.secretCheck);
    this.secretCheck = undefined;
  }

  /** Every Secret SiteConfig's copies in each member that opted in to them, read again by name. */
  checkSecretCopies(): void {
    const secretConfigs = this.opts.siteConfigs.list().filter((sc) => siteConfigType(sc) === 'Secret');
    if (secretConfigs.length === 0) return;
    for (const member of this.opts.registry.names()) {
      if (!this.opts.registry.memberCluster(member)?.spec?.manageSecrets) continue;
      for (const sc of secretConfigs)
        this.opts.queue.add(copyKey(member, sc.metadata.namespace ?? 'default', sc.metadata.name ?? ''));
    }
  }

  /** A copy in `member` was added, changed or deleted. */
  changed(member: string, copy: KubernetesObject): void {
    const owner = siteConfigOfMemberObject(copy);
    if (!owner) return;
    const exists = this.opts.siteConfigs.get(owner.namespace, owner.name) !== undefined;
    if (exists || orphanedSiteConfigs([copy], this.view()).length > 0)
      this.opts.queue.add(copyKey(member, owner.namespace, owner.name));
  }

  /** Every copy in `member` whose SiteConfig is gone is collected (after each list, and at each resync). */
  sweep(member: string): void {
    const copies = this.opts.registry.get(member)?.copies;
    if (!copies?.synced) return;
    for (const gone of orphanedSiteConfigs(copies.list(), this.view()))
      this.opts.queue.add(copyKey(member, gone.namespace, gone.name));
  }

  private view(): SiteConfigView {
    const { reflector } = this.opts.siteConfigs;
    return {
      synced: reflector.synced,
      size: reflector.size,
      has: (namespace, name) => reflector.get(`${namespace}/${name}`) !== undefined,
    };
  }
}
