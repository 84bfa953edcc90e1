import { describe, expect, it } from '@jest/globals';
import { ApiException } from '@kubernetes/client-node';
import { describeError, statusCodeOf, withContext } from './errors.js';

describe('describeError', () => {
  it('says what an answer without a Status body was, not the response headers', () => {
    const err = new ApiException(401, 'Unauthorized', undefined, { 'audit-id': 'x' });
    expect(describeError(err)).toBe('Unauthorized (HTTP 401)');
  });

  it("keeps the apiserver's Status message", () => {
    const err = new ApiException(403, 'Forbidden', { message: 'deployments is forbidden' }, {});
    expect(describeError(err)).toBe('deployments is forbidden (HTTP 403)');
  });

  it('describes a wrapped error once, never with the headers and body its cause dumps', () => {
    const status = { message: 'Deployment.apps "web-zone1" is invalid: spec.template.annotations: Too long' };
    const api = new ApiException(422, 'HTTP-Code: 422\nBody: {...}\nHeaders: {"audit-id":"x"}', status, {
      'audit-id': 'x',
    });
    const wrapped = withContext('member-1: apply Deployment edge/web-zone1', api);
    expect(describeError(wrapped)).toBe(
      'member-1: apply Deployment edge/web-zone1: Deployment.apps "web-zone1" is invalid: spec.template.annotations: Too long (HTTP 422)',
    );
    expect(describeError(withContext('outer', wrapped))).toBe(`outer: ${describeError(wrapped)}`);
  });
});

describe('a request that timed out', () => {
  // What an AbortSignal.timeout() rejects a request with: its legacy `code` is 23, no HTTP status.
  const timedOut = new DOMException('The operation was aborted due to timeout', 'TimeoutError');

  it('has no HTTP status', () => {
    expect(timedOut.code).toBe(23);
    expect(statusCodeOf(timedOut)).toBeUndefined();
  });

  it('is said to have timed out', () => {
    expect(describeError(timedOut)).toBe('request timed out or was aborted');
  });

  it('leaves real statuses as they are', () => {
    expect(statusCodeOf({ statusCode: 410 })).toBe(410);
    expect(statusCodeOf({ code: 'ECONNRESET' })).toBeUndefined();
  });
});
