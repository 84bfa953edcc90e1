// What a failed Kubernetes call means, whatever client-node wrapped it in.
import { STATUS_CODES } from 'node:http';

/**
 * The HTTP status of a failed call (ApiException.code, or a watch error's statusCode).
 * Only 100-599: a timed-out request's DOMException has a legacy numeric `code` too
 * (23, TIMEOUT_ERR), which is no answer from any server.
 */
export function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  return [code, statusCode].find((c): c is number => typeof c === 'number' && c >= 100 && c <= 599);
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409;
export const isForbidden = (err: unknown): boolean => statusCodeOf(err) === 403;
export const isGone = (err: unknown): boolean => statusCodeOf(err) === 410;

/** A one-line description: the apiserver's Status message when there is one, never a body dump. */
export function describeError(err: unknown): string {
  // By name: an aborted request rejects with a DOMException, an Error only in some realms.
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') return `request timed out or was aborted`;
  if (!(err instanceof Error)) return String(err);
  // Already described when it was wrapped: its cause's own message would dump the response's headers.
  if (err instanceof ContextError) return err.message;
  const body = (err as { body?: unknown }).body;
  const message = statusMessage(body);
  const code = statusCodeOf(err);
  if (message) return code ? `${message} (HTTP ${code})` : message;
  // An answer without a Status body (client-node's message would dump the response headers).
  if (code) return `${STATUS_CODES[code] ?? 'request failed'} (HTTP ${code})`;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return `${err.message}: ${cause.message}`;
  return err.message;
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body.length < 300 ? body : undefined;
    }
  }
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}

/** An error that says what was being done and, described once, why it failed. */
export class ContextError extends Error {}

/** Wraps `err` with what was being done: `member-1: apply Deployment default/web-zone1: ...`. */
export function withContext(context: string, err: unknown): Error {
  return new ContextError(`${context}: ${describeError(err)}`, { cause: err });
}
