// Every SiteConfig of the control cluster (all namespaces), as watched, and what a grid's
// rendering reads of them. Control-cluster Secrets are not watched: a sync reads (get) only
// the ones the SiteConfigs its grid uses name, so the hub never holds every Secret in memory.
import type { V1Secret } from '@kubernetes/client-node';
import { GRIDFED_GROUP as GROUP, GRIDFED_VERSION as VERSION, type WorkloadGrid } from '#gridfed/grid-api';
import { gridConfigReferences, type SiteConfigInputs } from '#gridfed/grid-render';
import { SITE_CONFIG_PLURAL, siteConfigType, type SecretLookup, type SiteConfig } from '#gridfed/site-config';
import {
  isNotFound,
  Reflector,
  withContext,
  withoutManagedFields,
  type KubeClients,
  type RequestObserver,
} from '#gridfed/kube';

export interface SiteConfigCacheOptions {
  control: KubeClients;
  log: (level: 'info' | 'warn', message: string) => void;
  observe?: RequestObserver;
  /** A SiteConfig was added, changed or deleted (`namespace/name`): only enqueue work here. */
  onChange: (namespace: string, name: string, siteConfig: SiteConfig | undefined, old: SiteConfig | undefined) => void;
}

export class SiteConfigCache {
  readonly reflector: Reflector<SiteConfig>;

  constructor(private readonly opts: SiteConfigCacheOptions) {
    const { control } = opts;
    this.reflector = new Reflector<SiteConfig>({
      kc: control.kc,
      name: `control/${SITE_CONFIG_PLURAL}`,
      path: `/apis/${GROUP}/${VERSION}/${SITE_CONFIG_PLURAL}`,
      list: () =>
        control.custom.listClusterCustomObject({
          group: GROUP,
          version: VERSION,
          plural: SITE_CONFIG_PLURAL,
        }) as Promise<{
          items: SiteConfig[];
          metadata?: { resourceVersion?: string };
        }>,
      log: opts.log,
      transform: withoutManagedFields,
      onRequest: (method, path) => opts.observe?.({ cluster: control.cluster, method, path }),
    });
    const changed = (sc: SiteConfig | undefined, old: SiteConfig | undefined): void => {
      const meta = (sc ?? old)?.metadata;
      opts.onChange(meta?.namespace ?? 'default', meta?.name ?? '', sc, old);
    };
    this.reflector.on({
      add: (sc) => changed(sc, undefined),
      update: (sc, old) => changed(sc, old),
      delete: (sc) => changed(undefined, sc),
    });
  }

  get(namespace: string, name: string): SiteConfig | undefined {
    return this.reflector.get(`${namespace}/${name}`);
  }

  /**
   * What rendering `grid` reads: its namespace's SiteConfigs, and the control-cluster Secrets
   * named by the Secret SiteConfigs its templates use, each read once now (absent when not found).
   */
  async inputsFor(grid: WorkloadGrid): Promise<SiteConfigInputs> {
    const namespace = grid.metadata.namespace ?? 'default';
    const siteConfig = (name: string): SiteConfig | undefined => this.get(namespace, name);
    const used = referencedNames(grid).flatMap((name) => siteConfig(name) ?? []);
    if (secretNamesOf(used).length === 0) return { siteConfig };
    return { siteConfig, secrets: await this.secretsOf(namespace, used) };
  }

  /** The control-cluster Secrets (of `namespace`) the Secret SiteConfigs among `siteConfigs` name, read now. */
  async secretsOf(namespace: string, siteConfigs: SiteConfig[]): Promise<SecretLookup> {
    const names = secretNamesOf(siteConfigs);
    const read = await Promise.all(names.map((name) => this.readSecret(namespace, name)));
    const secrets = new Map(names.map((name, i) => [name, read[i]]));
    return (name) => secrets.get(name);
  }

  list(): SiteConfig[] {
    return this.reflector.list();
  }

  private async readSecret(namespace: string, name: string): Promise<V1Secret | undefined> {
    try {
      return await this.opts.control.core.readNamespacedSecret({ namespace, name });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw withContext(`read Secret ${namespace}/${name} of the control cluster for a SiteConfig`, err);
    }
  }
}

/** Every ConfigMap or Secret name the grid's pod templates (base and pool) refer to. */
export function referencedNames(grid: WorkloadGrid): string[] {
  return [...new Set(gridConfigReferences(grid).map((ref) => ref.name))].sort();
}

/** The control-cluster Secrets the Secret SiteConfigs name, defaults and every NodeUnit. */
export function secretNamesOf(siteConfigs: SiteConfig[]): string[] {
  const names = siteConfigs
    .filter((sc) => siteConfigType(sc) === 'Secret')
    .flatMap((sc) => [sc.spec.defaults, ...Object.values(sc.spec.nodeUnits ?? {})])
    .flatMap((values) => values?.secretRefs ?? [])
    .map((ref) => ref.name);
  return [...new Set(names)].sort();
}
