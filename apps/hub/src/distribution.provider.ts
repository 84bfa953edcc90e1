// The hub's runtime as a Nest provider: the distribution direction and the status
// direction, built from the config, started once the app is up, stopped with a
// deadline on shutdown. Only wiring: the logic lives in the libraries.
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { gridKey, type GridRef } from '#gridfed/grid-api';
import { Distributor, gridRefOfObject, MemberUnavailableError } from '#gridfed/distribution';
import { createClients, loadKubeConfig, type KubeClients } from '#gridfed/kube';
import { StatusAggregator } from '#gridfed/status';
import { HUB_CONFIG, type HubConfig } from './config.js';
import { HubMetrics } from './metrics.js';

export const CONTROL_CLIENTS = Symbol('CONTROL_CLIENTS');

export function controlClientsFactory(config: HubConfig, metrics: HubMetrics): KubeClients {
  const kc = loadKubeConfig({ path: config.KUBECONFIG });
  return createClients(kc, {
    cluster: 'control',
    timeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
    observe: (r) => metrics.observeRequest(r),
  });
}

@Injectable()
export class DistributionService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly distributor: Distributor;
  readonly status: StatusAggregator;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(CONTROL_CLIENTS) control: KubeClients,
    readonly metrics: HubMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('hub');
    const log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void =>
      this.logger[level](fields ?? {}, message);
    const status = (): StatusAggregator => this.status;
    this.distributor = new Distributor({
      control,
      redisUrl: config.REDIS_URL,
      namespace: config.GRIDFED_NAMESPACE,
      concurrency: config.MEMBER_CONCURRENCY,
      resyncIntervalMs: config.RESYNC_INTERVAL_SECONDS * 1000,
      requestTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
      probeIntervalMs: config.PROBE_INTERVAL_SECONDS * 1000,
      observe: (r) => metrics.observeRequest(r),
      log,
      onSynced: (cluster, grid: GridRef, outcome, ms) => {
        metrics.syncDuration.observe({ member: cluster }, ms / 1000);
        metrics.objectsApplied.inc({ member: cluster }, outcome.applied);
        metrics.objectsDeleted.inc({ member: cluster }, outcome.deleted);
        status().recordSync(cluster, gridKey(grid), { conflicts: outcome.conflicts, invalid: outcome.invalid });
      },
      onSyncError: (cluster, key, error) => {
        metrics.syncErrors.inc({ member: cluster });
        if (!(error instanceof MemberUnavailableError))
          status().recordSync(cluster, key, { conflicts: [], error: error.message });
      },
      onManagedObject: (_cluster, kind, obj) => {
        const ref = gridRefOfObject(obj, kind);
        status().objectChanged(obj, ref ? gridKey(ref) : undefined);
      },
      onMemberHealth: (cluster, healthy) => status().memberHealthChanged(cluster, healthy),
      onGridChanged: (key) => status().schedule(key),
    });
    this.status = new StatusAggregator({
      control,
      distributor: this.distributor,
      log,
      onWrite: () => metrics.statusWrites.inc(),
    });
    metrics.watch(this.distributor);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.distributor.start();
    for (const key of this.distributor.grids.keys()) this.status.schedule(key);
    this.logger.info('distribution and status started');
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'stopping: finishing in-flight syncs');
    this.status.stop();
    await this.distributor.stop(this.config.SHUTDOWN_DEADLINE_SECONDS * 1000);
  }
}
