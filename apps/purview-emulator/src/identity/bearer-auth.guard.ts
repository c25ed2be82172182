import { CanActivate, ExecutionContext, Injectable, Type } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PurviewError } from '../common/errors';
import { ARM_AUDIENCES, Principal, TokenRejected, TokenService } from './token.service';
import { armUnauthorized } from '../account/arm-errors';
import { ARM_ROUTE, OWN_CREDENTIAL, PUBLIC_ROUTE } from './authentication.decorators';

const PRINCIPAL = Symbol('principal');

export function principalOf(request: FastifyRequest): Principal | undefined {
  return (request as unknown as Record<symbol, Principal>)[PRINCIPAL];
}

/**
 * Default-deny: every route needs `Authorization: Bearer <token>` unless its handler or controller is @Public()
 * or a guard with a credential of its own guards it (the runtime protocol's node credential). What the router
 * matched decides, never the raw URL, which the router reads leniently (`//account` is `/account`). @ArmRoute()
 * controllers take ARM tokens and answer with ARM's 401s; the rest take Purview tokens.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    if (targets.some((target) => this.hasOwnCredentialGuard(target))) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const arm = this.reflector.getAllAndOverride<boolean>(ARM_ROUTE, targets) === true;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers.authorization;
    const issuer = this.tokens.issuer(this.tokens.tenantId, this.tokens.issuerBaseFor(request.protocol, request.host));
    const authorizationUri = `${issuer.replace(/\/v2\.0$/, '')}/oauth2/v2.0/token`;
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) {
      void reply.header('WWW-Authenticate', `Bearer authorization_uri="${authorizationUri}", error="invalid_token"`);
      if (arm) throw armUnauthorized(header ? 'malformed' : 'missing');
      throw PurviewError.unauthorized(
        header
          ? 'The Authorization header must be "Bearer <token>".'
          : `No bearer token was sent. Get one from POST ${authorizationUri} (grant_type=client_credentials, scope=https://purview.azure.net/.default) and send "Authorization: Bearer <token>".`,
      );
    }
    try {
      (request as unknown as Record<symbol, Principal>)[PRINCIPAL] = await this.tokens.verify(
        match[1],
        arm ? ARM_AUDIENCES : undefined,
      );
      return true;
    } catch (error) {
      if (error instanceof TokenRejected) {
        void reply.header('WWW-Authenticate', `Bearer authorization_uri="${authorizationUri}", error="invalid_token"`);
        if (arm)
          throw armUnauthorized(
            error.claim === 'aud' ? 'audience' : error.claim === 'exp' ? 'expired' : 'invalid',
            error.message,
          );
        throw PurviewError.unauthorized(error.message, 'InvalidToken');
      }
      throw error;
    }
  }

  private hasOwnCredentialGuard(target: ReturnType<ExecutionContext['getHandler']>): boolean {
    const guards = this.reflector.get<(CanActivate | Type<CanActivate>)[] | undefined>(GUARDS_METADATA, target) ?? [];
    return guards.some(
      (guard) =>
        this.reflector.get<boolean | undefined>(
          OWN_CREDENTIAL,
          typeof guard === 'function' ? guard : guard.constructor,
        ) === true,
    );
  }
}
