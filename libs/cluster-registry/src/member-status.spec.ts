import { describe, expect, it } from '@jest/globals';
import { unreachableReason } from './member-status.js';

describe('unreachableReason', () => {
  it('tells rejected credentials apart and says how to heal them', () => {
    const r = unreachableReason('member-2', 'Unauthorized (HTTP 401)');
    expect(r.reason).toBe('CredentialsRejected');
    expect(r.message).toContain('gridfed register member-2');
    expect(r.message).toContain('Unauthorized (HTTP 401)');
  });

  it('tells a refused request apart', () => {
    expect(unreachableReason('m', 'forbidden (HTTP 403)').reason).toBe('Forbidden');
  });

  it('keeps what a failed probe said otherwise', () => {
    expect(unreachableReason('m', 'connect ECONNREFUSED 127.0.0.1:1')).toEqual({
      reason: 'ProbeFailed',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});
