// Copies whose SiteConfig is gone from the control cluster (deleted while no hub ran, so no
// delete event ever reached a copy sync). Pure: the decision, from the copies a member holds
// and what the SiteConfig cache knows. A cache that has not listed yet (or whose list failed)
// is empty for the wrong reason, and so is an empty list taken at face value: then nothing is
// called orphaned, and the copies wait for a later sweep (or their SiteConfig's delete event).
import type { KubernetesObject } from '@kubernetes/client-node';
import { siteConfigOfMemberObject } from '#gridfed/site-config';

export interface SiteConfigView {
  /** The cache holds a complete list (it listed successfully at least once). */
  synced: boolean;
  /** How many SiteConfigs it holds. */
  size: number;
  has(namespace: string, name: string): boolean;
}

export interface SiteConfigName {
  namespace: string;
  name: string;
}

/** The SiteConfigs (sorted, each once) that copies (or Secret copy ledgers) among `copies` name and that no longer exist. */
export function orphanedSiteConfigs(
  copies: readonly KubernetesObject[],
  siteConfigs: SiteConfigView,
): SiteConfigName[] {
  if (!siteConfigs.synced || siteConfigs.size === 0) return [];
  const gone = new Map<string, SiteConfigName>();
  for (const copy of copies) {
    const owner = siteConfigOfMemberObject(copy);
    if (!owner || siteConfigs.has(owner.namespace, owner.name)) continue;
    gone.set(`${owner.namespace}/${owner.name}`, { namespace: owner.namespace, name: owner.name });
  }
  return [...gone.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, ref]) => ref);
}
