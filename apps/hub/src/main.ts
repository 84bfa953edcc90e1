// gridfed hub: distributes fed grids from the control cluster to member clusters and
// reports their status back. HTTP: /api (OpenAPI at /api/docs), /dashboard, /queues,
// /metrics, /healthz, /readyz.
import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { answerBodyErrors, MAX_BODY_BYTES } from './body-errors.js';
import { HUB_CONFIG, type HubConfig } from './config.js';
import { DistributionService } from './distribution.provider.js';
import { mountQueueBoard } from './queue-board.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  // Grid manifests posted to /api/diff carry whole templates.
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  app.use(answerBodyErrors);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  const config = app.get<HubConfig>(HUB_CONFIG);
  const openapi = new DocumentBuilder()
    .setTitle('gridfed hub')
    .setDescription('Member clusters, grids with per-NodeUnit state, and queue depth')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openapi), {
    jsonDocumentUrl: 'api/openapi.json',
  });
  mountQueueBoard(app, app.get(DistributionService).distributor, config.BULL_BOARD_READ_ONLY);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  app.get(Logger).log(`gridfed hub listening on ${config.HTTP_HOST}:${config.HTTP_PORT}`);
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`gridfed hub failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
