import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PurviewError } from '../common/errors';
import { ARM_AUDIENCES, Principal, TokenRejected, TokenService } from './token.service';
import { ARM_PREFIXES, armUnauthorized } from '../account/arm-errors';

/**
 * The Purview data-plane prefixes, and the emulator's admin-only integration runtime extensions; each needs
 * `Authorization: Bearer <token>` for the Purview resource.
 */
const PROTECTED_PREFIXES = ['/scan/', '/datamap/', '/catalog/', '/account/', '/_emulator/integrationruntimes/'];
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
    // ARM routes (the account API) take ARM tokens and answer with ARM's 401 codes.
    const arm = ARM_PREFIXES.some((p) => path.toLowerCase().startsWith(p));
    if (!arm && !PROTECTED_PREFIXES.some((p) => path.startsWith(p) || path === p.slice(0, -1))) return true;
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers.authorization;
    const issuer = this.tokens.issuer(this.tokens.tenantId, this.tokens.issuerBaseFor(request.protocol, request.host));
    const authorizationUri = `${issuer.replace(/\/v2\.0$/, '')}/oauth2/v2.0/token`;
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) {
      void reply.header('WWW-Authenticate', `Bearer authorization_uri="${authorizationUri}", error="invalid_token"`);
      if (arm) throw armUnauthorized(header ? 'malformed' : 'missing');
      throw PurviewError.unauthorized(
        header ? 'The Authorization header must be "Bearer <token>".' : `No bearer token was sent. Get one from POST ${authorizationUri} (grant_type=client_credentials, scope=https://purview.azure.net/.default) and send "Authorization: Bearer <token>".`,
      );
    }
    try {
      (request as unknown as Record<symbol, Principal>)[PRINCIPAL] = await this.tokens.verify(match[1], arm ? ARM_AUDIENCES : undefined);
      return true;
    } catch (error) {
      if (error instanceof TokenRejected) {
        void reply.header('WWW-Authenticate', `Bearer authorization_uri="${authorizationUri}", error="invalid_token"`);
        if (arm) throw armUnauthorized(error.claim === 'aud' ? 'audience' : error.claim === 'exp' ? 'expired' : 'invalid', error.message);
        throw PurviewError.unauthorized(error.message, 'InvalidToken');
      }
      throw error;
    }
  }
}
