// SiteConfigs of one control-cluster namespace, for the SiteConfig e2e files.
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type V1ConfigMap,
  type V1Deployment,
} from '@kubernetes/client-node';
import { GRIDFED_GROUP, GRIDFED_VERSION, SITE_CONFIG_HASH_ANNOTATION } from '#gridfed/grid-api';
import { SITE_CONFIG_PLURAL, type SiteConfig } from '#gridfed/site-config';

export function siteConfigApi(kc: KubeConfig, namespace: string) {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const at = { group: GRIDFED_GROUP, version: GRIDFED_VERSION, namespace, plural: SITE_CONFIG_PLURAL };
  return {
    create: (body: SiteConfig) => custom.createNamespacedCustomObject({ ...at, body }),
    get: async (name: string) => (await custom.getNamespacedCustomObject({ ...at, name })) as SiteConfig,
    delete: (name: string) => custom.deleteNamespacedCustomObject({ ...at, name }),
    /** Read-modify-write, again on 409. */
    update: async (name: string, mutate: (live: SiteConfig) => void): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        const live = (await custom.getNamespacedCustomObject({ ...at, name })) as SiteConfig;
        mutate(live);
        try {
          await custom.replaceNamespacedCustomObject({ ...at, name, body: live });
          return;
        } catch (err) {
          if ((err as { code?: number }).code !== 409 || attempt > 10) throw err;
        }
      }
    },
  };
}

/** A ConfigMap of `namespace` in a cluster (a member's copy), undefined when it is not there. */
export function readConfigMap(kc: KubeConfig, namespace: string, name: string): Promise<V1ConfigMap | undefined> {
  return kc
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name, namespace })
    .catch(() => undefined);
}

/** The SiteConfig copy hashes on a workload's pod template (`name=<hash>,...`): what rolls its pods. */
export const siteConfigHashOf = (d: V1Deployment | undefined): string | undefined =>
  d?.spec?.template.metadata?.annotations?.[SITE_CONFIG_HASH_ANNOTATION];
