// The SiteConfig status reconciler, per SiteConfig (`namespace/name`), on a queue shared by
// every hub replica: reads each member's copy outcome (published by the member's owner) and
// each member's facts from Redis, so it covers every member whichever replicas own them,
// makes the status (libs/site-config siteConfigStatus) and replaces it through /status under
// optimistic concurrency, only when it differs from what the SiteConfig shows.
import stableStringify from 'safe-stable-stringify';
import type { Distributor } from '#gridfed/distribution';
import { GRIDFED_API_VERSION, GRIDFED_GROUP, GRIDFED_VERSION } from '#gridfed/grid-api';
import { isConflict, isNotFound, withContext, type KubeClients } from '#gridfed/kube';
import {
  SITE_CONFIG_KIND,
  SITE_CONFIG_PLURAL,
  siteConfigStatus,
  type CopyMemberView,
  type SiteConfig,
  type SiteConfigStatus,
} from '#gridfed/site-config';
import type { KeyQueue, KeyQueueFactory } from '#gridfed/workqueue';

export interface SiteConfigStatusOptions {
  control: KubeClients;
  distributor: Distributor;
  /** Shared by every replica: debounced, one run per SiteConfig at a time and per interval. */
  queue: KeyQueueFactory;
  onWrite?: (key: string) => void;
}

export class SiteConfigStatusReconciler {
  readonly queue: KeyQueue;

  constructor(private readonly opts: SiteConfigStatusOptions) {
    this.queue = opts.queue('site-config-status', (key) => this.reconcile(key));
  }

  /** Something SiteConfig `namespace/name`'s status shows may have changed. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  private async reconcile(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    let siteConfig = this.opts.distributor.siteConfigs.get(namespace, name);
    for (let attempt = 0; siteConfig && !siteConfig.metadata.deletionTimestamp; attempt++) {
      const status = await this.compute(key, siteConfig);
      if (!status || essence(status) === essence(siteConfig.status)) return;
      try {
        await this.write(siteConfig, status);
        this.opts.onWrite?.(key);
        return;
      } catch (err) {
        if (isNotFound(err)) break;
        // Changed since the cache saw it (an edit, or our last write): once more on a fresh read.
        if (!isConflict(err) || attempt > 0) throw withContext(`siteconfig ${key}: write status`, err);
        siteConfig = await this.read(namespace, name);
      }
    }
    this.queue.forget(key);
  }

  private async compute(key: string, siteConfig: SiteConfig): Promise<SiteConfigStatus | undefined> {
    const { distributor } = this.opts;
    const [outcomes, facts] = await Promise.all([distributor.copyOutcomes.of(key), distributor.reports.facts()]);
    const members = distributor.registry.registeredNames().map((name): CopyMemberView => {
      const f = facts.get(name);
      if (!f) return { name };
      const { reachable, synced, lastSeen, detail } = f;
      return { name, facts: { reachable, synced, ...(lastSeen ? { lastSeen } : {}), ...(detail ? { detail } : {}) } };
    });
    return siteConfigStatus({ siteConfig, members, outcomes, now: new Date() });
  }

  /** Replaces the status; the resourceVersion makes it fail if the SiteConfig moved on. */
  private async write(siteConfig: SiteConfig, status: SiteConfigStatus): Promise<void> {
    const { namespace = 'default', name = '' } = siteConfig.metadata;
    await this.opts.control.custom.replaceNamespacedCustomObjectStatus({
      ...resource(namespace),
      name,
      body: { ...siteConfig, apiVersion: GRIDFED_API_VERSION, kind: SITE_CONFIG_KIND, status },
    });
  }

  private async read(namespace: string, name: string): Promise<SiteConfig | undefined> {
    try {
      return (await this.opts.control.custom.getNamespacedCustomObject({ ...resource(namespace), name })) as SiteConfig;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw withContext(`siteconfig ${namespace}/${name}: read`, err);
    }
  }
}

function resource(namespace: string) {
  return { group: GRIDFED_GROUP, version: GRIDFED_VERSION, plural: SITE_CONFIG_PLURAL, namespace };
}

/** What a write would change: sorted keys (the apiserver sorts maps), transition times left out. */
function essence(status: SiteConfigStatus | undefined): string {
  const replacer = (k: string, v: unknown): unknown => (k === 'lastTransitionTime' ? undefined : v);
  return stableStringify(JSON.parse(JSON.stringify(status ?? {})), replacer) ?? '';
}
