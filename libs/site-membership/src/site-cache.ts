// Every NodeUnit and NodeGroup of the control cluster (site.superedge.io), as watched.
// Unlabelled ones are cached too: un-labelling one must clean up after it.
import {
  NODE_GROUP_RESOURCE,
  NODE_UNIT_RESOURCE,
  SITE_GROUP,
  SITE_VERSION,
  type NodeGroup,
  type NodeUnit,
} from '#gridfed/site-api';
import { Reflector, withoutManagedFields, type KubeClients, type RequestObserver } from '#gridfed/kube';

export type SiteKind = 'NodeUnit' | 'NodeGroup';

export interface SiteCacheOptions {
  control: KubeClients;
  log: (level: 'info' | 'warn', message: string) => void;
  observe?: RequestObserver;
  /** Handlers only enqueue: `object` is the new one, or the deleted one. */
  onChange: (kind: SiteKind, object: NodeUnit | NodeGroup, old: NodeUnit | NodeGroup | undefined) => void;
}

export class SiteCache {
  readonly nodeUnits: Reflector<NodeUnit>;
  readonly nodeGroups: Reflector<NodeGroup>;

  constructor(private readonly opts: SiteCacheOptions) {
    this.nodeUnits = this.reflectorFor<NodeUnit>('NodeUnit', NODE_UNIT_RESOURCE.plural);
    this.nodeGroups = this.reflectorFor<NodeGroup>('NodeGroup', NODE_GROUP_RESOURCE.plural);
  }

  start(): void {
    this.nodeUnits.start();
    this.nodeGroups.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.nodeUnits.stop(), this.nodeGroups.stop()]);
  }

  async waitForSync(): Promise<void> {
    await Promise.all([this.nodeUnits.waitForSync(), this.nodeGroups.waitForSync()]);
  }

  get synced(): boolean {
    return this.nodeUnits.synced && this.nodeGroups.synced;
  }

  private reflectorFor<T extends NodeUnit | NodeGroup>(kind: SiteKind, plural: string): Reflector<T> {
    const { control, log, onChange } = this.opts;
    const reflector = new Reflector<T>({
      kc: control.kc,
      name: `control/${plural}`,
      path: `/apis/${SITE_GROUP}/${SITE_VERSION}/${plural}`,
      list: () =>
        control.custom.listClusterCustomObject({ group: SITE_GROUP, version: SITE_VERSION, plural }) as Promise<{
          items: T[];
          metadata?: { resourceVersion?: string };
        }>,
      log,
      transform: withoutManagedFields,
      onRequest: (method, path) => this.opts.observe?.({ cluster: control.cluster, method, path }),
    });
    // Lists return items without kind; the cache knows which kind it holds.
    const typed = (o: T): T => Object.assign(o, { kind });
    reflector.on({
      add: (o) => onChange(kind, typed(o), undefined),
      update: (o, old) => onChange(kind, typed(o), old),
      delete: (o) => onChange(kind, typed(o), undefined),
    });
    return reflector;
  }
}
