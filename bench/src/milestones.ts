// The three moments both the direct loop (the floor) and the hub are timed to, from
// the same start (the first apply or create), so the hub/floor ratios compare like
// with like. Pure.
import { round } from './stats.js';

export interface Milestones {
  /** Floor: the apply loop returned. Hub: every member object seen with the desired spec. */
  appliedSeconds: number;
  /** Every member workload seen by a watch in its member; null when the deadline passed first. */
  existsSeconds: number | null;
  /** Every member workload ready by gridfed's one definition (memberObjectReady); null: deadline passed. */
  readySeconds: number | null;
}

export type Milestone = 'applied' | 'exists' | 'ready';
export const MILESTONES: readonly Milestone[] = ['applied', 'exists', 'ready'];

export type MilestoneRatios = Record<Milestone, number | null>;

export function secondsAt(m: Milestones, milestone: Milestone): number | null {
  if (milestone === 'applied') return m.appliedSeconds;
  return milestone === 'exists' ? m.existsSeconds : m.readySeconds;
}

/** hub / floor to two decimals; null when either side has no time or the floor took none. */
export function ratio(hubSeconds: number | null, floorSeconds: number | null): number | null {
  if (hubSeconds === null || floorSeconds === null || floorSeconds <= 0) return null;
  return round(hubSeconds / floorSeconds, 2);
}

export function milestoneRatios(hub: Milestones, floor: Milestones): MilestoneRatios {
  const at = (m: Milestone): number | null => ratio(secondsAt(hub, m), secondsAt(floor, m));
  return { applied: at('applied'), exists: at('exists'), ready: at('ready') };
}

const earlier = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/** The floor is the best any client did: each milestone from whichever direct loop reached it first. */
export function fastestMilestones(a: Milestones, b: Milestones): Milestones {
  return {
    appliedSeconds: Math.min(a.appliedSeconds, b.appliedSeconds),
    existsSeconds: earlier(a.existsSeconds, b.existsSeconds),
    readySeconds: earlier(a.readySeconds, b.readySeconds),
  };
}

/** A note for each moment a side did not reach before the deadline: its ratio is n/a. */
export function unreachedNotes(sides: Record<string, Milestones>, timeoutSeconds: number): string[] {
  const notes: string[] = [];
  for (const [side, m] of Object.entries(sides)) {
    if (m.existsSeconds === null) notes.push(`${side}: not every member workload existed within ${timeoutSeconds} s`);
    if (m.readySeconds === null) notes.push(`${side}: not every member workload was ready within ${timeoutSeconds} s`);
  }
  return notes;
}
