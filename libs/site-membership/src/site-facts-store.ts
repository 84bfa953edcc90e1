// The site facts each member's owner publishes (libs/sites MemberSiteFacts), shared through
// Redis as the member reports are, so any hub replica can write a NodeUnit's status. Work in
// flight: the owner publishes them again after every reconcile of its member.
import type { Cluster, Redis } from 'ioredis';
import type { MemberSiteFacts } from '#gridfed/sites';

export class SiteFactsStore {
  /** Per member what was published last (by this replica): unchanged facts are not sent again. */
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly redis: Redis | Cluster,
    /** `gridfed:{state}`: the hash tag keeps it in the slot of the other shared state. */
    private readonly prefix: string,
  ) {}

  private get key(): string {
    return `${this.prefix}:sites`;
  }

  /** True when the facts changed since this replica last published them. */
  async publish(facts: MemberSiteFacts): Promise<boolean> {
    const json = JSON.stringify(facts);
    if (this.sent.get(facts.member) === json) return false;
    await this.redis.hset(this.key, facts.member, json);
    this.sent.set(facts.member, json);
    return true;
  }

  /** Sends them again next time: they may have been lost (Redis restarted empty, or another replica took the member and gave it back). */
  forget(member?: string): void {
    if (member === undefined) this.sent.clear();
    else this.sent.delete(member);
  }

  /** The members whose facts are stored. */
  async members(): Promise<string[]> {
    return this.redis.hkeys(this.key);
  }

  /** Deletes a member's facts (it was unregistered). */
  async remove(member: string): Promise<void> {
    await this.redis.hdel(this.key, member);
    this.sent.delete(member);
  }

  async all(): Promise<Map<string, MemberSiteFacts>> {
    const raw = await this.redis.hgetall(this.key);
    return new Map(Object.entries(raw).map(([member, json]) => [member, JSON.parse(json) as MemberSiteFacts]));
  }
}
