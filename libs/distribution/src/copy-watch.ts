// What the watch on a member's SiteConfig copies asks of the copy sync: a copy edited or
// deleted by hand is synced again at once (its SiteConfig's key in that member), and copies
// whose SiteConfig is gone are collected. Only keys are added; the copy sync compares the
// member's copies with what is wanted and writes only what differs, so the watch event of the
// hub's own apply costs one read-only sync and never another write.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ClusterRegistry } from '#gridfed/cluster-registry';
import { copyOwnerOf } from '#gridfed/site-config';
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

export class CopyWatch {
  constructor(private readonly opts: CopyWatchOptions) {}

  /** A copy in `member` was added, changed or deleted. */
  changed(member: string, copy: KubernetesObject): void {
    const owner = copyOwnerOf(copy);
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
