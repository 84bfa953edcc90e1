import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HUB_CONFIG, loadHubConfig, type HubConfig } from './config.js';
import { CONTROL_CLIENTS, controlClientsFactory, DistributionService } from './distribution.provider.js';
import { ApiController } from './api/api.controller.js';
import { SitesController } from './api/sites.controller.js';
import { DashboardController } from './dashboard/dashboard.controller.js';
import { HealthController } from './health.controller.js';
import { HubMetrics } from './metrics.js';

const config = loadHubConfig(process.env);

@Module({
  imports: [
    LoggerModule.forRoot({
      pinoHttp: {
        level: config.LOG_LEVEL,
        // Health probes every few seconds are not worth a log line each.
        autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
        redact: ['req.headers.authorization', 'req.headers.cookie'],
      },
    }),
  ],
  controllers: [HealthController, ApiController, SitesController, DashboardController],
  providers: [
    { provide: HUB_CONFIG, useValue: config },
    { provide: HubMetrics, useValue: new HubMetrics() },
    {
      provide: CONTROL_CLIENTS,
      useFactory: (c: HubConfig, m: HubMetrics) => controlClientsFactory(c, m),
      inject: [HUB_CONFIG, HubMetrics],
    },
    DistributionService,
  ],
})
export class AppModule {}
