// A live view of one namespace's objects (the hub's own list-watch Reflector), and
// waits that resolve with the moment an awaited state arrived: the timestamps
// latencies are made of come from watch events, not from polling.
import type { KubernetesObject } from '@kubernetes/client-node';
import { Reflector, type ReflectorOptions } from '#gridfed/kube';

type Listener<T> = (obj: T, at: number) => void;
export type ObjectTest<T> = (obj: T) => boolean;

export class WaitTimeout extends Error {
  constructor(
    what: string,
    readonly pending: string[],
  ) {
    super(`${what}: ${pending.length} still waiting after the deadline (first: ${pending.slice(0, 3).join(', ')})`);
  }
}

export interface AllWait {
  /** Resolves with the time (performance.now()) at which the last awaited object got there. */
  done: Promise<number>;
  remaining(): number;
}

export class ObjectWatch<T extends KubernetesObject> {
  private readonly reflector: Reflector<T>;
  private readonly listeners = new Map<string, Set<Listener<T>>>();

  constructor(
    readonly namespace: string,
    opts: ReflectorOptions<T>,
  ) {
    this.reflector = new Reflector(opts).on({ add: (o) => this.notify(o), update: (o) => this.notify(o) });
  }

  async start(): Promise<void> {
    this.reflector.start();
    await this.reflector.waitForSync();
  }

  stop(): Promise<void> {
    return this.reflector.stop();
  }

  get(name: string): T | undefined {
    return this.reflector.get(`${this.namespace}/${name}`);
  }

  list(): T[] {
    return this.reflector.list();
  }

  /** Waits until `test` holds for object `name`; see `whenAll`. */
  when(name: string, test: ObjectTest<T>, timeoutMs: number, what: string): Promise<number> {
    return this.whenAll(new Map([[name, test]]), timeoutMs, what).done;
  }

  /**
   * Waits until every named object passes its test. An object that passes already counts
   * as arriving now; register before acting, so arrivals are stamped by their watch events.
   */
  whenAll(tests: ReadonlyMap<string, ObjectTest<T>>, timeoutMs: number, what: string): AllWait {
    const pending = new Set<string>();
    const registered: [string, Listener<T>][] = [];
    const unregister = (): void => registered.forEach(([name, listener]) => this.listeners.get(name)?.delete(listener));
    let last = performance.now();
    const done = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        unregister();
        reject(new WaitTimeout(what, [...pending]));
      }, timeoutMs);
      const arrived = (name: string, at: number): void => {
        if (!pending.delete(name)) return;
        last = Math.max(last, at);
        if (pending.size > 0) return;
        clearTimeout(timer);
        unregister();
        resolve(last);
      };
      for (const [name, test] of tests) {
        pending.add(name);
        const listener: Listener<T> = (obj, at) => {
          if (test(obj)) arrived(name, at);
        };
        registered.push([name, listener]);
        this.listen(name, listener);
      }
      for (const [name, test] of tests) {
        const live = this.get(name);
        if (live && test(live)) arrived(name, performance.now());
      }
      if (tests.size === 0) {
        clearTimeout(timer);
        resolve(last);
      }
    });
    return { done, remaining: () => pending.size };
  }

  private listen(name: string, listener: Listener<T>): void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
  }

  private notify(obj: T): void {
    const at = performance.now();
    const name = obj.metadata?.name ?? '';
    for (const listener of [...(this.listeners.get(name) ?? [])]) listener(obj, at);
  }
}
