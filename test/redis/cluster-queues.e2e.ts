// ClusterQueues against a real redis-server of its own (scripts/redis.sh): the
// per-member queues coalesce, retry, pause, stay apart, shut down on time and
// survive a flushed or restarted Redis.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ClusterQueues,
  queuePrefix,
  syncQueueName,
  type ClusterQueuesOptions,
  type SyncJobInfo,
  type SyncProcessor,
} from '#gridfed/distribution';
import { eventually } from '../cluster/jest/eventually.js';
import { startRedis, type RedisServer } from './redis-server.js';

interface Call {
  cluster: string;
  key: string;
  job: SyncJobInfo;
  at: number;
}

/** A promise opened from outside: a job that runs until the test says so. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** A processor that records every call and then does `then` (default: succeed). */
function recorder(then: (call: Call) => Promise<void> = async () => undefined): {
  calls: Call[];
  processor: SyncProcessor;
} {
  const calls: Call[] = [];
  const processor: SyncProcessor = async (cluster, key, job) => {
    const call = { cluster, key, job, at: Date.now() };
    calls.push(call);
    await then(call);
  };
  return { calls, processor };
}

let redis: RedisServer;
let admin: Redis;
const open: ClusterQueues[] = [];
const rawQueues: Queue[] = [];
let logs: { warn: string[]; error: string[] };
let serial = 0;

/** A cluster name no other test uses, so leftovers in Redis never cross tests. */
const clusterName = (base: string): string => `${base}-${++serial}`;

function newQueues(overrides: Partial<ClusterQueuesOptions> = {}): ClusterQueues {
  const queues = new ClusterQueues({
    redisUrl: redis.url,
    concurrency: 2,
    attempts: 3,
    backoffMs: 100,
    logger: { warn: (m) => logs.warn.push(m), error: (m) => logs.error.push(m) },
    ...overrides,
  });
  open.push(queues);
  return queues;
}

/** The cluster's queue as another process sees it, bypassing ClusterQueues. */
function rawQueue(cluster: string): Queue {
  const queue = new Queue(syncQueueName(cluster), { connection: admin, prefix: queuePrefix(syncQueueName(cluster)) });
  rawQueues.push(queue);
  return queue;
}

// Jest takes testTimeout from the root config only, not from the e2e project's.
jest.setTimeout(60_000);

beforeAll(async () => {
  redis = await startRedis(); // may first install redis-server with apt-get
  admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
}, 600_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((q) => q.close(2000)));
  await Promise.all(rawQueues.splice(0).map((q) => q.close()));
});

afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});

beforeEach(() => {
  logs = { warn: [], error: [] };
});

describe('ClusterQueues on a real Redis', () => {
  it('runs a job with its cluster and grid key, and the job holds nothing but the key', async () => {
    const queues = newQueues();
    const cluster = clusterName('member');
    const { calls, processor } = recorder();
    await queues.addCluster(cluster, processor);
    await queues.enqueue(cluster, 'DeploymentGrid/default/web');

    await eventually(async () => expect(calls).toHaveLength(1), 10_000, 50);
    expect(calls[0]).toMatchObject({ cluster, key: 'DeploymentGrid/default/web', job: { attemptsMade: 0 } });
    expect(calls[0]?.job.id).toEqual(expect.any(String));
    expect(queues.queues().map((q) => q.name)).toEqual([`sync-${cluster}`]);
    const [job] = await rawQueue(cluster).getJobs(['completed']);
    expect(job?.data).toEqual({ grid: 'DeploymentGrid/default/web' });
    expect(await admin.exists(`gridfed:{sync-${cluster}}:sync-${cluster}:meta`)).toBe(1);
  });

  it('coalesces 20 adds of a key while it runs into exactly one more run after it', async () => {
    const queues = newQueues();
    const cluster = clusterName('burst');
    const first = gate();
    const started = gate();
    const { calls, processor } = recorder(async (call) => {
      if (call === calls[0]) {
        started.open();
        await first.wait;
      }
    });
    await queues.addCluster(cluster, processor);
    await queues.enqueue(cluster, 'DeploymentGrid/default/web');
    await started.wait;

    await Promise.all(Array.from({ length: 20 }, () => queues.enqueue(cluster, 'DeploymentGrid/default/web')));
    expect(await queues.depth(cluster)).toMatchObject({ active: 1, waiting: 0 });
    await sleep(300);
    expect(calls).toHaveLength(1); // never two runs of one key at once
    const releasedAt = Date.now();
    first.open();

    await eventually(async () => expect(calls).toHaveLength(2), 10_000, 50);
    expect(calls[1]?.key).toBe('DeploymentGrid/default/web');
    expect(calls[1]?.at).toBeGreaterThanOrEqual(releasedAt);
    await sleep(700);
    expect(calls).toHaveLength(2);
  });

  it('drops adds of a key that is already waiting, and runs every distinct key once', async () => {
    const queues = newQueues({ concurrency: 3 });
    const cluster = clusterName('keys');
    const { calls, processor } = recorder();
    await queues.addCluster(cluster, processor);
    await queues.pause(cluster);
    const keys = Array.from({ length: 10 }, (_, i) => `DeploymentGrid/ns-${i}/app`);
    for (const key of [...keys, ...keys]) await queues.enqueue(cluster, key);
    expect(await queues.depth(cluster)).toMatchObject({ waiting: 10, paused: true });
    await queues.resume(cluster);

    await eventually(async () => expect(calls).toHaveLength(10), 10_000, 50);
    await sleep(500);
    expect(calls.map((c) => c.key).sort()).toEqual([...keys].sort());
  });

  it('retries a failing sync with growing, jittered delays and then gives up', async () => {
    const queues = newQueues({ attempts: 4, backoffMs: 200, jitter: 0.2 });
    const cluster = clusterName('failing');
    const { calls, processor } = recorder(async () => {
      throw new Error('member unreachable');
    });
    await queues.addCluster(cluster, processor);
    await queues.enqueue(cluster, 'StatefulSetGrid/default/db');

    await eventually(async () => expect(calls).toHaveLength(4), 15_000, 50);
    await sleep(2500); // a fifth run would have come after 1280-1600 ms
    expect(calls).toHaveLength(4);
    expect(calls.map((c) => c.job.attemptsMade)).toEqual([0, 1, 2, 3]);
    const gaps = calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0));
    // Exponential with 20 % jitter: 160-200, 320-400, 640-800 ms, plus BullMQ's
    // scheduling slack. Each lower bound is above the previous delay's highest value.
    [160, 320, 640].forEach((least, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(least - 5);
      expect(gaps[i]).toBeLessThan(least * 1.25 + 300);
    });
    expect(await queues.depth(cluster)).toMatchObject({ failed: 1, waiting: 0, delayed: 0, active: 0 });
    await eventually(async () =>
      expect(logs.warn).toContainEqual(
        `member ${cluster}: sync of StatefulSetGrid/default/db gave up after 4 attempts: member unreachable`,
      ),
    );
  });

  it('holds jobs while a cluster is paused and runs them on resume', async () => {
    const queues = newQueues();
    const cluster = clusterName('paused');
    const { calls, processor } = recorder();
    await queues.addCluster(cluster, processor);
    await queues.pause(cluster);
    for (const name of ['a', 'b', 'c']) await queues.enqueue(cluster, `ServiceGrid/default/${name}`);

    await sleep(1000);
    expect(calls).toHaveLength(0);
    expect(await queues.depth(cluster)).toEqual({ waiting: 3, active: 0, delayed: 0, failed: 0, paused: true });

    await queues.resume(cluster);
    await eventually(async () => expect(calls).toHaveLength(3), 10_000, 50);
    expect(await queues.depth(cluster)).toMatchObject({ waiting: 0, paused: false });
  });

  it('resumes a queue paused behind its back, and pauses again one that was resumed behind its back', async () => {
    const queues = newQueues();
    const running = clusterName('unpaused');
    const held = clusterName('repaused');
    const ran = recorder();
    const waited = recorder();
    await queues.addCluster(running, ran.processor);
    await queues.addCluster(held, waited.processor);
    await queues.pause(held);
    await rawQueue(running).pause();
    await rawQueue(held).resume();
    await queues.enqueue(running, 'DeploymentGrid/default/web');
    // The next look (every 5 s) puts both back as gridfed wants them.
    await eventually(async () => expect(ran.calls).toHaveLength(1), 15_000, 100);
    expect(logs.warn.join('\n')).toContain(`queue sync-${running} was paused in Redis while gridfed wants it running`);
    await eventually(async () => expect(await queues.depth(held)).toMatchObject({ paused: true }), 15_000, 100);
    await queues.enqueue(held, 'DeploymentGrid/default/web');
    await sleep(700);
    expect(waited.calls).toHaveLength(0);
  });

  it('keeps clusters apart: a cluster whose sync hangs delays no other cluster', async () => {
    const queues = newQueues({ concurrency: 1 });
    const slow = clusterName('slow');
    const fast = clusterName('fast');
    const hang = gate();
    const hanging = recorder(() => hang.wait);
    const quick = recorder();
    await queues.addCluster(slow, hanging.processor);
    await queues.addCluster(fast, quick.processor);
    try {
      await queues.enqueue(slow, 'DeploymentGrid/default/one');
      await queues.enqueue(slow, 'DeploymentGrid/default/two');
      await eventually(async () => expect(hanging.calls).toHaveLength(1), 10_000, 50);
      await sleep(2000); // the slow cluster has been stuck for seconds

      const sent = Date.now();
      const keys = Array.from({ length: 5 }, (_, i) => `DeploymentGrid/default/app-${i}`);
      for (const key of keys) await queues.enqueue(fast, key);
      await eventually(async () => expect(quick.calls).toHaveLength(5), 3000, 20);
      expect(Math.max(...quick.calls.map((c) => c.at)) - sent).toBeLessThan(1500);
      // ...while the slow cluster is still stuck on its first job.
      expect(hanging.calls).toHaveLength(1);
      expect(await queues.depth(slow)).toMatchObject({ active: 1, waiting: 1 });
    } finally {
      hang.open();
    }
    await eventually(async () => expect(hanging.calls).toHaveLength(2), 10_000, 50);
  });

  it('close() lets a running job finish when it can', async () => {
    const queues = newQueues();
    const cluster = clusterName('graceful');
    let finished = false;
    const { calls, processor } = recorder(async () => {
      await sleep(500);
      finished = true;
    });
    await queues.addCluster(cluster, processor);
    await queues.enqueue(cluster, 'DeploymentGrid/default/web');
    await eventually(async () => expect(calls).toHaveLength(1), 10_000, 20);

    const started = Date.now();
    await queues.close(10_000);
    expect(finished).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await rawQueue(cluster).getJobCounts('completed', 'active')).toEqual({ completed: 1, active: 0 });
    await expect(queues.enqueue(cluster, 'DeploymentGrid/default/web')).rejects.toThrow(
      `sync queues are closed: member cluster ${cluster} takes no work`,
    );
  });

  it('close() returns at its deadline even when a job hangs, and tells the job', async () => {
    const queues = newQueues();
    const cluster = clusterName('hung');
    const { calls, processor } = recorder(() => new Promise<void>(() => undefined));
    await queues.addCluster(cluster, processor);
    await queues.enqueue(cluster, 'DeploymentGrid/default/web');
    await eventually(async () => expect(calls).toHaveLength(1), 10_000, 20);

    const started = Date.now();
    await queues.close(1000);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(2000);
    expect(calls[0]?.job.signal?.aborted).toBe(true);
    expect(logs.warn.some((m) => m.startsWith(`member ${cluster}: jobs still running at the shutdown deadline`))).toBe(
      true,
    );
    // Still active in Redis: once its lock expires, the next hub's worker runs it again.
    expect(await rawQueue(cluster).getJobCounts('active')).toEqual({ active: 1 });
  });

  it('takes and runs new work after FLUSHALL, and a paused cluster stays paused', async () => {
    const queues = newQueues();
    const cluster = clusterName('flushed');
    const held = clusterName('held');
    const running = recorder();
    const waiting = recorder();
    await queues.addCluster(cluster, running.processor);
    await queues.addCluster(held, waiting.processor);
    await queues.pause(held);
    await queues.enqueue(cluster, 'DeploymentGrid/default/web');
    await eventually(async () => expect(running.calls).toHaveLength(1), 10_000, 50);

    await admin.flushall();
    expect(await admin.dbsize()).toBe(0);
    await queues.enqueue(cluster, 'DeploymentGrid/default/web');
    await queues.enqueue(held, 'DeploymentGrid/default/web');
    await eventually(async () => expect(running.calls).toHaveLength(2), 10_000, 50);
    await sleep(700);
    expect(waiting.calls).toHaveLength(0);
    expect(await queues.depth(held)).toMatchObject({ waiting: 1, paused: true });

    await queues.resume(held);
    await eventually(async () => expect(waiting.calls).toHaveLength(1), 10_000, 50);
  });

  it('removeCluster stops its worker, keeps its jobs unless drained', async () => {
    const queues = newQueues();
    const cluster = clusterName('removed');
    const { calls, processor } = recorder();
    await queues.addCluster(cluster, processor);
    await queues.enqueue(cluster, 'DeploymentGrid/default/web');
    await eventually(async () => expect(calls).toHaveLength(1), 10_000, 50);

    await queues.removeCluster(cluster);
    expect(queues.clusters()).not.toContain(cluster);
    await expect(queues.enqueue(cluster, 'DeploymentGrid/default/web')).rejects.toThrow(
      `member cluster ${cluster} has no sync queue (not added, or removed)`,
    );
    await rawQueue(cluster).add('sync', { grid: 'DeploymentGrid/default/other' });
    await sleep(1000);
    expect(calls).toHaveLength(1);

    await queues.addCluster(cluster, processor); // back again: the kept job runs
    await eventually(async () => expect(calls).toHaveLength(2), 10_000, 50);
    expect(calls[1]?.key).toBe('DeploymentGrid/default/other');

    await queues.removeCluster(cluster, { drain: true });
    expect(await admin.keys(`gridfed:{sync-${cluster}}:*`)).toEqual([]);
  });

  it('gives up on a Redis that never answers, and still closes at once', async () => {
    const queues = newQueues({ redisUrl: 'redis://127.0.0.1:1', connectTimeoutMs: 300 });
    const cluster = clusterName('nowhere');
    await queues.addCluster(cluster, recorder().processor);
    const asked = Date.now();
    await expect(queues.enqueue(cluster, 'DeploymentGrid/default/web')).rejects.toThrow(
      'Redis did not answer within 300 ms',
    );
    await expect(queues.depth(cluster)).rejects.toThrow('Redis did not answer within 300 ms');
    expect(Date.now() - asked).toBeLessThan(2000);
    expect(logs.error.some((m) => m.includes('ECONNREFUSED'))).toBe(true);
    const closing = Date.now();
    await queues.close(5000);
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it('logs a Redis outage instead of throwing it away, fails fast during it, and works again after', async () => {
    const queues = newQueues();
    const cluster = clusterName('outage');
    const held = clusterName('held');
    const late = clusterName('late');
    const { calls, processor } = recorder();
    await queues.addCluster(cluster, processor);
    await queues.addCluster(held, processor);
    await queues.pause(held);
    await queues.enqueue(cluster, 'DeploymentGrid/default/web');
    await eventually(async () => expect(calls).toHaveLength(1), 10_000, 50);

    await redis.kill();
    try {
      const asked = Date.now();
      await expect(queues.enqueue(cluster, 'DeploymentGrid/default/down')).rejects.toThrow('Redis is unreachable');
      await expect(queues.ping()).rejects.toThrow('Redis is unreachable');
      await queues.addCluster(late, processor); // a member registered during the outage
      await expect(queues.depth(late)).rejects.toThrow('Redis is unreachable');
      expect(Date.now() - asked).toBeLessThan(1000);
      await sleep(6000); // longer than the worker's drainDelay (5 s): bullmq#4585
      expect(logs.error.length).toBeGreaterThan(0);
      expect(logs.error.length).toBeLessThan(20); // one line per message per window, not one per retry
      expect(logs.error.some((m) => m.startsWith(`member ${cluster}: `) && m.includes('ECONNREFUSED'))).toBe(true);
    } finally {
      await redis.start();
    }

    await eventually(() => queues.ping(), 15_000, 100);
    // The restarted Redis is empty; the pause gridfed asked for is applied again.
    await eventually(async () => expect(await queues.depth(held)).toMatchObject({ paused: true }), 5000, 100);
    await eventually(() => queues.enqueue(cluster, 'DeploymentGrid/default/back'), 15_000, 100);
    await queues.enqueue(late, 'DeploymentGrid/default/late');
    await eventually(
      async () =>
        expect(calls.map((c) => c.key)).toEqual(
          expect.arrayContaining(['DeploymentGrid/default/back', 'DeploymentGrid/default/late']),
        ),
      20_000,
      100,
    );
    expect(calls.filter((c) => c.cluster === held)).toEqual([]);
  });
});
