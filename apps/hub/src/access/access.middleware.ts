// Every HTTP request passes here before any route (Nest's, Swagger's, bull-board's):
// authenticated by a bearer token, authorized by the route's rule, answered 401/403/503
// with no data otherwise. /api handlers then check each object they return.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bearerToken,
  describeCheck,
  ReviewUnavailableError,
  routeRule,
  type AccessReviewer,
  type Permissions,
} from '#gridfed/access';
import { setRequestPermissions } from './request-permissions.js';

export interface AccessMiddlewareOptions {
  reviewer: AccessReviewer;
  queueBoardReadOnly: boolean;
  /** A review the control cluster could not answer (never with a token in it). */
  warn: (message: string) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export function accessMiddleware(options: AccessMiddlewareOptions): Handler {
  return (req, res, next) => {
    decide(req, res, options).then(
      (permissions) => {
        if (!permissions) return;
        setRequestPermissions(req, permissions);
        next();
      },
      (err: unknown) => {
        const message = err instanceof ReviewUnavailableError ? err.message : 'access review failed';
        options.warn(`${req.method} ${pathOf(req)}: ${message}`);
        refuse(res, 503, 'the control cluster could not review this request; try again');
      },
    );
  };
}

/** The requester's permissions when the request may go on; undefined once it was refused. */
async function decide(
  req: IncomingMessage,
  res: ServerResponse,
  options: AccessMiddlewareOptions,
): Promise<Permissions | undefined> {
  const rule = routeRule(req.method ?? 'GET', pathOf(req), { queueBoardReadOnly: options.queueBoardReadOnly });
  if (rule.kind === 'open') return OPEN;
  const token = bearerToken(req.headers.authorization);
  const requester = token ? await options.reviewer.authenticate(token) : undefined;
  if (!requester) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="gridfed"');
    refuse(res, 401, token ? 'the bearer token was not accepted by the control cluster' : 'a bearer token is required');
    return undefined;
  }
  const permissions = options.reviewer.permissions(requester);
  if (rule.kind === 'refused') return refuse(res, 403, rule.reason);
  if (rule.kind === 'check' && !(await permissions.may(rule.check)))
    return refuse(res, 403, `${permissions.user} may not ${describeCheck(rule.check)} in the control cluster`);
  return permissions;
}

/** Open routes hold no data: they get no permission at all. */
const OPEN: Permissions = { user: 'anonymous', may: () => Promise.resolve(false) };

/** The shape of Nest's own HTTP errors, so clients see one form of refusal. */
const ERROR_NAMES = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' } as const;

function refuse(res: ServerResponse, statusCode: keyof typeof ERROR_NAMES, message: string): undefined {
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ message, error: ERROR_NAMES[statusCode], statusCode }));
  return undefined;
}

/**
 * The path without query (the middleware is mounted at the root, so req.url is the whole
 * path). Not parsed as a URL: `//metrics` would become host `metrics` and path `/`.
 */
function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}
