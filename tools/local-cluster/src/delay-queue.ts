// The schedule of one direction of a slow link: each chunk is due `latencyMs` after it
// arrived, never before the chunk ahead of it (a byte stream keeps its order even when
// the latency drops while chunks are in flight). Pure: the caller says what time it is.

export class DelayQueue<T> {
  private readonly items: { due: number; item: T }[] = [];
  private lastDue = 0;

  push(now: number, latencyMs: number, item: T): void {
    const due = Math.max(now + latencyMs, this.lastDue);
    this.lastDue = due;
    this.items.push({ due, item });
  }

  /** Removes and returns, in order, every item due at `now`. */
  takeDue(now: number): T[] {
    let n = 0;
    while (n < this.items.length && this.items[n]!.due <= now) n++;
    return this.items.splice(0, n).map((e) => e.item);
  }

  /** When the next item is due; undefined when empty. */
  nextDue(): number | undefined {
    return this.items[0]?.due;
  }

  get length(): number {
    return this.items.length;
  }
}
