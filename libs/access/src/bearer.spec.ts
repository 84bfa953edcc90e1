import { describe, expect, it } from '@jest/globals';
import { bearerToken, tokenKey } from './bearer.js';

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def-ghi', 'abc.def-ghi'],
    ['bearer abc', 'abc'],
    ['Bearer  abc ', 'abc'],
  ])('reads %j', (header, token) => expect(bearerToken(header)).toBe(token));

  it.each([[undefined], [''], ['Basic dXNlcjpwdw=='], ['Bearer'], ['Bearer a b'], [['Bearer a', 'Bearer b']]])(
    'finds no token in %j',
    (header) => expect(bearerToken(header)).toBeUndefined(),
  );
});

describe('tokenKey', () => {
  it('is a SHA-256 hex digest that does not contain the token', () => {
    const key = tokenKey('secret-token');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toContain('secret-token');
    expect(tokenKey('secret-token')).toBe(key);
    expect(tokenKey('other-token')).not.toBe(key);
  });
});
