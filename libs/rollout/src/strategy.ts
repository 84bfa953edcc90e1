// spec.rolloutStrategy with its defaults (the CRD applies the same ones; a grid read
// from elsewhere, or without the field, gets them here).
import { parseMaxUnavailable, type RolloutStrategy, type RolloutWave } from '#gridfed/grid-api';

export interface Strategy {
  type: 'All' | 'Progressive';
  waves: RolloutWave[];
  maxUnavailable: { count: number } | { percent: number };
  minReadySeconds: number;
  progressDeadlineSeconds: number;
  paused: boolean;
  onFailure: 'Rollback' | 'Pause';
  revisionHistoryLimit: number;
}

export function strategyOf(spec: RolloutStrategy | undefined): Strategy {
  return {
    type: spec?.type ?? 'All',
    waves: spec?.waves ?? [],
    maxUnavailable: parseMaxUnavailable(spec?.maxUnavailableNodeUnits ?? 1) ?? { count: 1 },
    minReadySeconds: spec?.minReadySeconds ?? 0,
    progressDeadlineSeconds: spec?.progressDeadlineSeconds ?? 600,
    paused: spec?.paused ?? false,
    onFailure: spec?.onFailure ?? 'Rollback',
    revisionHistoryLimit: spec?.revisionHistoryLimit ?? 10,
  };
}

/** NodeUnits that may be updating and not yet healthy at once: a percentage rounds down, never below 1. */
export function maxUnavailableOf(strategy: Strategy, total: number): number {
  const m = strategy.maxUnavailable;
  return 'count' in m ? m.count : Math.max(1, Math.floor((m.percent * total) / 100));
}
