import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/authentication';
import type { CommandContext } from '../commands/command-pipeline';
import { correlationIdOf, parseIdempotencyKey, parseIfMatch } from './request-headers';

/** Who is acting and under which request headers: everything a command needs besides its body. */
export const RequestCommandContext = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.principal) throw new Error('Commands need an authenticated principal');
  const ifMatch = parseIfMatch(request);
  const idempotency = parseIdempotencyKey(request);
  return {
    principal: request.principal,
    correlationId: correlationIdOf(request),
    causationId: null,
    ...(ifMatch !== undefined ? { ifMatch } : {}),
    ...(idempotency ? { idempotency } : {}),
  };
});
