import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PurviewError } from '../common/errors';
import { Permission, forbiddenMessage, isAllowed } from './access-policy';
import { principalOf } from './bearer-auth.guard';
import { REQUIRED_ROLES } from './require-roles.decorator';

/**
 * Enforces @RequireRoles against the roles claim of the token BearerAuthGuard verified (so it runs after it).
 * The claim, not the current configuration, decides: like Entra ID, a role change takes effect with a new token.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    // The matched handler and controller decide, never the URL (the router reads `//x` as `/x`).
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!permission) return true;
    const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
    // A role-protected route that is also public is a wiring mistake: fail closed.
    if (!principal)
      throw PurviewError.unauthorized('This operation needs a bearer token for https://purview.azure.net.');
    if (isAllowed(principal.roles, permission)) return true;
    throw PurviewError.forbidden(forbiddenMessage(principal.clientId, principal.roles, permission));
  }
}
