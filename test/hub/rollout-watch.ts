// Watches every member workload of one grid while a rollout runs and checks, on each
// snapshot, what a Progressive rollout promises: never more than maxUnavailable NodeUnits
// on the new revision and not ready, and no NodeUnit of a later wave on it before every
// NodeUnit of the earlier waves is there and ready. And the wait for a rollout's new revision.
import { expect } from '@jest/globals';
import { AppsV1Api, type V1Deployment } from '@kubernetes/client-node';
import { REVISION_LABEL, type RolloutStatus } from '#gridfed/grid-api';
import { memberObjectReady } from '#gridfed/rollout';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { waitFor } from '../cluster/jest/eventually.js';

export interface Snapshot {
  at: number;
  /** NodeUnit -> revision label and readiness of its member Deployment. */
  units: Map<string, { revision?: string; ready: boolean }>;
}

export class RolloutWatch {
  readonly snapshots: Snapshot[] = [];
  readonly violations: string[] = [];
  /** NodeUnits, in the order they were first seen on the watched revision. */
  readonly reached: string[] = [];
  /**
   * NodeUnits whose member is made unreachable: by design they neither block a wave nor
   * wait for one (they catch up, within maxUnavailable, once back), so the wave order
   * does not apply to them. maxUnavailable still does.
   */
  exempt = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly members: LocalCluster[],
    private readonly namespace: string,
    private readonly grid: string,
    /** Cumulative NodeUnit sets per wave (waveTargets of the grid's strategy). */
    private readonly waves: string[][],
    private readonly maxUnavailable: number,
    private revision: string | undefined = undefined,
  ) {}

  /** Starts checking for `revision` (the update revision of the rollout under test). */
  start(revision: string): void {
    this.revision = revision;
    this.reached.length = 0;
    this.violations.length = 0;
    this.snapshots.length = 0;
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll()).catch(() => undefined);
    }, 150);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** NodeUnits that ever ran the watched revision. */
  seen(): Set<string> {
    return new Set(this.reached);
  }

  private async poll(): Promise<void> {
    const units = new Map<string, { revision?: string; ready: boolean }>();
    const lists = await Promise.all(
      this.members.map((m) =>
        m
          .kubeConfig()
          .makeApiClient(AppsV1Api)
          .listNamespacedDeployment({ namespace: this.namespace, labelSelector: `gridfed.io/grid-name=${this.grid}` })
          .then((l) => l.items)
          .catch(() => [] as V1Deployment[]),
      ),
    );
    for (const d of lists.flat()) {
      const nodeUnit = d.metadata?.labels?.['gridfed.io/nodeunit'];
      if (!nodeUnit) continue;
      units.set(nodeUnit, {
        revision: d.metadata?.labels?.[REVISION_LABEL],
        ready: memberObjectReady('Deployment', d),
      });
    }
    this.check({ at: Date.now(), units });
  }

  private check(snapshot: Snapshot): void {
    this.snapshots.push(snapshot);
    const on = [...snapshot.units].filter(([, u]) => u.revision === this.revision).map(([name]) => name);
    for (const name of on) if (!this.reached.includes(name)) this.reached.push(name);
    const unready = on.filter((name) => !snapshot.units.get(name)?.ready);
    if (unready.length > this.maxUnavailable) {
      this.violations.push(`${unready.length} NodeUnits on ${this.revision} and not ready: ${unready.join(', ')}`);
    }
    // The first wave that holds every NodeUnit on the revision: the waves before it must be done.
    const ordered = on.filter((name) => !this.exempt.has(name));
    const wave = this.waves.findIndex((target) => ordered.every((name) => target.includes(name)));
    for (const name of wave > 0 ? (this.waves[wave - 1] ?? []) : []) {
      if (this.exempt.has(name)) continue;
      const unit = snapshot.units.get(name);
      if (!unit || unit.revision !== this.revision || !unit.ready) {
        this.violations.push(
          `wave ${wave + 1} reached (${on.join(', ')}) while ${name} of wave ${wave} was not ready on it`,
        );
      }
    }
  }
}

/** Waits for the grid's rollout (read by `read`) to have an update revision other than `before`; returns it. */
export function newUpdateRevision(
  read: () => Promise<RolloutStatus | undefined>,
  before: string | undefined,
  timeoutMs = 20_000,
): Promise<string> {
  return waitFor(
    `a new update revision (after ${before ?? 'none'}) in status.rollout`,
    async () => {
      const update = (await read())?.updateRevision;
      expect(update).toBeDefined();
      expect(update).not.toBe(before);
      return update!;
    },
    timeoutMs,
  );
}
