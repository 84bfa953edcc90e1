// The rollout's decisions, pure: from the grid's strategy, its current revision, the
// rollout status it last wrote and what the NodeUnits run now, the next rollout status
// (which NodeUnits run which revision), the Events to record and when to look again.
// The lifecycle reconciler writes the result; the member sync renders each NodeUnit at
// the revision it says (assignment.ts). Run again with the same inputs, it decides the
// same: a hub that restarts mid-wave continues where the status says it was.
import type { MovedNodeUnit, RolloutPhase, RolloutStatus, RolloutStrategy } from '#gridfed/grid-api';
import { maxUnavailableOf, strategyOf, type Strategy } from './strategy.js';
import { waveTargets } from './waves.js';

/** One NodeUnit as the member caches show it now. */
export interface NodeUnitView {
  name: string;
  /** A member hosting it is unreachable (or not listed yet): it neither counts as healthy nor blocks. */
  pending: boolean;
  /** The revision its member objects carry, when all of them carry the same. */
  revision?: string;
  /** Since when every one of its member objects has been ready at that revision. */
  readySince?: Date;
  /** Since when all its member objects have carried that revision (the apply landed). */
  revisionSince?: Date;
  /**
   * Its member's controllers have not acted on the revision's spec yet (a member back
   * from an outage, whose controllers are still reconnecting): not the release's fault.
   */
  behind?: boolean;
  /** Since when its member's controllers have acted on every one of its objects at that revision. */
  caughtUpSince?: Date;
}

export interface RolloutInput {
  strategy: RolloutStrategy | undefined;
  /** The revision of the grid's templates now. */
  updateRevision: string;
  generation?: number;
  previous: RolloutStatus | undefined;
  /** Every NodeUnit of the grid, in any order. */
  nodeUnits: NodeUnitView[];
  /** The grid's `gridfed.io/rollout-retry` annotation. */
  retry?: string;
  /**
   * Without an earlier rollout status: the revision the NodeUnits run now (when it is not
   * the templates' own), which the first decision keeps as stable.
   */
  observedStable?: string;
  now: Date;
}

export interface RolloutEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface RolloutDecision {
  status: RolloutStatus;
  events: RolloutEvent[];
  /** Look again then (a minReadySeconds or a deadline falls due), even if nothing changes. */
  requeueAfterMs?: number;
  /** A wave finished (its duration, for metrics). */
  waveDoneMs?: number;
}

export function planRollout(input: RolloutInput): RolloutDecision {
  const strategy = strategyOf(input.strategy);
  const run = new Run(input, strategy);
  run.follow();
  return run.result();
}

/** One decision in the making. */
class Run {
  status: RolloutStatus;
  readonly events: RolloutEvent[] = [];
  private wake: number | undefined;
  private waveDoneMs: number | undefined;
  private readonly now: string;
  private readonly units: Map<string, NodeUnitView>;

  constructor(
    private readonly input: RolloutInput,
    private readonly strategy: Strategy,
  ) {
    this.now = input.now.toISOString();
    this.units = new Map(input.nodeUnits.map((u) => [u.name, u]));
    this.status = { ...input.previous, moved: pickPresent(input.previous?.moved, this.units) };
  }

  follow(): void {
    this.startOrRetry();
    this.markAway();
    const s = this.status;
    // Everything at once: nothing is kept back, every NodeUnit renders the templates as they are.
    if (this.strategy.type === 'All') {
      s.stableRevision = s.updateRevision;
      s.moved = {};
      delete s.failedRevision;
    }
    if (s.stableRevision === s.updateRevision) return this.settle();
    if (s.phase === 'RolledBack' || s.phase === 'Failed') return this.hold();
    if (this.strategy.paused) return this.pause();
    if (this.failIfOverdue()) return;
    this.advance();
  }

  result(): RolloutDecision {
    const s = this.status;
    s.observedGeneration = this.input.generation;
    if (Object.keys(s.moved ?? {}).length === 0) delete s.moved;
    return {
      status: dropUndefined(s),
      events: this.events,
      ...(this.wake === undefined ? {} : { requeueAfterMs: Math.max(0, this.wake - this.input.now.getTime()) }),
      ...(this.waveDoneMs === undefined ? {} : { waveDoneMs: this.waveDoneMs }),
    };
  }

  /** A new revision of the templates, or the user asked to try a failed one again. */
  private startOrRetry(): void {
    const { updateRevision: update, previous, retry } = this.input;
    const s = this.status;
    if (!previous?.updateRevision) {
      // The first decision: what the NodeUnits run is stable; with nothing older, the templates are.
      const stable = this.input.observedStable ?? update;
      this.status = { stableRevision: stable, updateRevision: update, phase: 'Progressing', startedAt: this.now };
      if (stable !== update) {
        Object.assign(this.status, { moved: {}, wave: 1, waveStartedAt: this.now });
        this.event('Normal', 'RolloutStarted', `rolling out revision ${update} (stable: ${stable})`);
      }
      return;
    }
    if (previous.updateRevision !== update) {
      const stable = previous.stableRevision ?? previous.updateRevision;
      // Mid-rollout NodeUnits keep the revision they run until their wave moves them on.
      const moved = previous.phase === 'RolledBack' ? {} : (s.moved ?? {});
      this.status = {
        stableRevision: stable,
        updateRevision: update,
        phase: 'Progressing',
        moved: update === stable ? {} : moved,
        startedAt: this.now,
        ...(previous.observedRetry === undefined ? {} : { observedRetry: previous.observedRetry }),
      };
      if (this.strategy.type === 'Progressive' && update !== stable) {
        this.status.wave = 1;
        this.status.waveStartedAt = this.now;
        this.event('Normal', 'RolloutStarted', `rolling out revision ${update} (stable: ${stable})`);
      }
      return;
    }
    if (retry !== undefined && retry !== previous.observedRetry) {
      s.observedRetry = retry;
      if (s.phase === 'RolledBack' || s.phase === 'Failed') {
        if (s.phase === 'RolledBack') s.moved = {};
        Object.assign(s, { phase: 'Progressing', wave: 1, startedAt: this.now, waveStartedAt: this.now });
        delete s.failedRevision;
        delete s.message;
        this.event('Normal', 'RolloutRetried', `trying revision ${s.updateRevision} again`);
      }
    }
  }

  /**
   * A moved NodeUnit's deadline does not run while its member is away: marked away when
   * seen pending, it gets a fresh start when it is back (a write at each change only).
   */
  private markAway(): void {
    const moved = this.status.moved ?? {};
    for (const [name, entry] of Object.entries(moved)) {
      const pending = this.units.get(name)?.pending ?? false;
      if (pending && !entry.away) moved[name] = { ...entry, away: true };
      if (!pending && entry.away) moved[name] = { revision: entry.revision, since: this.now };
    }
  }

  /** Every NodeUnit renders the one revision: complete once each is healthy there. */
  private settle(): void {
    const s = this.status;
    const rev = s.updateRevision ?? '';
    const units = [...this.units.values()].filter((u) => !u.pending);
    const done = units.every((u) => this.healthy(u, rev));
    const pending = this.units.size - units.length;
    const message = pending
      ? `every reachable NodeUnit runs revision ${rev}; ${pending} pending until their member is back`
      : `every NodeUnit runs revision ${rev}`;
    if (done && s.phase !== 'Complete') this.event('Normal', 'RolloutComplete', message);
    this.setPhase(done ? 'Complete' : 'Progressing', done ? message : `moving every NodeUnit to revision ${rev}`);
    delete s.wave;
    delete s.waves;
    delete s.waveStartedAt;
  }

  private hold(): void {
    // A failure holds until the templates change or a retry; a rollback renders stable everywhere.
    if (this.status.phase === 'RolledBack') this.status.moved = {};
  }

  private pause(): void {
    const s = this.status;
    if (s.phase !== 'Paused') this.event('Normal', 'RolloutPaused', `paused at wave ${s.wave ?? 1}`);
    this.setPhase('Paused', `paused by spec.rolloutStrategy.paused at wave ${s.wave ?? 1}`);
  }

  /**
   * A NodeUnit that runs the update revision and is still not healthy past the deadline
   * fails the rollout. The deadline counts from the latest of its move, its objects
   * carrying the revision, and its member's controllers acting on them: a hub slow to
   * apply (a restart, a queue held up) or a member whose controllers are still
   * reconnecting after an outage does not fail a release that is fine.
   */
  private failIfOverdue(): boolean {
    const s = this.status;
    const update = s.updateRevision ?? '';
    const deadlineMs = this.strategy.progressDeadlineSeconds * 1000;
    for (const [name, moved] of Object.entries(s.moved ?? {})) {
      const unit = this.units.get(name);
      if (moved.revision !== update || !unit || unit.pending || this.healthy(unit, update)) continue;
      // Not applied yet, or not acted on by its member: its deadline has not started.
      if (unit.revision !== update || unit.behind) continue;
      const started = Math.max(
        Date.parse(moved.since),
        unit.revisionSince?.getTime() ?? 0,
        unit.caughtUpSince?.getTime() ?? 0,
      );
      const due = started + deadlineMs;
      if (due > this.input.now.getTime()) {
        this.wakeAt(due);
        continue;
      }
      const why = `revision ${update} failed: NodeUnit ${name} not healthy within ${this.strategy.progressDeadlineSeconds}s`;
      s.failedRevision = update;
      if (this.strategy.onFailure === 'Rollback') {
        s.moved = {};
        this.setPhase('RolledBack', `${why}; rolled back to revision ${s.stableRevision ?? '?'}`);
        this.event('Warning', 'RolloutRolledBack', s.message ?? why);
      } else {
        this.setPhase('Failed', `${why}; paused where it is (onFailure: Pause)`);
        this.event('Warning', 'RolloutFailed', s.message ?? why);
      }
      return true;
    }
    return false;
  }

  /**
   * Finishes the waves whose NodeUnits are all healthy, then moves NodeUnits of the
   * current wave. A NodeUnit whose member is unreachable neither blocks a wave nor moves:
   * it moves (within the budget) once its member is back, and the rollout completes then.
   */
  private advance(): void {
    const s = this.status;
    const update = s.updateRevision ?? '';
    const targets = waveTargets(this.strategy, [...this.units.keys()]);
    const waves = Math.max(1, targets.length);
    let wave = Math.min(Math.max(s.wave ?? 1, 1), waves);
    const onUpdate = (name: string): boolean => s.moved?.[name]?.revision === update;
    const settled = (name: string): boolean => {
      const unit = this.units.get(name);
      return unit === undefined || unit.pending || (onUpdate(name) && this.healthy(unit, update));
    };
    while (wave < waves && (targets[wave - 1] ?? []).every(settled)) {
      this.waveDoneMs = this.input.now.getTime() - Date.parse(s.waveStartedAt ?? s.startedAt ?? this.now);
      wave += 1;
      s.waveStartedAt = this.now;
      this.event('Normal', 'WaveStarted', `wave ${wave}/${waves} of revision ${update}`);
    }
    const last = targets[waves - 1] ?? [];
    if (wave === waves && last.every((name) => onUpdate(name) && settled(name))) {
      this.waveDoneMs = this.input.now.getTime() - Date.parse(s.waveStartedAt ?? s.startedAt ?? this.now);
      s.stableRevision = update;
      s.moved = {};
      return this.settle();
    }
    s.wave = wave;
    s.waves = waves;
    this.move(targets[wave - 1] ?? [], update);
    const waiting = last.filter((name) => this.units.get(name)?.pending && !onUpdate(name));
    const pendingNote = waiting.length
      ? `; ${waiting.length} pending until their member is back (${waiting.join(', ')})`
      : '';
    const behind = [...this.units.values()]
      .filter((u) => !u.pending && u.behind && onUpdate(u.name))
      .map((u) => u.name);
    const behindNote = behind.length
      ? `; ${behind.length} waiting for their member's controllers to act (${behind.join(', ')})`
      : '';
    this.setPhase(
      'Progressing',
      `wave ${wave}/${waves}: moving NodeUnits to revision ${update}${pendingNote}${behindNote}`,
    );
  }

  /** Moves the wave's next NodeUnits while fewer than maxUnavailable are updating and not healthy. */
  private move(target: string[], update: string): void {
    const s = this.status;
    const moved: Record<string, MovedNodeUnit> = { ...s.moved };
    const unavailable = Object.entries(moved).filter(([name, m]) => {
      const unit = this.units.get(name);
      return m.revision !== s.stableRevision && unit !== undefined && !unit.pending && !this.healthy(unit, m.revision);
    }).length;
    let budget = maxUnavailableOf(this.strategy, this.units.size) - unavailable;
    for (const name of target) {
      if (budget <= 0) break;
      if (moved[name]?.revision === update || (this.units.get(name)?.pending ?? true)) continue;
      budget -= 1;
      moved[name] = { revision: update, since: this.now };
      this.wakeAt(this.input.now.getTime() + this.strategy.progressDeadlineSeconds * 1000);
    }
    s.moved = moved;
  }

  /** Healthy at `revision`: its member objects carry it and have been ready for minReadySeconds. */
  private healthy(unit: NodeUnitView, revision: string | undefined): boolean {
    if (unit.pending || unit.revision !== revision || !unit.readySince) return false;
    const due = unit.readySince.getTime() + this.strategy.minReadySeconds * 1000;
    if (due <= this.input.now.getTime()) return true;
    this.wakeAt(due);
    return false;
  }

  private setPhase(phase: RolloutPhase, message?: string): void {
    this.status.phase = phase;
    if (message === undefined) delete this.status.message;
    else this.status.message = message;
  }

  private wakeAt(at: number): void {
    this.wake = this.wake === undefined ? at : Math.min(this.wake, at);
  }

  private event(type: RolloutEvent['type'], reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }
}

/** `moved` without NodeUnits that no longer exist. */
function pickPresent(
  moved: Record<string, MovedNodeUnit> | undefined,
  units: Map<string, NodeUnitView>,
): Record<string, MovedNodeUnit> {
  return Object.fromEntries(Object.entries(moved ?? {}).filter(([name]) => units.has(name)));
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
