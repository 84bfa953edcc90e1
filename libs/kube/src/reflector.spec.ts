import { describe, expect, it } from '@jest/globals';
import { objectKey, withoutManagedFields } from './reflector.js';

describe('reflector helpers', () => {
  it('keys namespaced objects by namespace/name and cluster-scoped ones by name', () => {
    expect(objectKey({ metadata: { namespace: 'default', name: 'web' } })).toBe('default/web');
    expect(objectKey({ metadata: { name: 'node-1' } })).toBe('node-1');
  });

  it('drops managedFields and keeps everything else', () => {
    const obj = { metadata: { name: 'web', labels: { a: 'b' }, managedFields: [{ manager: 'gridfed' }] } };
    expect(withoutManagedFields(obj)).toEqual({ metadata: { name: 'web', labels: { a: 'b' } } });
  });
});
