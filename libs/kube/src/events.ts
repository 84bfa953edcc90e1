// Events for what a user must see (`kubectl describe` shows them under the object),
// without flooding: the same message on the same object is recorded once per interval.
// Cluster-scoped objects (MemberClusters) get theirs in the "default" namespace, as
// Kubernetes does for Nodes.
import { describeError } from './errors.js';
import type { KubeClients } from './clients.js';

/** The object an Event is about. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  /** Absent for a cluster-scoped object. */
  namespace?: string;
  name: string;
  uid?: string;
}

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  control: KubeClients;
  /** Reporting component shown by `kubectl describe`. */
  component: string;
  repeatAfterMs?: number;
  log: (level: 'info' | 'warn', message: string) => void;
}

const DEFAULT_REPEAT_MS = 10 * 60_000;

export class EventRecorder {
  private readonly recent = new Map<string, number>();

  constructor(private readonly opts: EventRecorderOptions) {}

  /** Records the Event unless the same one was recorded on the same object within the interval. */
  report(subject: EventSubject, type: EventType, reason: string, message: string): void {
    const id = `${subject.kind}|${subject.namespace ?? ''}|${subject.name}|${reason}|${message}`;
    const now = Date.now();
    const last = this.recent.get(id);
    if (last !== undefined && now - last < this.repeatMs) return;
    this.recent.set(id, now);
    this.prune(now);
    this.opts.log(type === 'Warning' ? 'warn' : 'info', `${describeSubject(subject)}: ${reason}: ${message}`);
    void this.create(subject, type, reason, message);
  }

  private get repeatMs(): number {
    return this.opts.repeatAfterMs ?? DEFAULT_REPEAT_MS;
  }

  private async create(subject: EventSubject, type: EventType, reason: string, message: string): Promise<void> {
    const time = new Date();
    const namespace = subject.namespace ?? 'default';
    try {
      await this.opts.control.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { generateName: `${subject.name}.`, namespace },
          involvedObject: {
            apiVersion: subject.apiVersion,
            kind: subject.kind,
            ...(subject.namespace ? { namespace: subject.namespace } : {}),
            name: subject.name,
            uid: subject.uid,
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
      this.opts.log('warn', `event on ${describeSubject(subject)} not recorded: ${describeError(err)}`);
    }
  }

  private prune(now: number): void {
    if (this.recent.size < 10_000) return;
    for (const [id, at] of this.recent) if (now - at > this.repeatMs) this.recent.delete(id);
  }
}

function describeSubject(s: EventSubject): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}
