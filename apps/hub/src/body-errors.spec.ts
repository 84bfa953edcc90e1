import { describe, expect, it } from '@jest/globals';
import { bodyErrorAnswer } from './body-errors.js';

describe('bodyErrorAnswer', () => {
  it.each([
    ['entity.parse.failed', 400, 'request body is not valid JSON'],
    ['entity.too.large', 413, 'request body is larger than 2 MiB'],
    ['charset.unsupported', 415, 'request body must be UTF-8 JSON'],
    ['request.aborted', 400, 'request body ended before its Content-Length'],
  ])('answers %s with %i and one sentence', (type, statusCode, message) => {
    const err = Object.assign(new SyntaxError('Unexpected token } in JSON: {"token":"s3cret"}'), { type });
    const answer = bodyErrorAnswer(err);
    expect(answer).toMatchObject({ statusCode, message });
    // The parser's own message may quote the body: never echoed.
    expect(JSON.stringify(answer)).not.toContain('s3cret');
  });

  it('leaves any other error to the next handler', () => {
    expect(bodyErrorAnswer(new Error('boom'))).toBeUndefined();
    expect(bodyErrorAnswer(null)).toBeUndefined();
  });
});
