// A list-watch cache of one resource in one cluster, the way Kubernetes' own
// reflector works: list once, then watch from the list's resourceVersion, resume
// from the last seen version when a watch ends, relist only on 410 Gone. Bookmarks
// keep that version fresh; an inactivity deadline restarts a watch that stalled
// silently; errors back off with jitter and never stop the loop. Handlers are
// called synchronously and must only enqueue work.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { describeError, isGone, statusCodeOf } from './errors.js';

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface ReflectorOptions<T extends KubernetesObject> {
  /** For logs: `member-1/deployments`. */
  name: string;
  kc: KubeConfig;
  /** Collection path to watch, e.g. `/apis/apps/v1/deployments`. */
  path: string;
  list: (labelSelector: string | undefined) => Promise<ListResult<T>>;
  labelSelector?: string;
  /** Server-side timeout of one watch; the watch then resumes from the last version. */
  watchTimeoutSeconds?: number;
  /** A watch with no byte (not even a bookmark) for this long is restarted. */
  inactivityMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Errors (each retried with backoff) are logged at 'warn'; relists after 410 Gone at 'info'. */
  log?: (level: 'info' | 'warn', message: string) => void;
  /** Applied to every object before it is cached (e.g. drop fields nobody reads, to save memory). */
  transform?: (obj: T) => T;
  /**
   * Counts the watch requests, which the reflector makes itself. Lists are made by
   * `list`, so the client behind it counts them (counting here too counted each twice).
   */
  onRequest?: (method: string, path: string) => void;
}

export interface ReflectorHandlers<T> {
  add?: (obj: T) => void;
  update?: (obj: T, old: T) => void;
  delete?: (obj: T) => void;
  /** After each (re)list, once the cache holds the full current state. */
  synced?: () => void;
}

/** Drops metadata.managedFields: large, and never read from a cache (only from fresh GETs). */
export function withoutManagedFields<T extends KubernetesObject>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}

export const objectKey = (obj: KubernetesObject): string =>
  obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name ?? ''}` : (obj.metadata?.name ?? '');

/**
 * The cached objects a fresh list no longer holds: deleted while no watch was open (an
 * outage, a 410 Gone), so their DELETED events never came; the relist emits them.
 */
export function missedDeletions<T>(cached: ReadonlyMap<string, T>, listed: ReadonlyMap<string, T>): [string, T][] {
  return [...cached].filter(([key]) => !listed.has(key));
}

export class Reflector<T extends KubernetesObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: ReflectorHandlers<T>[] = [];
  private resourceVersion: string | undefined;
  private abort: AbortController | undefined;
  private stopped = true;
  private hasSynced = false;
  private syncWaiters: (() => void)[] = [];
  private failures = 0;
  private loop: Promise<void> | undefined;

  constructor(private readonly opts: ReflectorOptions<T>) {}

  on(handlers: ReflectorHandlers<T>): this {
    this.handlers.push(handlers);
    return this;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
  }

  get synced(): boolean {
    return this.hasSynced;
  }

  /** Resolves after the first complete list (or at once if that happened). */
  waitForSync(): Promise<void> {
    if (this.hasSynced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get size(): number {
    return this.cache.size;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.relist();
        await this.watchOnce();
        this.failures = 0;
      } catch (err) {
        if (this.stopped) break;
        if (isGone(err)) {
          // The server no longer holds history this old (compacted, or a restarted watch cache):
          // the relist diffs against the cache, so events missed meanwhile still take effect.
          this.opts.log?.(
            'info',
            `${this.opts.name}: watch from resourceVersion ${this.resourceVersion ?? '""'} expired (${describeError(err)}); relisting`,
          );
          this.resourceVersion = undefined;
          continue;
        }
        this.failures += 1;
        this.opts.log?.('warn', `${this.opts.name}: ${describeError(err)}; retry #${this.failures}`);
        await this.sleep(this.backoffMs());
      }
    }
  }

  private async relist(): Promise<void> {
    const result = await this.opts.list(this.opts.labelSelector);
    const fresh = new Map(result.items.map((item) => [objectKey(item), this.opts.transform?.(item) ?? item]));
    for (const [key, old] of missedDeletions(this.cache, fresh)) {
      this.cache.delete(key);
      this.emit((h) => h.delete?.(old));
    }
    for (const [key, item] of fresh) this.upsert(key, item);
    this.resourceVersion = result.metadata?.resourceVersion;
    this.hasSynced = true;
    for (const resolve of this.syncWaiters.splice(0)) resolve();
    this.emit((h) => h.synced?.());
  }

  private watchOnce(): Promise<void> {
    const watch = new Watch(this.opts.kc);
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? 300;
    // client-node ends a watch after this much silence (its field is private in the typings):
    // with bookmarks arriving about every minute, silence past this means a stalled watch.
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = this.opts.inactivityMs ?? 90_000;
    this.opts.onRequest?.('WATCH', this.opts.path);
    return new Promise<void>((resolve, reject) => {
      let gone: { message?: string } | undefined;
      const query: Record<string, string | number | boolean> = {
        allowWatchBookmarks: true,
        timeoutSeconds,
        resourceVersion: this.resourceVersion ?? '',
      };
      if (this.opts.labelSelector) query['labelSelector'] = this.opts.labelSelector;
      watch
        .watch(
          this.opts.path,
          query,
          (phase: string, obj: T) => {
            if (phase === 'ERROR') {
              if (statusCodeOf(obj) === 410) gone = obj as { message?: string };
              this.abort?.abort();
              return;
            }
            this.apply(phase, obj);
          },
          (err: unknown) => {
            if (gone) reject(Object.assign(new Error('watch: resource version too old'), { code: 410, body: gone }));
            else if (err && !this.stopped && !isAbort(err)) reject(err);
            else resolve();
          },
        )
        .then((controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
        }, reject);
    });
  }

  private apply(phase: string, obj: T): void {
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (phase === 'BOOKMARK') return;
    obj = this.opts.transform?.(obj) ?? obj;
    const key = objectKey(obj);
    if (phase === 'DELETED') {
      const old = this.cache.get(key);
      this.cache.delete(key);
      this.emit((h) => h.delete?.(old ?? obj));
      return;
    }
    this.upsert(key, obj);
  }

  private upsert(key: string, obj: T): void {
    const old = this.cache.get(key);
    this.cache.set(key, obj);
    if (!old) this.emit((h) => h.add?.(obj));
    else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit((h) => h.update?.(obj, old));
  }

  private emit(call: (h: ReflectorHandlers<T>) => void): void {
    for (const h of this.handlers) {
      try {
        call(h);
      } catch (err) {
        this.opts.log?.('warn', `${this.opts.name}: handler failed: ${describeError(err)}`);
      }
    }
  }

  private backoffMs(): number {
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 250, maxMs: 10_000 };
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 16));
    return base / 2 + Math.random() * (base / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      const poll = setInterval(() => {
        if (this.stopped) {
          clearTimeout(timer);
          clearInterval(poll);
          resolve();
        }
      }, 100);
      setTimeout(() => clearInterval(poll), ms + 1);
    });
  }
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || /aborted/i.test(err.message));
}
