// Events on grids for what a user must see (invalid spec, conflicts, cleanup), through
// the shared EventRecorder (once per interval per message).
import { GRID_API_VERSION, type GridRef } from '#gridfed/grid-api';
import { EventRecorder, type EventRecorderOptions, type EventType } from '#gridfed/kube';

export interface GridEventsOptions extends EventRecorderOptions {
  uidOf: (ref: GridRef) => string | undefined;
}

export class GridEvents {
  private readonly recorder: EventRecorder;

  constructor(private readonly opts: GridEventsOptions) {
    this.recorder = new EventRecorder(opts);
  }

  report(ref: GridRef, type: EventType, reason: string, message: string): void {
    const uid = this.opts.uidOf(ref);
    this.recorder.report(
      {
        apiVersion: GRID_API_VERSION,
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        ...(uid ? { uid } : {}),
      },
      type,
      reason,
      message,
    );
  }
}
