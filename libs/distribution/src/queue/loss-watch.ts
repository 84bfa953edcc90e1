// Redis here keeps nothing on disk: a restarted redis-server, or a restarted Redis Cluster
// node, comes back empty, and a FLUSHALL empties it too. Nothing tells a client that its
// keys are gone (the connections just reconnect), so a token is kept beside them: when
// it is missing, or another client already set it anew, they went with it.
import { randomUUID } from 'node:crypto';
import type { RedisConnection } from './redis-connections.js';

export class LossWatch {
  private token: string | undefined;

  /**
   * @param key where the token lives: next to the keys watched, in their hash tag on a
   *   Redis Cluster (`gridfed:{state}:epoch`), so that it is lost exactly when they are.
   */
  constructor(
    private readonly redis: RedisConnection,
    readonly key: string,
  ) {}

  /**
   * True when the keys were lost since the last call (never on the first call); every
   * client watching the same key sees the loss once. Rejects while Redis is away.
   */
  async lost(): Promise<boolean> {
    await this.redis.set(this.key, randomUUID(), 'NX');
    const token = (await this.redis.get(this.key)) ?? undefined;
    const lost = this.token !== undefined && token !== this.token;
    this.token = token;
    return lost;
  }
}
