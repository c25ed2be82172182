import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KEY_VAULT_RESOURCE } from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { ACCESS, forbiddenMessage, isAllowed } from '../identity/access-policy';
import { AuthenticatesWithOwnCredential } from '../identity/authentication.decorators';
import { TokenRejected, TokenService } from '../identity/token.service';

/**
 * Key Vault's challenge-based bearer auth: a call without a token (SecretClient's first call is one) gets 401 with
 * `WWW-Authenticate: Bearer authorization="{authority}", resource="https://vault.azure.net"`, from which the client
 * learns the tenant and scope; then a token for `https://vault.azure.net` whose client has the Data Source Admin role.
 */
@Injectable()
@AuthenticatesWithOwnCredential()
export class KeyVaultAuthGuard implements CanActivate {
  constructor(private readonly tokens: TokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const authority = this.tokens
      .issuer(this.tokens.tenantId, this.tokens.issuerBaseFor(request.protocol, request.host))
      .replace(/\/v2\.0$/, '');
    const challenge = (): void =>
      void reply.header('WWW-Authenticate', `Bearer authorization="${authority}", resource="${KEY_VAULT_RESOURCE}"`);
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      challenge();
      throw PurviewError.unauthorized(
        `AKV10000: Request is missing a Bearer or PoP token. Get one from POST ${authority}/oauth2/v2.0/token with scope=${KEY_VAULT_RESOURCE}/.default.`,
      );
    }
    let roles: readonly string[];
    let clientId: string;
    try {
      ({ roles, clientId } = await this.tokens.verify(match[1], [KEY_VAULT_RESOURCE, `${KEY_VAULT_RESOURCE}/`]));
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      challenge();
      const reason =
        error.claim === 'aud'
          ? `AKV10022: Invalid audience. The token must be for ${KEY_VAULT_RESOURCE}.`
          : `AKV10032: ${error.message}`;
      throw PurviewError.unauthorized(reason);
    }
    if (!isAllowed(roles, ACCESS.manageKeyVaultSecrets))
      throw PurviewError.forbidden(forbiddenMessage(clientId, roles, ACCESS.manageKeyVaultSecrets));
    return true;
  }
}
