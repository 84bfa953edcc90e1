// While Redis is down every connection reports the same error on every reconnect
// attempt; one line per message per window says as much without drowning the log.

export class ThrottledLog {
  private readonly seen = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly emit: (message: string) => void,
    private readonly windowMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  log(message: string): void {
    const at = this.now();
    const last = this.seen.get(message);
    if (last && at - last.at < this.windowMs) {
      last.suppressed += 1;
      return;
    }
    const repeats = last?.suppressed
      ? ` (${last.suppressed} more like this in the last ${Math.round((at - last.at) / 1000)} s)`
      : '';
    this.seen.set(message, { at, suppressed: 0 });
    this.forgetOld(at);
    this.emit(message + repeats);
  }

  /** Keeps the map small: messages not seen for a window need no memory. */
  private forgetOld(at: number): void {
    if (this.seen.size <= 100) return;
    for (const [message, entry] of this.seen) {
      if (at - entry.at >= this.windowMs) this.seen.delete(message);
    }
  }
}
