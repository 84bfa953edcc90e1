// What each member's owner publishes for every hub replica to read, in one shape: one Redis
// hash per subject (a grid, a SiteConfig, or none), one JSON field per member. The member
// reports, the member facts, the site facts and the SiteConfig copy outcomes all use it.
// Work in flight, like the queues: owners publish again after a loss.
import type { Cluster, Redis } from 'ioredis';

export class PerMemberStore<T> {
  /** `subject NUL member` -> the JSON this replica wrote last: unchanged values are not sent again. */
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly redis: Redis | Cluster,
    /** The key of the hash (subject ''), or the prefix of one hash per subject; keep the hash tag in it (`gridfed:{state}:...`). */
    private readonly prefix: string,
  ) {}

  private key(subject: string): string {
    return subject === '' ? this.prefix : `${this.prefix}:${subject}`;
  }

  /** Writes every entry (one pipeline: they stay in the prefix's slot). */
  async put(entries: { subject: string; member: string; value: T }[]): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const e of entries) pipeline.hset(this.key(e.subject), e.member, JSON.stringify(e.value));
    await execOrThrow(pipeline.exec());
  }

  /** Writes `value` unless this replica wrote the same last; true when it was written. */
  async putIfChanged(subject: string, member: string, value: T): Promise<boolean> {
    const json = JSON.stringify(value);
    const id = `${subject}\u0000${member}`;
    if (this.sent.get(id) === json) return false;
    await this.redis.hset(this.key(subject), member, json);
    this.sent.set(id, json);
    return true;
  }

  /** putIfChanged sends everything (of `member`) again: Redis may have lost it, or another replica wrote since. */
  forget(member?: string): void {
    if (member === undefined) this.sent.clear();
    else for (const id of this.sent.keys()) if (id.endsWith(`\u0000${member}`)) this.sent.delete(id);
  }

  /** Every member's value for `subject`, by member. */
  async of(subject = ''): Promise<Map<string, T>> {
    const raw = await this.redis.hgetall(this.key(subject));
    return new Map(Object.entries(raw).map(([member, json]) => [member, JSON.parse(json) as T]));
  }

  /** One member's values for the given subjects, by subject (those it has). */
  async ofMember(member: string, subjects: string[]): Promise<Map<string, T>> {
    if (subjects.length === 0) return new Map();
    const pipeline = this.redis.pipeline();
    for (const subject of subjects) pipeline.hget(this.key(subject), member);
    const results = await execOrThrow(pipeline.exec());
    return new Map(
      subjects.flatMap((s, i) => (typeof results[i] === 'string' ? [[s, JSON.parse(results[i]) as T]] : [])),
    );
  }

  async dropSubject(subject = ''): Promise<void> {
    await this.redis.del(this.key(subject));
    for (const id of this.sent.keys()) if (id.startsWith(`${subject}\u0000`)) this.sent.delete(id);
  }

  /** Forgets a member in the given subjects (one that is no longer registered). */
  async dropMember(member: string, subjects: string[] = ['']): Promise<void> {
    if (subjects.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const subject of subjects) pipeline.hdel(this.key(subject), member);
    await execOrThrow(pipeline.exec());
    this.forget(member);
  }
}

type PipelineResult = [Error | null, unknown][] | null;

async function execOrThrow(run: Promise<PipelineResult>): Promise<unknown[]> {
  const results = (await run) ?? [];
  const failed = results.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
  return results.map(([, value]) => value);
}
