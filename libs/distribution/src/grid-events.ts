// Events on grids for what a user must see (invalid spec, conflicts, cleanup), without
// flooding: the same message on the same grid is recorded once per interval.
import { GRID_API_VERSION, gridKey, type GridRef } from '#gridfed/grid-api';
import { describeError, type KubeClients } from '#gridfed/kube';

export interface GridEventsOptions {
  control: KubeClients;
  /** Reporting component shown by `kubectl describe`. */
  component: string;
  repeatAfterMs?: number;
  log: (level: 'info' | 'warn', message: string) => void;
  uidOf: (ref: GridRef) => string | undefined;
}

export class GridEvents {
  private readonly recent = new Map<string, number>();

  constructor(private readonly opts: GridEventsOptions) {}

  report(ref: GridRef, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const id = `${gridKey(ref)}|${reason}|${message}`;
    const now = Date.now();
    const last = this.recent.get(id);
    if (last !== undefined && now - last < (this.opts.repeatAfterMs ?? 10 * 60_000)) return;
    this.recent.set(id, now);
    this.prune(now);
    this.opts.log(type === 'Warning' ? 'warn' : 'info', `${gridKey(ref)}: ${reason}: ${message}`);
    void this.create(ref, type, reason, message);
  }

  private async create(ref: GridRef, type: string, reason: string, message: string): Promise<void> {
    const time = new Date();
    try {
      await this.opts.control.core.createNamespacedEvent({
        namespace: ref.namespace,
        body: {
          metadata: { generateName: `${ref.name}.`, namespace: ref.namespace },
          involvedObject: {
            apiVersion: GRID_API_VERSION,
            kind: ref.kind,
            namespace: ref.namespace,
            name: ref.name,
            uid: this.opts.uidOf(ref),
          },
          type,
          reason,
          message: message.slice(0, 1024),
          source: { component: this.opts.component },
          firstTimestamp: time,
          lastTimestamp: time,
          count: 1,
          reportingComponent: this.opts.component,
          reportingInstance: this.opts.component,
        },
      });
    } catch (err) {
      this.opts.log('warn', `event on ${gridKey(ref)} not recorded: ${describeError(err)}`);
    }
  }

  private prune(now: number): void {
    if (this.recent.size < 10_000) return;
    for (const [id, at] of this.recent) if (now - at > (this.opts.repeatAfterMs ?? 10 * 60_000)) this.recent.delete(id);
  }
}
