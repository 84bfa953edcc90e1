// What the watch on a member's SiteConfig copies asks of the copy sync: a copy edited or
// deleted by hand is synced again at once (its SiteConfig's key in that member). Only keys are added; the copy sync compares the
// member's copies with what is wanted and writes only what differs, so the watch event of the
// hub's own apply costs one read-only sync and never another write.
import type { KubernetesObject } from '@kubernetes/client-node';
import { copyOwnerOf } from '#gridfed/site-config';
import type { WorkQueue } from '#gridfed/workqueue';
import { copyKey } from './copy-key.js';
import type { SiteConfigCache } from './site-config-cache.js';

export interface CopyWatchOptions {
  siteConfigs: SiteConfigCache;
  /** The copy sync's queue (keys `member NUL namespace/name`). */
  queue: WorkQueue;
}

export class CopyWatch {
  constructor(private readonly opts: CopyWatchOptions) {}

  /** A copy in `member` was added, changed or deleted. */
  changed(member: string, copy: KubernetesObject): void {
    const owner = copyOwnerOf(copy);
    if (!owner) return;
    if (this.opts.siteConfigs.get(owner.namespace, owner.name))
      this.opts.queue.add(copyKey(member, owner.namespace, owner.name));
  }
}
