// The Redis connections behind the queues, made here rather than by BullMQ so that
// gridfed sets their options and can always drop them, even mid-outage.
import { Redis, type RedisOptions } from 'ioredis';
import { settlesBefore } from './deadline.js';

/**
 * Producers (Queue.add, counts, pause): fail fast while Redis is away instead of
 * buffering commands without bound; the caller logs, and the resync re-enqueues.
 */
export function producerConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { enableOfflineQueue: false, connectionName: 'gridfed-producer' });
}

/**
 * One worker's connection. BullMQ uses it for the worker's ordinary commands and
 * duplicates it for the blocking fetch; both are tracked here so that a worker
 * abandoned at a shutdown deadline can be cut off at once, whatever state it is in.
 */
export class WorkerConnection extends Redis {
  private readonly copies: { disconnect(): void }[] = [];

  constructor(redisUrl: string, connectionName: string) {
    // Blocking commands must wait for Redis however long it is away. Not lazyConnect:
    // BullMQ would call connect() itself, and a first attempt during an outage would
    // leave the worker failed for good instead of waiting for Redis.
    super(redisUrl, { maxRetriesPerRequest: null, connectionName });
  }

  override duplicate<Override extends Partial<RedisOptions> | undefined = undefined>(override?: Override) {
    const copy = super.duplicate(override);
    this.copies.push(copy);
    return copy;
  }

  /** Drops this connection and every copy made of it, without waiting for Redis. */
  disconnectAll(): void {
    for (const connection of [this, ...this.copies]) connection.disconnect();
  }
}

/** QUIT when Redis answers in time, otherwise just drop the socket. */
export async function closeConnection(connection: Redis, deadline: number): Promise<void> {
  if (connection.status === 'ready') await settlesBefore(connection.quit(), deadline);
  connection.disconnect();
}
