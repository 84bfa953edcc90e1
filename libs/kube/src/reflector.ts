// A list-watch cache of one resource in one cluster, the way Kubernetes' own
// reflector works: list once, then watch from the list's resourceVersion, resume
// from the last seen version when a watch ends, relist only on 410 Gone. Bookmarks
// keep that version fresh; an inactivity deadline restarts a watch that stalled
// silently (said in a warning, as errors are); errors back off with jitter and never
// stop the loop. Handlers are called synchronously and must only enqueue work.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { describeError, isGone, statusCodeOf } from './errors.js';

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

/** How long a watch lasts on the server, and how much silence means it stalled. */
export interface WatchTiming {
  /** Server-side timeout of one watch; the watch then resumes from the last version. */
  watchTimeoutSeconds?: number;
  /**
   * A watch with no byte (not even a bookmark) for this long is restarted. The apiserver
   * sends a bookmark about every minute and ends each watch after watchTimeoutSeconds, so
   * a healthy watch is never silent longer than the shorter of the two.
   */
  inactivityMs?: number;
}

export interface ReflectorOptions<T extends KubernetesObject> extends WatchTiming {
  /** For logs: `member-1/deployments`. */
  name: string;
  kc: KubeConfig;
  /** Collection path to watch, e.g. `/apis/apps/v1/deployments`. */
  path: string;
  list: (labelSelector: string | undefined) => Promise<ListResult<T>>;
  labelSelector?: string;
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
  /** A watch was established where none was: the first, and the first after each failure. */
  watching?: () => void;
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
  /** A watch is established and has not failed since. */
  private live = false;
  /** Ends the current backoff wait. */
  private wake: (() => void) | undefined;
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

  /** A watch is open and the cache hears of changes (false from a failure until one is open again). */
  get watching(): boolean {
    return this.live;
  }

  /** Ends a backoff wait now: the caller knows the server answers again. */
  retryNow(): void {
    this.wake?.();
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
        this.live = false;
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
    const inactivityMs = this.opts.inactivityMs ?? 90_000;
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = inactivityMs;
    this.opts.onRequest?.('WATCH', this.opts.path);
    return new Promise<void>((resolve, reject) => {
      let gone: { message?: string } | undefined;
      let ended = false;
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
            ended = true;
            const end = watchEnd(err, { gone: gone !== undefined, stopped: this.stopped });
            if (end === 'gone')
              reject(Object.assign(new Error('watch: resource version too old'), { code: 410, body: gone }));
            else if (end === 'stalled') reject(new Error(stalledMessage(inactivityMs, this.resourceVersion)));
            else if (end === 'failed') reject(err);
            else resolve();
          },
        )
        .then((controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
          else if (!ended) this.established();
        }, reject);
    });
  }

  /** The server answered the watch: from here on the cache hears of every change. */
  private established(): void {
    const resumed = !this.live;
    this.live = true;
    if (resumed) this.emit((h) => h.watching?.());
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
      const done = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      const poll = setInterval(() => this.stopped && done(), 100);
      this.wake = done;
    });
  }
}

/**
 * Why a watch ended: the server said 410 Gone; it stalled (client-node's inactivity timer
 * aborts it with a TimeoutError: no byte for inactivityMs, or no answer to the request);
 * it failed; or it ended as watches do (server-side timeout, our own stop or abort).
 */
export function watchEnd(
  err: unknown,
  state: { gone: boolean; stopped: boolean },
): 'gone' | 'stalled' | 'failed' | 'ended' {
  if (state.gone) return 'gone';
  if (!err || state.stopped) return 'ended';
  if (isTimeout(err)) return 'stalled';
  return isAbort(err) ? 'ended' : 'failed';
}

export function stalledMessage(inactivityMs: number, resourceVersion: string | undefined): string {
  const from = resourceVersion ? `resourceVersion ${resourceVersion}` : 'a fresh list';
  return `watch silent for ${Math.round(inactivityMs / 1000)} s (no event, no bookmark): stalled; watching again from ${from}`;
}

// By name, not instanceof: an abort is a DOMException, which other realms do not call an Error.
const errorName = (err: unknown): string =>
  typeof err === 'object' && err !== null ? String((err as { name?: unknown }).name) : '';
const isTimeout = (err: unknown): boolean => errorName(err) === 'TimeoutError';

function isAbort(err: unknown): boolean {
  const message = typeof err === 'object' && err !== null ? String((err as { message?: unknown }).message) : '';
  return errorName(err) === 'AbortError' || /aborted/i.test(message);
}
