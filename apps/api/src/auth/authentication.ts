import { hash, timingSafeEqual } from 'node:crypto';
import { createParamDecorator, type CanActivate, type ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, type Principal, type Role } from '@pc/domain';
import type { FastifyRequest } from 'fastify';
import type { UserRecord } from './users-file';

export const USERS = Symbol('Users');
const ROLES_KEY = 'pc:roles';
const PUBLIC_KEY = 'pc:public';

/** Roles allowed on a route; absent means any authenticated principal. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('No authenticated principal on a route that needs one');
  return principal;
});

const digest = (key: string): Buffer => hash('sha256', key, 'buffer');

export class ApiKeys {
  /** Keyed by the hex digest of each user's key, with that digest: one hash per request, the presented key's. */
  private readonly byDigest = new Map<string, { readonly user: UserRecord; readonly digest: Buffer }>();

  constructor(users: readonly UserRecord[]) {
    for (const user of users) {
      const keyDigest = digest(user.apiKey);
      this.byDigest.set(keyDigest.toString('hex'), { user, digest: keyDigest });
    }
  }

  /** Looks a key up by its digest and compares in constant time, so timing reveals nothing of stored keys. */
  authenticate(apiKey: string): Principal | null {
    const presented = digest(apiKey);
    const known = this.byDigest.get(presented.toString('hex'));
    if (!known || !timingSafeEqual(presented, known.digest)) return null;
    return { id: known.user.id, roles: known.user.roles };
  }
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeys,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const principal = match ? this.apiKeys.authenticate(match[1]!) : null;
    if (!principal) throw new UnauthorizedException('Send Authorization: Bearer <api key> with a known key');
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (allowed && !principal.roles.some((role) => allowed.includes(role))) {
      throw new DomainError('AUTH.ROLE_NOT_ALLOWED', 'forbidden', `This action needs one of the roles: ${allowed.join(', ')}`, { allowed });
    }
    return true;
  }
}
