// Everything the hub holds for one member cluster: its clients, one set of watches
// (nodes, the objects gridfed manages there, its SiteConfig copies), and its health.
import type {
  KubeConfig,
  KubernetesObject,
  V1Deployment,
  V1Node,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '#gridfed/grid-api';
import { ownershipStub, workloadSummary, type CachedWorkload } from './cache-shapes.js';
import { copyReflector } from './copy-reflector.js';
import { ManagedIndex } from './managed-index.js';
import {
  createClients,
  describeError,
  listMetadata,
  PARTIAL_METADATA_ACCEPT,
  releaseConnections,
  Reflector,
  withAcceptHeader,
  withoutManagedFields,
  type KubeClients,
  type ManagedKind,
  type RequestObserver,
  type WatchTiming,
} from '#gridfed/kube';

export interface MemberHandlers {
  node: { add(node: V1Node): void; update(node: V1Node): void; delete(node: V1Node): void; synced(): void };
  managed: { changed(kind: ManagedKind, obj: KubernetesObject, event: 'add' | 'update' | 'delete'): void };
  /** A SiteConfig copy (metadata) changed or went; `synced` after each (re)list of them. */
  copies?: { changed(obj: KubernetesObject, event: 'add' | 'update' | 'delete'): void; synced(): void };
  health(healthy: boolean, detail: string): void;
}

export interface MemberConnectionOptions {
  name: string;
  kc: KubeConfig;
  requestTimeoutMs: number;
  probeIntervalMs: number;
  watchTiming?: WatchTiming;
  /** Consecutive failed probes before the member counts as unreachable. */
  failureThreshold: number;
  observe?: RequestObserver;
  log: (level: 'info' | 'warn', message: string) => void;
}

const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
/** Everything else of the managed kinds: the two selectors together cover every object. */
const UNMANAGED_SELECTOR = `${MANAGED_BY_LABEL}!=${MANAGED_BY_VALUE}`;

export class MemberConnection {
  readonly clients: KubeClients;
  readonly nodes: Reflector<V1Node>;
  readonly managed: Record<ManagedKind, Reflector<KubernetesObject>>;
  /** The managed objects by the grid they belong to. */
  private readonly owned: Record<ManagedKind, ManagedIndex<CachedWorkload>> = {
    Deployment: new ManagedIndex(),
    StatefulSet: new ManagedIndex(),
    Service: new ManagedIndex(),
  };
  /**
   * Metadata of every other object of the managed kinds (reduced to an ownership stub):
   * names gridfed must not take over, known without a GET before each first apply.
   */
  readonly unmanaged: Record<ManagedKind, Reflector<KubernetesObject>>;
  /**
   * The SiteConfig copies (ConfigMaps, metadata only). Not part of `synced`: a member whose
   * agent predates the watch right still syncs its grids; its copies are then put back by
   * the periodic resync only.
   */
  readonly copies: Reflector<KubernetesObject>;
  private healthy = false;
  /** It was healthy once: from then on health comes back only with the watches (see reachableAgain). */
  private wasHealthy = false;
  private version: string | undefined;
  private lastOk: Date | undefined;
  private probes = 0;
  private failures = 0;
  private lastError = '';
  private probeTimer: NodeJS.Timeout | undefined;
  /** Namespaces known to exist in the member (created or seen), so each is ensured once. */
  readonly knownNamespaces = new Set<string>();

  constructor(
    private readonly opts: MemberConnectionOptions,
    private readonly handlers: MemberHandlers,
  ) {
    const { kc, name } = opts;
    this.clients = createClients(kc, { cluster: name, timeoutMs: opts.requestTimeoutMs, observe: opts.observe });
    const reflectorBase = {
      ...opts.watchTiming,
      kc,
      log: opts.log,
      onRequest: (method: string, path: string) => opts.observe?.({ cluster: name, method, path }),
      transform: withoutManagedFields,
    };
    const { core, apps } = this.clients;
    this.nodes = new Reflector<V1Node>({
      ...reflectorBase,
      name: `${name}/nodes`,
      path: '/api/v1/nodes',
      list: () => core.listNode(),
    });
    const managed = <T extends KubernetesObject>(
      resource: string,
      path: string,
      list: (s: string) => Promise<{ items: T[] }>,
    ) =>
      new Reflector<KubernetesObject>({
        ...reflectorBase,
        name: `${name}/${resource}`,
        path,
        labelSelector: MANAGED_SELECTOR,
        list: (labelSelector) => list(labelSelector ?? MANAGED_SELECTOR),
        transform: workloadSummary,
      });
    this.managed = {
      Deployment: managed<V1Deployment>('deployments', '/apis/apps/v1/deployments', (labelSelector) =>
        apps.listDeploymentForAllNamespaces({ labelSelector }),
      ),
      StatefulSet: managed<V1StatefulSet>('statefulsets', '/apis/apps/v1/statefulsets', (labelSelector) =>
        apps.listStatefulSetForAllNamespaces({ labelSelector }),
      ),
      Service: managed<V1Service>('services', '/api/v1/services', (labelSelector) =>
        core.listServiceForAllNamespaces({ labelSelector }),
      ),
    };
    this.unmanaged = this.unmanagedReflectors(reflectorBase);
    this.copies = copyReflector({ ...reflectorBase, member: name, requestTimeoutMs: opts.requestTimeoutMs });
    this.wire();
  }

  private unmanagedReflectors(
    base: WatchTiming & {
      log: (level: 'info' | 'warn', message: string) => void;
      onRequest: (method: string, path: string) => void;
    },
  ): Record<ManagedKind, Reflector<KubernetesObject>> {
    const { kc, name, requestTimeoutMs } = this.opts;
    const metadataReflector = (resource: string, path: string) =>
      new Reflector<KubernetesObject>({
        ...base,
        kc: withAcceptHeader(kc, PARTIAL_METADATA_ACCEPT),
        name: `${name}/${resource} (metadata)`,
        path,
        labelSelector: UNMANAGED_SELECTOR,
        list: (labelSelector) =>
          listMetadata(kc, path, labelSelector ?? UNMANAGED_SELECTOR, {
            timeoutMs: requestTimeoutMs,
            onRequest: base.onRequest,
          }),
        transform: ownershipStub,
      });
    return {
      Deployment: metadataReflector('deployments', '/apis/apps/v1/deployments'),
      StatefulSet: metadataReflector('statefulsets', '/apis/apps/v1/statefulsets'),
      Service: metadataReflector('services', '/api/v1/services'),
    };
  }

  get name(): string {
    return this.opts.name;
  }

  /** gridfed's objects of `kind` that say they belong to grid `gridKey` (`Kind/namespace/name`). */
  ownedBy(kind: ManagedKind, gridKey: string): CachedWorkload[] {
    return this.owned[kind].of(gridKey);
  }

  get isHealthy(): boolean {
    return this.healthy;
  }

  get kubernetesVersion(): string | undefined {
    return this.version;
  }

  /** A probe has ended (either way): until then, unreachable only means "not known yet". */
  get probed(): boolean {
    return this.probes > 0;
  }

  /** When a probe last reached the member. */
  get lastSeen(): Date | undefined {
    return this.lastOk;
  }

  get healthDetail(): string {
    return this.healthy ? 'reachable' : this.lastError || 'not probed yet';
  }

  /** True once nodes and managed objects have been listed: the caches can be trusted. */
  get synced(): boolean {
    return this.reflectors().every((r) => r.synced);
  }

  async waitForSync(): Promise<void> {
    await Promise.all(this.reflectors().map((r) => r.waitForSync()));
  }

  start(): void {
    for (const r of this.reflectors()) r.start();
    this.copies.start();
    void this.probe();
    this.probeTimer = setInterval(() => void this.probe(), this.opts.probeIntervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.probeTimer);
    await Promise.all([...this.reflectors(), this.copies].map((r) => r.stop()));
    await releaseConnections(this.opts.kc);
  }

  private reflectors(): Reflector<KubernetesObject>[] {
    return [
      this.nodes as unknown as Reflector<KubernetesObject>,
      ...Object.values(this.managed),
      ...Object.values(this.unmanaged),
    ];
  }

  /** Asks the member for its version; a few failures in a row mark it unreachable. */
  async probe(): Promise<void> {
    try {
      const info = await this.clients.version.getCode();
      this.version = info.gitVersion;
      this.lastOk = new Date();
      this.failures = 0;
      this.reachableAgain();
    } catch (err) {
      this.failures += 1;
      this.lastError = describeError(err);
      if (this.failures >= this.opts.failureThreshold || !this.healthy) this.setHealth(false, this.lastError);
    } finally {
      this.probes += 1;
    }
  }

  /** Called by the sync worker when a request failed as if the member were gone. */
  reportFailure(detail: string): void {
    this.lastError = detail;
    void this.probe();
  }

  /**
   * The member answers. After an outage it counts as healthy again (its queue resumes,
   * every grid is synced) only once every watch is open again, which this hurries (a
   * reflector may sit seconds in its backoff): a sync planned from a cache that has not
   * heard of the hub's own last write to an object would write that object again.
   */
  private reachableAgain(): void {
    if (this.healthy) return;
    const waiting = this.wasHealthy ? this.reflectors().filter((r) => !r.watching) : [];
    if (waiting.length === 0) {
      this.setHealth(true, 'reachable');
      return;
    }
    this.lastError = `answers again; waiting for ${waiting.length} of its watches to resume`;
    for (const r of waiting) r.retryNow();
  }

  private setHealth(healthy: boolean, detail: string): void {
    if (healthy === this.healthy) return;
    this.healthy = healthy;
    if (healthy) this.wasHealthy = true;
    this.opts.log(
      healthy ? 'info' : 'warn',
      `member ${this.name} is ${healthy ? 'reachable' : `unreachable: ${detail}`}`,
    );
    this.handlers.health(healthy, detail);
  }

  private wire(): void {
    const { node, managed, copies } = this.handlers;
    if (copies)
      this.copies.on({
        add: (o) => copies.changed(o, 'add'),
        update: (o) => copies.changed(o, 'update'),
        delete: (o) => copies.changed(o, 'delete'),
        synced: () => copies.synced(),
      });
    // A watch back after an outage: maybe the last one the health waited for.
    for (const r of this.reflectors())
      r.on({ watching: () => this.failures === 0 && this.lastOk !== undefined && this.reachableAgain() });
    this.nodes.on({
      add: (n) => node.add(n),
      update: (n) => node.update(n),
      delete: (n) => node.delete(n),
      synced: () => node.synced(),
    });
    for (const [kind, reflector] of Object.entries(this.managed) as [ManagedKind, Reflector<KubernetesObject>][]) {
      const index = this.owned[kind];
      reflector.on({
        add: (o) => {
          index.put(o);
          managed.changed(kind, o, 'add');
        },
        update: (o) => {
          index.put(o);
          managed.changed(kind, o, 'update');
        },
        delete: (o) => {
          index.remove(o);
          managed.changed(kind, o, 'delete');
        },
      });
    }
  }
}
