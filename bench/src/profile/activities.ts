// What the hub was doing in a profile sample, told from the whole stack (not only its
// leaf): the first rule any frame on the stack matches. Work that resumes after an
// `await` has lost its caller's frames, so a response parsed by client-node counts as
// "client-node request/response", not as the member sync that sent the request.
import type { CallFrame } from './cpu-profile.js';

interface ActivityRule {
  activity: string;
  test: (frame: CallFrame) => boolean;
}

const inFile =
  (...parts: string[]) =>
  ({ url }: CallFrame): boolean =>
    parts.some((p) => url.includes(p));

const ACTIVITY_RULES: ActivityRule[] = [
  { activity: 'GC', test: (f) => f.functionName === '(garbage collector)' },
  {
    activity: 'watches (client-node Watch, reflector, handlers)',
    test: inFile('/@kubernetes/client-node/dist/watch.js', '/libs/kube/src/reflector.js'),
  },
  { activity: 'grid status reconciler (libs/status)', test: inFile('/libs/status/') },
  {
    activity: 'member reports (publish to Redis)',
    test: inFile('/libs/distribution/src/report-publisher.js', '/libs/distribution/src/member-reports.js'),
  },
  { activity: 'BullMQ add (enqueue a job)', test: (f) => f.functionName === 'addJob' && inFile('/bullmq/')(f) },
  {
    activity: 'member sync (desired state, plan, apply request)',
    test: inFile('/libs/distribution/src/member-sync.js'),
  },
  { activity: 'BullMQ worker (take, lock, finish jobs)', test: inFile('/bullmq/') },
  { activity: 'client-node request/response (after an await)', test: inFile('/@kubernetes/client-node/') },
  { activity: 'undici (sockets, response bodies, watch streams)', test: inFile('/undici/') },
  { activity: 'ioredis (commands, replies)', test: inFile('/ioredis/') },
];

/** The activity of a sample whose stack is `stack` (any order). */
export function activityOf(stack: readonly CallFrame[]): string {
  for (const rule of ACTIVITY_RULES) if (stack.some(rule.test)) return rule.activity;
  return 'other';
}
