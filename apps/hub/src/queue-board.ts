// bull-board (the queue UI BullMQ users know) at /queues, read-only unless
// BULL_BOARD_READ_ONLY=false. Member queues come and go at run time, so the board's
// list is refreshed from the distributor rather than declared statically.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import type { Distributor } from '#gridfed/distribution';

export const QUEUE_BOARD_PATH = '/queues';

export function mountQueueBoard(app: INestApplication, distributor: Distributor, readOnly: boolean): () => void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  const board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: 'gridfed queues' } } });
  app.use(QUEUE_BOARD_PATH, serverAdapter.getRouter());
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
  const timer = setInterval(refresh, 2000);
  timer.unref();
  return () => clearInterval(timer);
}
