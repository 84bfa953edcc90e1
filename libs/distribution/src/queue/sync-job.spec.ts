import { describe, expect, it } from '@jest/globals';
import { deduplicationId, isSyncJobData, queuePrefix, syncJobOptions, syncQueueName } from './sync-job.js';

describe('syncQueueName', () => {
  it('names the queue after the member cluster', () => {
    expect(syncQueueName('member-1')).toBe('sync-member-1');
    expect(syncQueueName('edge.example.com')).toBe('sync-edge.example.com');
  });

  it('rejects names BullMQ cannot use, naming the cluster', () => {
    expect(() => syncQueueName('a:b')).toThrow('member cluster "a:b": a queue name cannot contain \':\'');
    expect(() => syncQueueName('')).toThrow('member cluster name is empty');
  });
});

describe('queuePrefix', () => {
  it('hash-tags each queue with its own name under gridfed', () => {
    expect(queuePrefix('sync-member-1')).toBe('gridfed:{sync-member-1}');
    expect(queuePrefix('grid-lifecycle')).toBe('gridfed:{grid-lifecycle}');
  });

  it('rejects an empty queue name (an empty hash tag would not keep the keys together)', () => {
    expect(() => queuePrefix('')).toThrow('queue name is empty');
  });
});

describe('deduplicationId', () => {
  it('keeps ordinary grid keys readable', () => {
    expect(deduplicationId('DeploymentGrid/default/web')).toBe('DeploymentGrid/default/web');
  });

  it('escapes the Redis key separator and the escape character, one to one', () => {
    expect(deduplicationId('a:b')).toBe('a%3Ab');
    expect(deduplicationId('a%3Ab')).toBe('a%253Ab');
    expect(deduplicationId('a:b')).not.toBe(deduplicationId('a%3Ab'));
  });

  it('rejects an empty key', () => {
    expect(() => deduplicationId('')).toThrow('grid key is empty');
  });
});

describe('isSyncJobData', () => {
  it('accepts exactly a non-empty grid key', () => {
    expect(isSyncJobData({ grid: 'ServiceGrid/ns/svc' })).toBe(true);
    expect(isSyncJobData({ grid: '' })).toBe(false);
    expect(isSyncJobData({ grid: 3 })).toBe(false);
    expect(isSyncJobData(null)).toBe(false);
    expect(isSyncJobData('DeploymentGrid/default/web')).toBe(false);
  });
});

describe('syncJobOptions', () => {
  it('retries with jittered exponential backoff and bounds the history', () => {
    expect(syncJobOptions({ attempts: 5, backoffMs: 200, jitter: 0.5 })).toEqual({
      attempts: 5,
      backoff: { type: 'exponential', delay: 200, jitter: 0.5 },
      removeOnComplete: { count: 100, age: 3600 },
      removeOnFail: { count: 1000, age: 86400 },
    });
  });

  it('rejects settings that would never run or never back off', () => {
    expect(() => syncJobOptions({ attempts: 0, backoffMs: 200, jitter: 0 })).toThrow(
      'attempts must be a whole number >= 1, got 0',
    );
    expect(() => syncJobOptions({ attempts: 1.5, backoffMs: 200, jitter: 0 })).toThrow('attempts');
    expect(() => syncJobOptions({ attempts: 3, backoffMs: 0, jitter: 0 })).toThrow('backoffMs must be > 0, got 0');
    expect(() => syncJobOptions({ attempts: 3, backoffMs: 10, jitter: 1.5 })).toThrow(
      'jitter must be within 0..1, got 1.5',
    );
  });
});
