import { describe, expect, it } from '@jest/globals';
import { memberLeaseName, replicaLeaseName } from './lease-names.js';

describe('Lease names', () => {
  it('keep plain names readable', () => {
    expect(memberLeaseName('member-1')).toBe('gridfed-member-member-1');
    expect(replicaLeaseName('gridfed-hub-7d9f-x2')).toBe('gridfed-hub-gridfed-hub-7d9f-x2');
  });

  it('stay valid and distinct for names a Lease cannot carry as they are', () => {
    const long = memberLeaseName('m'.repeat(253));
    expect(long.length).toBeLessThanOrEqual(253);
    expect(long).toMatch(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/);
    expect(replicaLeaseName('Hub_A')).not.toBe(replicaLeaseName('hub-a'));
    expect(replicaLeaseName('Hub_A')).toMatch(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/);
  });
});
