// The bearer token of a request, and the only form in which it is ever kept: a hash.
import { createHash } from 'node:crypto';

/** The token of `Authorization: Bearer <token>`; undefined when absent or malformed. */
export function bearerToken(authorization: string | string[] | undefined): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer +([^\s]+) *$/i.exec(authorization);
  return match?.[1];
}

/** The cache key of a token: its SHA-256, so no cache, log or heap dump holds the token itself. */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
