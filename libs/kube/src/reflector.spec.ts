import { describe, expect, it } from '@jest/globals';
import { missedDeletions, objectKey, withoutManagedFields } from './reflector.js';

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
