// Mounts the access check on the hub's HTTP server, before every route, as HTTP_AUTH says.
import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AccessReviewer, EVERYTHING } from '#gridfed/access';
import type { KubeClients } from '#gridfed/kube';
import type { HubConfig } from '../config.js';
import type { HubMetrics } from '../metrics.js';
import { accessMiddleware } from './access.middleware.js';
import { setRequestPermissions } from './request-permissions.js';

export function mountAccessControl(
  app: INestApplication,
  config: HubConfig,
  control: KubeClients,
  metrics: HubMetrics,
): void {
  const log = app.get(Logger);
  if (config.HTTP_AUTH === 'none') {
    log.warn(
      `HTTP_AUTH=none: no authentication; the API, dashboard, /queues and /metrics answer anyone who reaches ${config.HTTP_HOST}:${config.HTTP_PORT} (allowed on loopback only)`,
      'access',
    );
    app.use((req: IncomingMessage, _res: unknown, next: () => void) => {
      setRequestPermissions(req, EVERYTHING);
      next();
    });
    return;
  }
  const reviewer = new AccessReviewer(control.kc, {
    cacheTtlMs: config.HTTP_AUTH_CACHE_SECONDS * 1000,
    timeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
    observe: (r) => metrics.observeRequest(r),
  });
  log.log(
    'HTTP_AUTH=kubernetes: requests need a bearer token, checked by TokenReview and SubjectAccessReview in the control cluster',
    'access',
  );
  app.use(
    accessMiddleware({
      reviewer,
      queueBoardReadOnly: config.BULL_BOARD_READ_ONLY,
      warn: (message) => log.warn(message, 'access'),
    }),
  );
}
