// Prometheus metrics of the hub, on one registry served at /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RolloutStatus } from '#gridfed/grid-api';
import type { Distributor, SyncOutcome } from '#gridfed/distribution';
import type { RolloutDecision } from '#gridfed/rollout';
import { resourceOfPath, type ManagedKind, type RequestRecord } from '#gridfed/kube';
import type { KeyQueue } from '#gridfed/workqueue';

export class HubMetrics {
  readonly registry = new Registry();
  readonly syncDuration = new Histogram({
    name: 'gridfed_sync_duration_seconds',
    help: 'Time to converge one grid on one member cluster',
    labelNames: ['member'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly syncErrors = new Counter({
    name: 'gridfed_sync_errors_total',
    help: 'Grid syncs that failed, per member cluster',
    labelNames: ['member'],
    registers: [this.registry],
  });
  readonly objectsApplied = new Counter({
    name: 'gridfed_objects_applied_total',
    help: 'Member objects server-side applied',
    labelNames: ['member'],
    registers: [this.registry],
  });
  readonly objectsDeleted = new Counter({
    name: 'gridfed_objects_deleted_total',
    help: 'Member objects garbage-collected',
    labelNames: ['member'],
    registers: [this.registry],
  });
  readonly kubeRequests = new Counter({
    name: 'gridfed_kube_requests_total',
    help: 'Requests the hub sent to Kubernetes API servers (watches and lists included)',
    labelNames: ['cluster', 'method', 'resource'],
    registers: [this.registry],
  });
  readonly waveDuration = new Histogram({
    name: 'gridfed_rollout_wave_duration_seconds',
    help: 'Time from the start of a Progressive rollout wave until all its NodeUnits were healthy',
    buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  readonly rollbacks = new Counter({
    name: 'gridfed_rollbacks_total',
    help: 'Progressive rollouts that failed and were rolled back to the stable revision',
    registers: [this.registry],
  });
  readonly rolloutFailures = new Counter({
    name: 'gridfed_rollout_failures_total',
    help: 'Progressive rollouts that failed (rolled back, or stopped with onFailure: Pause)',
    registers: [this.registry],
  });
  readonly rolloutWrites = new Counter({
    name: 'gridfed_rollout_writes_total',
    help: 'Writes of status.rollout (the rollout decisions) to the control cluster',
    registers: [this.registry],
  });
  readonly handovers = new Counter({
    name: 'gridfed_shard_handovers_total',
    help: 'Members this replica took (acquired) or gave up (released) as the live replicas changed',
    labelNames: ['direction'],
    registers: [this.registry],
  });
  readonly statusWrites = new Counter({
    name: 'gridfed_status_writes_total',
    help: 'Grid status writes to the control cluster',
    registers: [this.registry],
  });

  /** One member sync ended, converged or not. */
  observeSync(member: string, outcome: SyncOutcome | Error, ms: number): void {
    this.syncDuration.observe({ member }, ms / 1000);
    if (outcome instanceof Error) {
      this.syncErrors.inc({ member });
      return;
    }
    this.objectsApplied.inc({ member }, outcome.applied);
    this.objectsDeleted.inc({ member }, outcome.deleted);
  }

  /** A rollout decision was written. */
  observeRollout(decision: RolloutDecision, before: RolloutStatus | undefined): void {
    this.rolloutWrites.inc();
    if (decision.waveDoneMs !== undefined) this.waveDuration.observe(decision.waveDoneMs / 1000);
    const phase = decision.status.phase;
    if (phase === before?.phase) return;
    if (phase === 'RolledBack') this.rollbacks.inc();
    if (phase === 'RolledBack' || phase === 'Failed') this.rolloutFailures.inc();
  }

  /** One request to an apiserver, by cluster, verb and resource (never by object name). */
  observeRequest(r: RequestRecord): void {
    this.kubeRequests.inc({ cluster: r.cluster, method: r.method, resource: resourceOfPath(r.path) });
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gridfed_hub_' });
  }

  /** Gauges read from the live distributor and the in-process reconcilers' queues when scraped. */
  watch(distributor: Distributor, reconcilers: KeyQueue[]): void {
    new Gauge({
      name: 'gridfed_reconcile_queue_depth',
      help: 'Grids waiting or running in each grid reconciler (grid-lifecycle, grid-status), across every replica',
      labelNames: ['reconciler'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of reconcilers) {
          const pending = await q.pending().catch(() => undefined);
          if (pending !== undefined) this.set({ reconciler: q.name }, pending);
        }
      },
    });
    new Gauge({
      name: 'gridfed_reconcile_failing_keys',
      help: 'Grids whose last reconcile on this replica failed and is being retried with backoff',
      labelNames: ['reconciler'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const q of reconcilers) this.set({ reconciler: q.name }, q.failing().size);
      },
    });
    new Gauge({
      name: 'gridfed_shard_owned_members',
      help: 'Member clusters this replica owns (writes to and watches), by member',
      labelNames: ['replica', 'member'],
      registers: [this.registry],
      collect() {
        this.reset();
        const state = distributor.shard.state();
        for (const member of state.owned) this.set({ replica: state.replica, member }, 1);
      },
    });
    new Gauge({
      name: 'gridfed_shard_live_replicas',
      help: 'Hub replicas this replica sees as live (their Leases renewed within the lease duration)',
      registers: [this.registry],
      collect() {
        this.set(distributor.shard.state().live.length);
      },
    });
    new Gauge({
      name: 'gridfed_shard_lease_held',
      help: '1 while this replica holds its own Lease (renewed within the renew deadline)',
      registers: [this.registry],
      collect() {
        this.set(distributor.shard.state().holdsLease ? 1 : 0);
      },
    });
    new Gauge({
      name: 'gridfed_member_reachable',
      help: '1 when the hub reaches the member apiserver',
      labelNames: ['member'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const m of distributor.registry.list()) this.set({ member: m.name }, m.isHealthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'gridfed_rollouts',
      help: 'Workload grids by the phase of their rollout',
      labelNames: ['phase'],
      registers: [this.registry],
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const grid of distributor.grids.list()) {
          const phase = grid.kind === 'ServiceGrid' ? undefined : grid.status?.rollout?.phase;
          if (phase) counts.set(phase, (counts.get(phase) ?? 0) + 1);
        }
        for (const phase of ['Progressing', 'Paused', 'Complete', 'Failed', 'RolledBack'])
          this.set({ phase }, counts.get(phase) ?? 0);
      },
    });
    new Gauge({
      name: 'gridfed_managed_objects',
      help: 'Objects gridfed manages in each member, by kind',
      labelNames: ['member', 'kind'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const m of distributor.registry.list()) {
          for (const [kind, reflector] of Object.entries(m.managed) as [ManagedKind, { size: number }][]) {
            this.set({ member: m.name, kind }, reflector.size);
          }
        }
      },
    });
    new Gauge({
      name: 'gridfed_queue_depth',
      help: 'Jobs in each member queue, by state',
      labelNames: ['member', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const m of distributor.registry.list()) {
          const depth = await distributor.queues.depth(m.name).catch(() => undefined);
          if (!depth) continue;
          for (const state of ['waiting', 'active', 'delayed', 'failed'] as const)
            this.set({ member: m.name, state }, depth[state]);
        }
      },
    });
  }
}
