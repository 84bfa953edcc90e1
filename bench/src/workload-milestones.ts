// Waits for the "exists" and "ready" milestones of a set of member Deployments, as the
// bench's watches in each member see them: the same waits for the floor and the hub.
import type { V1Deployment } from '@kubernetes/client-node';
import { memberObjectReady } from '#gridfed/rollout';
import { progress } from './log.js';
import { round } from './stats.js';
import { WaitTimeout, type AllWait, type ObjectTest, type ObjectWatch } from './watch.js';

/** One member's watch and the Deployments it must see. */
export interface MemberTargets {
  member: string;
  watch: ObjectWatch<V1Deployment>;
  names: readonly string[];
}

const present: ObjectTest<V1Deployment> = () => true;
/** gridfed's one definition of ready, the one the grid status and the rollout gates use. */
export const workloadReady: ObjectTest<V1Deployment> = (d) => memberObjectReady('Deployment', d);

const testsFor = (names: readonly string[], test: ObjectTest<V1Deployment>): Map<string, ObjectTest<V1Deployment>> =>
  new Map(names.map((n) => [n, test]));

export class WorkloadMilestones {
  private readonly exists: AllWait[];
  private readonly ready: AllWait[];
  readonly total: number;

  /** Register before the first apply, so arrivals are stamped by their watch events. */
  constructor(
    targets: readonly MemberTargets[],
    timeoutMs: number,
    private readonly what: string,
  ) {
    const wait = (t: MemberTargets, test: ObjectTest<V1Deployment>, label: string): AllWait => {
      const w = t.watch.whenAll(testsFor(t.names, test), timeoutMs, `${what}: ${label} in ${t.member}`);
      w.done.catch(() => undefined); // awaited in settle(); a timeout before then must not go unhandled
      return w;
    };
    this.exists = targets.map((t) => wait(t, present, 'exists'));
    this.ready = targets.map((t) => wait(t, workloadReady, 'ready'));
    this.total = targets.reduce((n, t) => n + t.names.length, 0);
  }

  /** How many exist and are ready so far: for progress lines. */
  counts(): { exists: number; ready: number } {
    const done = (waits: AllWait[]): number => this.total - waits.reduce((n, w) => n + w.remaining(), 0);
    return { exists: done(this.exists), ready: done(this.ready) };
  }

  /** Seconds from `start` (performance.now()) until every workload existed and was ready; null: deadline passed. */
  async settle(start: number): Promise<{ existsSeconds: number | null; readySeconds: number | null }> {
    const existsSeconds = await this.secondsUntil(this.exists, start, 'exist');
    const readySeconds = await this.secondsUntil(this.ready, start, 'are ready');
    return { existsSeconds, readySeconds };
  }

  private async secondsUntil(waits: AllWait[], start: number, label: string): Promise<number | null> {
    try {
      const ends = await Promise.all(waits.map((w) => w.done));
      const seconds = round((Math.max(start, ...ends) - start) / 1000, 2);
      progress(`${this.what}: ${this.total} Deployments ${label} ${seconds} s after the first request`);
      return seconds;
    } catch (err) {
      if (!(err instanceof WaitTimeout)) throw err;
      progress(`${this.what}: not every Deployment ${label}: ${err.message}`);
      return null;
    }
  }
}
