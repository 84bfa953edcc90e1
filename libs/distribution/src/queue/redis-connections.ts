// The Redis connections behind the queues, made here rather than by BullMQ so that
// gridfed sets their options and can always drop them, even mid-outage. REDIS_URL
// names one redis-server or a Redis Cluster (redis-url.ts); either way callers get
// an ioredis client with the same commands and events.
import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';
import { settlesBefore } from './deadline.js';
import { parseRedisUrl, type ClusterRedisTarget } from './redis-url.js';

/** One redis-server or a Redis Cluster. */
export type RedisConnection = Redis | Cluster;

/**
 * Producers (Queue.add, counts, pause): fail fast while Redis is away instead of
 * buffering commands without bound; the caller logs, and the resync re-enqueues.
 */
export function producerConnection(redisUrl: string): RedisConnection {
  const target = parseRedisUrl(redisUrl);
  const connectionName = 'gridfed-producer';
  // No producer command blocks: one that has not been answered in this long went to a
  // connection that will not answer, and fails (logged, sent again) instead of hanging
  // the enqueue, and with it every later sync of that grid, without a word.
  const commandTimeout = PRODUCER_COMMAND_TIMEOUT_MS;
  if (target.kind === 'single')
    return new Redis(target.url, { enableOfflineQueue: false, connectionName, commandTimeout });
  return new Cluster(target.seeds, {
    enableOfflineQueue: false,
    redisOptions: { ...nodeOptions(target, connectionName), commandTimeout },
  });
}

/** Far above any answer of a live Redis to a producer's command (an add, a count, a pause). */
export const PRODUCER_COMMAND_TIMEOUT_MS = 10_000;

/**
 * One worker's connection. BullMQ uses it for the worker's ordinary commands and
 * duplicates it for the blocking fetch; both are tracked so that a worker abandoned
 * at a shutdown deadline can be cut off at once (`disconnectAll`), whatever state it is in.
 */
export type WorkerConnection = WorkerRedis | WorkerCluster;

export function workerConnection(redisUrl: string, connectionName: string): WorkerConnection {
  const target = parseRedisUrl(redisUrl);
  // Blocking commands must wait for Redis however long it is away. Not lazyConnect:
  // BullMQ would call connect() itself, and a first attempt during an outage would
  // leave the worker failed for good instead of waiting for Redis.
  if (target.kind === 'single') return new WorkerRedis(target.url, { maxRetriesPerRequest: null, connectionName });
  return new WorkerCluster(target.seeds, nodeOptions(target, connectionName));
}

class WorkerRedis extends Redis {
  private readonly copies: { disconnect(): void }[] = [];

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

class WorkerCluster extends Cluster {
  private readonly copies: { disconnect(): void }[] = [];

  constructor(seeds: ClusterNode[], redisOptions: NodeOptions) {
    super(seeds, { redisOptions: { ...redisOptions, maxRetriesPerRequest: null } });
    connectSettlesWhenReady(this);
  }

  override duplicate<Override extends Parameters<Cluster['duplicate']>[1] = undefined>(
    startupNodes?: ClusterNode[],
    override?: Override,
  ) {
    const copy = super.duplicate(startupNodes, override);
    connectSettlesWhenReady(copy); // BullMQ's blocking connection is such a copy
    this.copies.push(copy);
    return copy;
  }

  /** Drops this connection (every node's) and every copy made of it, without waiting for Redis. */
  disconnectAll(): void {
    for (const connection of [this, ...this.copies]) connection.disconnect();
  }
}

/**
 * ioredis leaves a Cluster's connect() pending for good when the cluster drops again
 * between its slot refresh and its ready check (a node restarting): it reconnects on
 * its own timer and never settles that call. BullMQ awaits connect() when it resets a
 * worker's blocking connection, so the worker would stop taking jobs for good while
 * looking healthy. Here connect() also settles at the cluster's next `ready` or `end`.
 */
function connectSettlesWhenReady(cluster: Cluster): void {
  const connect = cluster.connect.bind(cluster);
  cluster.connect = () =>
    new Promise<void>((resolve, reject) => {
      const settle = (finish: () => void) => () => {
        cluster.off('ready', onReady);
        cluster.off('end', onEnd);
        finish();
      };
      const onReady = settle(resolve);
      const onEnd = settle(() => reject(new Error('Connection is closed.')));
      cluster.once('ready', onReady);
      cluster.once('end', onEnd);
      connect().then(onReady, (err: unknown) => settle(() => reject(err))());
    });
}

type NodeOptions = Pick<RedisOptions, 'connectionName' | 'username' | 'password' | 'tls'>;

/** What every node connection of a cluster client gets: the URL's credentials and TLS. */
function nodeOptions(target: ClusterRedisTarget, connectionName: string): NodeOptions {
  return {
    connectionName,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.tls ? { tls: {} } : {}),
  };
}

/** QUIT when Redis answers in time, otherwise just drop the socket. */
export async function closeConnection(connection: RedisConnection, deadline: number): Promise<void> {
  if (connection.status === 'ready') await settlesBefore(connection.quit(), deadline);
  connection.disconnect();
}
