// bull-board (the queue UI BullMQ users know) at /queues, read-only unless
// BULL_BOARD_READ_ONLY=false. Member queues come and go at run time, so the board's
// list is refreshed from the distributor rather than declared statically.
//
// The board's Express sub-app is mounted at start, so /queues sits where it always did,
// behind the access check; @bull-board/api (about 3 MiB resident) is loaded and the
// board built only when /queues is first asked for, and only then the refresh starts.
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { Distributor } from '#gridfed/distribution';
import { lazyOnce } from './lazy-once.js';

export const QUEUE_BOARD_PATH = '/queues';
const REFRESH_MS = 2000;

export function mountQueueBoard(app: INestApplication, distributor: Distributor, readOnly: boolean): () => void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  const router = serverAdapter.getRouter() as { use(handler: Middleware): void };
  let timer: NodeJS.Timeout | undefined;
  const build = lazyOnce(async () => {
    timer = await buildBoard(serverAdapter, distributor, readOnly);
  });
  // First in the sub-app: the board's own routes are added behind it by the first request.
  router.use((_req, _res, next) => {
    build().then(() => next(), next);
  });
  app.use(QUEUE_BOARD_PATH, serverAdapter.getRouter());
  return () => clearInterval(timer);
}

type Middleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

/** Creates the board on `serverAdapter` and keeps its queue list in step with the distributor. */
async function buildBoard(
  serverAdapter: ExpressAdapter,
  distributor: Distributor,
  readOnly: boolean,
): Promise<NodeJS.Timeout> {
  const [{ createBullBoard }, { BullMQAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
  ]);
  const board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: 'gridfed queues' } } });
  let shown = '';
  const refresh = (): void => {
    const queues = distributor.queues.queues();
    const names = queues
      .map((q) => q.name)
      .sort()
      .join(',');
    if (names === shown) return;
    shown = names;
    board.replaceQueues(queues.map((q) => new BullMQAdapter(q, { readOnlyMode: readOnly })));
  };
  refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  timer.unref();
  return timer;
}
