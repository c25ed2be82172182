import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PurviewError } from '../common/errors';
import { Principal, TokenRejected, TokenService } from './token.service';

/** The Purview data-plane prefixes; each needs `Authorization: Bearer <token>` for the Purview resource. */
const PROTECTED_PREFIXES = ['/scan/', '/datamap/', '/catalog/', '/account/'];
const PRINCIPAL = Symbol('principal');

export function principalOf(request: FastifyRequest): Principal | undefined {
  return (request as unknown as Record<symbol, Principal>)[PRINCIPAL];
}

@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const path = request.url.split('?')[0];
    if (!PROTECTED_PREFIXES.some((p) => path.startsWith(p) || path === p.slice(0, -1))) return true;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers.authorization;
    const authorizationUri = `${this.tokens.issuer().replace(/\/v2\.0$/, '')}/oauth2/v2.0/token`;
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) {
      void reply.header('WWW-Authenticate', `Bearer authorization_uri="${authorizationUri}", error="invalid_token"`);
      throw PurviewError.unauthorized(
        header ? 'The Authorization header must be "Bearer <token>".' : `No bearer token was sent. Get one from POST ${authorizationUri} (grant_type=client_credentials, scope=https://purview.azure.net/.default) and send "Authorization: Bearer <token>".`,
      );
    }
    try {
      (request as unknown as Record<symbol, Principal>)[PRINCIPAL] = await this.tokens.verify(match[1]);
      return true;
    } catch (error) {
      if (error instanceof TokenRejected) {
        void reply.header('WWW-Authenticate', `Bearer authorization_uri="${authorizationUri}", error="invalid_token"`);
        throw PurviewError.unauthorized(error.message, 'InvalidToken');
      }
      throw error;
    }
  }
}
