import { describe, expect, it } from '@jest/globals';
import { ApiException } from '@kubernetes/client-node';
import { describeError } from './errors.js';

describe('describeError', () => {
  it('says what an answer without a Status body was, not the response headers', () => {
    const err = new ApiException(401, 'Unauthorized', undefined, { 'audit-id': 'x' });
    expect(describeError(err)).toBe('Unauthorized (HTTP 401)');
  });

  it("keeps the apiserver's Status message", () => {
    const err = new ApiException(403, 'Forbidden', { message: 'deployments is forbidden' }, {});
    expect(describeError(err)).toBe('deployments is forbidden (HTTP 403)');
  });
});
