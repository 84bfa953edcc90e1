// Every grid in the control cluster (all three kinds, all namespaces), as watched.
// Unlabelled grids are cached too: un-labelling one must clean up after it.
import {
  GRID_GROUP,
  GRID_KINDS,
  GRID_RESOURCES,
  GRID_VERSION,
  gridKey,
  gridRefOf,
  type AnyGrid,
  type GridKind,
} from '#gridfed/grid-api';
import { Reflector, withoutManagedFields, type KubeClients, type RequestObserver } from '#gridfed/kube';

export interface GridCacheOptions {
  control: KubeClients;
  log: (level: 'info' | 'warn', message: string) => void;
  observe?: RequestObserver;
  onChange: (key: string, grid: AnyGrid | undefined, old: AnyGrid | undefined) => void;
  onSynced?: (kind: GridKind) => void;
}

export class GridCache {
  readonly reflectors: Record<GridKind, Reflector<AnyGrid>>;

  constructor(private readonly opts: GridCacheOptions) {
    const entries = GRID_KINDS.map((kind) => [kind, this.reflectorFor(kind)] as const);
    this.reflectors = Object.fromEntries(entries) as Record<GridKind, Reflector<AnyGrid>>;
  }

  start(): void {
    for (const r of Object.values(this.reflectors)) r.start();
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.reflectors).map((r) => r.stop()));
  }

  async waitForSync(): Promise<void> {
    await Promise.all(Object.values(this.reflectors).map((r) => r.waitForSync()));
  }

  get synced(): boolean {
    return Object.values(this.reflectors).every((r) => r.synced);
  }

  get(key: string): AnyGrid | undefined {
    const [kind, namespace, name] = key.split('/');
    return this.reflectors[kind as GridKind]?.get(`${namespace}/${name}`);
  }

  list(): AnyGrid[] {
    return Object.values(this.reflectors).flatMap((r) => r.list());
  }

  keys(): string[] {
    return this.list().map((g) => gridKey(gridRefOf(g)));
  }

  private reflectorFor(kind: GridKind): Reflector<AnyGrid> {
    const { control, log, onChange } = this.opts;
    const plural = GRID_RESOURCES[kind].plural;
    const reflector = new Reflector<AnyGrid>({
      kc: control.kc,
      name: `control/${plural}`,
      path: `/apis/${GRID_GROUP}/${GRID_VERSION}/${plural}`,
      list: () =>
        control.custom.listClusterCustomObject({ group: GRID_GROUP, version: GRID_VERSION, plural }) as Promise<{
          items: AnyGrid[];
          metadata?: { resourceVersion?: string };
        }>,
      log,
      transform: withoutManagedFields,
      onRequest: (method, path) => this.opts.observe?.({ cluster: control.cluster, method, path }),
    });
    // Lists return items without kind; the cache always knows which kind it holds.
    const typed = (grid: AnyGrid): AnyGrid => {
      grid.kind = kind as never;
      return grid;
    };
    reflector.on({
      add: (g) => onChange(gridKey(gridRefOf(typed(g))), g, undefined),
      update: (g, old) => onChange(gridKey(gridRefOf(typed(g))), g, old),
      delete: (g) => onChange(gridKey(gridRefOf(typed(g))), undefined, g),
      synced: () => this.opts.onSynced?.(kind),
    });
    return reflector;
  }
}
