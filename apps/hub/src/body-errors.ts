// A request body the JSON parser refused (not JSON, too large, an unknown charset) is the
// client's mistake: a 4xx with one fixed sentence. Nest would answer with the parser's own
// message, which quotes part of the body (V8: `Unexpected token 'k', "{"apiVersi"... is not
// valid JSON`) and so could echo a credential posted in it.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest request body the hub reads (grid manifests posted to /api/diff). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface BodyErrorAnswer {
  statusCode: number;
  error: string;
  message: string;
}

/** What to answer for a body-parser error (its `type` says which), or undefined for any other error. */
export function bodyErrorAnswer(err: unknown): BodyErrorAnswer | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  switch (type) {
    case 'entity.parse.failed':
      return { statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON' };
    case 'entity.too.large':
      return {
        statusCode: 413,
        error: 'Payload Too Large',
        message: `request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { statusCode: 415, error: 'Unsupported Media Type', message: 'request body must be UTF-8 JSON' };
    case 'request.aborted':
    case 'request.size.invalid':
      return { statusCode: 400, error: 'Bad Request', message: 'request body ended before its Content-Length' };
    default:
      return undefined;
  }
}

/** Express error middleware (four parameters: Express tells them by arity), mounted right after the body parser. */
export function answerBodyErrors(
  err: unknown,
  _req: IncomingMessage,
  res: ServerResponse,
  next: (err: unknown) => void,
): void {
  const answer = bodyErrorAnswer(err);
  if (!answer) {
    next(err);
    return;
  }
  res.statusCode = answer.statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(answer));
}
