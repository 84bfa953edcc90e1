// Which check each HTTP route of the hub needs, decided from the method and path alone.
// Deny by default: only the health probes and the dashboard's empty page are open; every
// other path needs an authenticated requester, and /metrics and /queues a permission of
// their own. What /api returns is filtered per object by the handlers (visibility.ts).
import { nonResourceCheck, type AccessCheck } from './checks.js';

export type RouteRule =
  | { kind: 'open' }
  /** Any authenticated requester; the handler checks each object it returns. */
  | { kind: 'authenticated' }
  | { kind: 'check'; check: AccessCheck }
  | { kind: 'refused'; reason: string };

/** The page itself holds no data (it asks /api with the user's token), so a browser can load it. */
const OPEN_PATHS = new Set(['/', '/healthz', '/readyz', '/dashboard']);
export const METRICS_PATH = '/metrics';
export const QUEUE_BOARD_PATH = '/queues';

export interface RouteOptions {
  /** BULL_BOARD_READ_ONLY: every request that could change a queue is refused. */
  queueBoardReadOnly: boolean;
}

export function routeRule(method: string, rawPath: string, options: RouteOptions): RouteRule {
  const path = normalizePath(rawPath);
  const reads = method === 'GET' || method === 'HEAD';
  if (reads && OPEN_PATHS.has(path)) return { kind: 'open' };
  // As kube-rbac-proxy: a non-resource SubjectAccessReview of the path and the method.
  if (path === METRICS_PATH) return { kind: 'check', check: nonResourceCheck(METRICS_PATH, method) };
  if (path === QUEUE_BOARD_PATH || path.startsWith(`${QUEUE_BOARD_PATH}/`)) {
    if (!reads && options.queueBoardReadOnly)
      return { kind: 'refused', reason: `the queue board is read-only (BULL_BOARD_READ_ONLY=true): ${method} refused` };
    // One permission for the whole board (its pages, assets and JSON API alike).
    return { kind: 'check', check: nonResourceCheck(QUEUE_BOARD_PATH, method) };
  }
  return { kind: 'authenticated' };
}

/**
 * The path as Express routes it: matching ignores case, repeated and trailing slashes
 * could reach the same handler, so the rule is decided on the same normal form.
 */
export function normalizePath(path: string): string {
  return (
    path
      .toLowerCase()
      .replace(/\/{2,}/g, '/')
      .replace(/\/+$/, '') || '/'
  );
}
