// A small cache of recent answers: bounded in size, each entry kept for a fixed time.
// The dashboard polls every two seconds; without it every poll would cost a TokenReview
// and several SubjectAccessReviews. Values are promises, so concurrent requests with the
// same key share one review in flight; a rejected one is forgotten at once.

export interface ExpiringCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** Milliseconds now (tests pass their own clock). */
  now?: () => number;
}

export class ExpiringCache<V> {
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly options: ExpiringCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached answer for `key`, else `load()`'s, remembered for ttlMs. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    this.entries.delete(key);
    const value = load();
    this.entries.set(key, { value, expires: now + this.options.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    this.evict(now);
    return value;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && entry.expires > now) break;
      this.entries.delete(key);
    }
  }
}
