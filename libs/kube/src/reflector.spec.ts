import { describe, expect, it } from '@jest/globals';
import { missedDeletions, objectKey, stalledMessage, watchEnd, withoutManagedFields } from './reflector.js';

describe('reflector helpers', () => {
  it('keys namespaced objects by namespace/name and cluster-scoped ones by name', () => {
    expect(objectKey({ metadata: { namespace: 'default', name: 'web' } })).toBe('default/web');
    expect(objectKey({ metadata: { name: 'node-1' } })).toBe('node-1');
  });

  it('drops managedFields and keeps everything else', () => {
    const obj = { metadata: { name: 'web', labels: { a: 'b' }, managedFields: [{ manager: 'gridfed' }] } };
    expect(withoutManagedFields(obj)).toEqual({ metadata: { name: 'web', labels: { a: 'b' } } });
  });

  it('finds the objects a relist no longer holds: deletions missed while the watch was gone', () => {
    const cached = new Map([
      ['ns/kept', 'v1'],
      ['ns/deleted-meanwhile', 'v1'],
      ['ns/also-deleted', 'v3'],
    ]);
    const listed = new Map([
      ['ns/kept', 'v2'],
      ['ns/created-meanwhile', 'v1'],
    ]);
    expect(missedDeletions(cached, listed)).toEqual([
      ['ns/deleted-meanwhile', 'v1'],
      ['ns/also-deleted', 'v3'],
    ]);
    expect(missedDeletions(listed, listed)).toEqual([]);
    expect(missedDeletions(new Map<string, string>(), listed)).toEqual([]);
  });
});

describe('why a watch ended', () => {
  const running = { gone: false, stopped: false };
  // What client-node's Watch hands its done callback when its inactivity timer fires.
  const timedOut = new DOMException('The operation was aborted due to timeout', 'TimeoutError');

  it('calls a watch silent past the inactivity deadline stalled, not a normal end', () => {
    expect(watchEnd(timedOut, running)).toBe('stalled');
  });

  it('calls our own abort, a clean close and anything after stop() a normal end', () => {
    expect(watchEnd(new DOMException('This operation was aborted', 'AbortError'), running)).toBe('ended');
    expect(watchEnd(null, running)).toBe('ended');
    expect(watchEnd(timedOut, { gone: false, stopped: true })).toBe('ended');
  });

  it('puts 410 Gone first, and calls anything else a failure', () => {
    expect(watchEnd(null, { gone: true, stopped: false })).toBe('gone');
    expect(
      watchEnd(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), running),
    ).toBe('failed');
  });

  it('says how long the watch was silent and where it resumes', () => {
    expect(stalledMessage(90_000, '4711')).toBe(
      'watch silent for 90 s (no event, no bookmark): stalled; watching again from resourceVersion 4711',
    );
    expect(stalledMessage(10_000, undefined)).toContain('watching again from a fresh list');
  });
});
