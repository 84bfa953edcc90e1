// At the end of each hub e2e file: one stderr line when the hub's members or queues are not
// as a settled hub leaves them (a member unreachable, a queue paused or with work waiting),
// so a CI log whose tests failed also says where the hub's work stood.
interface QueueRow {
  member: string;
  waiting: number;
  active: number;
  delayed: number;
  paused: boolean;
}
interface ClusterRow {
  name: string;
  reachable: boolean;
}

export async function noteHubState(name: string, hubUrl: string, headers: Record<string, string> = {}): Promise<void> {
  const get = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${hubUrl}${path}`, { headers, signal: AbortSignal.timeout(5000) })).json()) as T;
  const [queues, clusters] = await Promise.all([get<QueueRow[]>('/api/queues'), get<ClusterRow[]>('/api/clusters')]);
  const odd = [
    ...clusters.filter((c) => !c.reachable).map((c) => `${c.name} unreachable`),
    ...queues
      .filter((q) => q.paused || q.waiting > 0 || q.delayed > 0)
      .map((q) => `${q.member} queue ${q.paused ? 'paused' : 'running'}, ${q.waiting} waiting, ${q.delayed} delayed`),
  ];
  if (odd.length > 0) process.stderr.write(`hub ${name} at the end of its file: ${odd.join('; ')}\n`);
}
