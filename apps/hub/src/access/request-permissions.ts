// The permissions the access middleware found for a request, handed to the /api handlers.
import { createParamDecorator, InternalServerErrorException, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Permissions } from '#gridfed/access';

const byRequest = new WeakMap<IncomingMessage, Permissions>();

export function setRequestPermissions(req: IncomingMessage, permissions: Permissions): void {
  byRequest.set(req, permissions);
}

/** A handler's parameter: what its requester may do. A request the middleware did not see is refused. */
export const RequestPermissions = createParamDecorator((_: unknown, ctx: ExecutionContext): Permissions => {
  const permissions = byRequest.get(ctx.switchToHttp().getRequest<IncomingMessage>());
  if (!permissions) throw new InternalServerErrorException('the request was not checked by the access middleware');
  return permissions;
});
