// Which replicas are live, judged the way client-go's leader election judges a Lease:
// by when this replica last SAW the holder renew it (its local clock only), so clocks
// that differ between nodes cannot make a live replica look dead. The Lease's own
// renewTime is read only to skip Leases left long ago by replicas that are gone, and only
// until this replica has seen the Lease renewed: a writer whose clock is minutes off is
// still live as long as it keeps renewing.

export interface ObservedLease {
  replica: string;
  /** spec.renewTime, in ms since the epoch (the writer's clock). */
  renewTimeMs: number | undefined;
  durationMs: number;
  /** Local time at which this replica first saw that renewTime. */
  observedAtMs: number;
  /** This replica saw the renewTime change (a renewal it watched), not only one value. */
  seenRenewing?: boolean;
}

/** renewTime older than this many lease durations (by our clock) is a Lease left by a replica long gone. */
const STALE_AFTER_DURATIONS = 2;

export function isLive(lease: ObservedLease, nowMs: number): boolean {
  if (lease.renewTimeMs === undefined) return false;
  if (nowMs >= lease.observedAtMs + lease.durationMs) return false;
  if (lease.seenRenewing) return true;
  return nowMs < lease.renewTimeMs + STALE_AFTER_DURATIONS * lease.durationMs;
}

/** When a live lease lapses unless renewed: the moment to look again. */
export function lapsesAt(lease: ObservedLease): number {
  return lease.observedAtMs + lease.durationMs;
}
