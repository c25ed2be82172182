import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PurviewError } from '../common/errors';
import { Permission, PREFIX_DEFAULTS, forbiddenMessage, isAllowed } from './access-policy';
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
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const path = request.url.split('?')[0];
    const permission =
      this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]) ??
      PREFIX_DEFAULTS.find((d) => path.startsWith(d.prefix))?.permission;
    if (!permission) return true;
    const principal = principalOf(request);
    // A role-protected route outside the bearer-protected prefixes is a wiring mistake: fail closed.
    if (!principal) throw PurviewError.unauthorized('This operation needs a bearer token for https://purview.azure.net.');
    if (isAllowed(principal.roles, permission)) return true;
    throw PurviewError.forbidden(forbiddenMessage(principal.clientId, principal.roles, permission));
  }
}
