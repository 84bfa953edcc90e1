// Latency statistics: nearest-rank percentiles over a run's samples.

export interface LatencySummary {
  /** Samples that completed. */
  samples: number;
  /** Samples that did not complete before their deadline (not in the percentiles). */
  timeouts: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/**
 * The nearest-rank percentile `p` (0 < p <= 100) of `values`: the smallest value with at
 * least p% of the values at or below it. With few samples p99 is simply the maximum.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} is outside (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarizeLatencies(samplesMs: readonly number[], timeouts = 0): LatencySummary {
  const at = (p: number): number | null => (samplesMs.length === 0 ? null : round(percentile(samplesMs, p)));
  return {
    samples: samplesMs.length,
    timeouts,
    p50Ms: at(50),
    p95Ms: at(95),
    p99Ms: at(99),
    maxMs: at(100),
  };
}

/** Objects per second, or null when no time passed. */
export function ratePerSecond(count: number, seconds: number): number | null {
  return seconds > 0 ? round(count / seconds) : null;
}

/** Rounds to `digits` decimals (1 by default): figures, not noise. */
export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
