// A BullMQ Worker that can be given up on. `close()` waits for active jobs with no
// limit; at a shutdown deadline the hub must leave anyway, and a job it leaves
// behind is re-run by the next hub once its lock expires (stalled-job recovery).
import { Worker } from 'bullmq';
import type { WorkerConnection } from './redis-connections.js';

export class SyncWorker<Data> extends Worker<Data, void> {
  /** Asks running jobs to stop (their AbortSignal), stops lock renewal and drops the connections. */
  async abandon(connection: WorkerConnection, reason: string): Promise<void> {
    this.cancelAllJobs(reason);
    // Not awaited: pausing without waiting for active jobs only stops the fetch loop
    // and the stalled-job timer, which would otherwise keep the process alive.
    void this.pause(true).catch(() => undefined);
    await this.lockManager.close();
    connection.disconnectAll();
  }
}
