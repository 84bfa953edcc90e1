// Liveness, readiness and metrics. Ready means the replica can do its job: the control
// cluster's grids and members are listed, Redis answers, it holds its own Lease and
// every member of its shard is listed.
import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { DistributionService } from './distribution.provider.js';

@Controller()
export class HealthController {
  constructor(private readonly hub: DistributionService) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<{ status: string; replica: string; checks: Record<string, string> }> {
    const d = this.hub.distributor;
    const checks: Record<string, string> = {
      control:
        d.grids.synced && d.registry.memberClusters.synced
          ? 'ok'
          : 'grids and members not listed from the control cluster yet',
      redis: await d.queues
        .ping()
        .then(() => 'ok')
        .catch((err: unknown) => `unreachable: ${String(err)}`),
      shard: ((r) => (r.ready ? 'ok' : r.detail))(d.readiness()),
    };
    const failing = Object.entries(checks).filter(([, v]) => v !== 'ok');
    const replica = d.shard.state().replica;
    if (failing.length > 0) throw new ServiceUnavailableException({ status: 'not ready', replica, checks });
    return { status: 'ready', replica, checks };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return this.hub.metrics.registry.metrics();
  }
}
