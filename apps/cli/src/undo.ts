// What a failed `register` must take back: each object this run created (and only those)
// is recorded with how to delete it, and undone newest first.
import { describeError } from '#gridfed/kube';

interface UndoStep {
  /** `member-1: ClusterRole gridfed:hub`. */
  what: string;
  run: () => Promise<void>;
}

export interface UndoReport {
  undone: string[];
  /** `what: why` for each object that could not be removed: the user must. */
  failed: string[];
}

export class UndoLog {
  private readonly steps: UndoStep[] = [];

  record(what: string, run: () => Promise<void>): void {
    this.steps.push({ what, run });
  }

  get size(): number {
    return this.steps.length;
  }

  /** Undoes every recorded step, newest first; one failure does not stop the others. */
  async undoAll(): Promise<UndoReport> {
    const report: UndoReport = { undone: [], failed: [] };
    for (const { what, run } of this.steps.splice(0).reverse()) {
      try {
        await run();
        report.undone.push(what);
      } catch (err) {
        report.failed.push(`${what}: ${describeError(err)}`);
      }
    }
    return report;
  }
}
