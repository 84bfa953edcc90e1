// The hub's runtime as a Nest provider: the distribution direction and the status
// direction, built from the config, started once the app is up, stopped with a
// deadline on shutdown. Only wiring: the logic lives in the libraries.
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { Distributor } from '#gridfed/distribution';
import { createClients, loadKubeConfig, type KubeClients } from '#gridfed/kube';
import { SiteMembership } from '#gridfed/site-membership';
import { GridStatusReconciler, SiteConfigStatusReconciler } from '#gridfed/status';
import type { KeyQueueFactory } from '#gridfed/workqueue';
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

/**
 * The status reconcilers' queues, shared by every replica: debounced (a rollout changes a
 * workload's status several times a second), one run per key at a time and at most one per
 * key per interval (a fan-out must not flood the control apiserver), retried with backoff.
 */
const STATUS_QUEUE = { debounceMs: 500, minIntervalMs: 2000, attempts: 10, backoffMs: 1000 };

@Injectable()
export class DistributionService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly distributor: Distributor;
  readonly status: GridStatusReconciler;
  /** Fed NodeUnits and NodeGroups: node membership in the members, and their status. */
  readonly sites: SiteMembership;
  readonly siteConfigStatus: SiteConfigStatusReconciler;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(CONTROL_CLIENTS) control: KubeClients,
    readonly metrics: HubMetrics,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('hub');
    const log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void =>
      this.logger[level](fields ?? {}, message);
    const status = (): GridStatusReconciler => this.status;
    const sites = (): SiteMembership => this.sites;
    const siteConfigStatus = (): SiteConfigStatusReconciler => this.siteConfigStatus;
    this.distributor = new Distributor({
      control,
      redisUrl: config.REDIS_URL,
      replica: config.HUB_REPLICA_ID ?? 'hub',
      namespace: config.GRIDFED_NAMESPACE,
      concurrency: config.MEMBER_CONCURRENCY,
      resyncIntervalMs: config.RESYNC_INTERVAL_SECONDS * 1000,
      requestTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
      probeIntervalMs: config.PROBE_INTERVAL_SECONDS * 1000,
      watchTiming: {
        watchTimeoutSeconds: config.WATCH_TIMEOUT_SECONDS,
        inactivityMs: config.WATCH_INACTIVITY_SECONDS * 1000,
      },
      observe: (r) => metrics.observeRequest(r),
      log,
      onSynced: (cluster, _key, outcome, ms) => metrics.observeSync(cluster, outcome, ms),
      onRollout: (_key, decision, before) => metrics.observeRollout(decision, before),
      onGridStatusInput: (key) => status().enqueue(key),
      onSiteConfigStatusInput: (key) => siteConfigStatus().enqueue(key),
      sharding: {
        leaseDurationMs: config.LEASE_DURATION_SECONDS * 1000,
        renewDeadlineMs: config.LEASE_RENEW_DEADLINE_SECONDS * 1000,
        retryPeriodMs: config.LEASE_RETRY_PERIOD_SECONDS * 1000,
      },
      onHandover: (direction) => metrics.handovers.inc({ direction }),
      onMemberNodes: (member) => sites().onMemberNodes(member),
    });
    const statusQueue =
      (concurrency: number): KeyQueueFactory =>
      (name, reconcile) =>
        this.distributor.gridQueue(name, reconcile, { concurrency, ...STATUS_QUEUE });
    this.status = new GridStatusReconciler({
      control,
      distributor: this.distributor,
      log,
      queue: statusQueue(8),
      onWrite: () => metrics.statusWrites.inc(),
    });
    this.sites = new SiteMembership({
      control,
      distributor: this.distributor,
      resyncIntervalMs: config.RESYNC_INTERVAL_SECONDS * 1000,
      observe: (r) => metrics.observeRequest(r),
      log,
      statusQueue: statusQueue(4),
      onStatusWrite: () => metrics.statusWrites.inc(),
    });
    this.siteConfigStatus = new SiteConfigStatusReconciler({
      control,
      distributor: this.distributor,
      queue: statusQueue(4),
      onWrite: () => metrics.statusWrites.inc(),
    });
    metrics.watch(this.distributor, [
      this.distributor.lifecycle.queue,
      this.status.queue,
      this.sites.status.queue,
      this.siteConfigStatus.queue,
    ]);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.sites.start();
    await this.distributor.start();
    this.logger.info('distribution, status and site membership started');
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'stopping: finishing in-flight syncs');
    await this.sites.stop();
    await this.distributor.stop(this.config.SHUTDOWN_DEADLINE_SECONDS * 1000);
  }
}
