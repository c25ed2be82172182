import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { KEY_VAULT_RESOURCE, OAuthErrorResponse, PURVIEW_RESOURCE, TokenResponse } from '@purview-emulator/contracts';
import { ARM_RESOURCE, TokenService } from './token.service';
import { abbreviate } from '../common/validation';
import { Public } from './authentication.decorators';

type TokenForm = Record<string, string | undefined>;

/**
 * The form's parameters that are strings. A repeated parameter (parsed as an array) is Entra ID's AADSTS9000411;
 * anything else that is not a string (a JSON body) counts as missing.
 */
function readForm(body: unknown): { form: TokenForm; duplicated?: string } {
  const form: TokenForm = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { form };
  for (const [key, value] of Object.entries(body)) {
    if (Array.isArray(value)) return { form, duplicated: key };
    if (typeof value === 'string') form[key] = value;
  }
  return { form };
}

/**
 * client_secret_basic (RFC 6749 2.3.1): `Authorization: Basic base64(urlencoded id ":" urlencoded secret)`, which
 * Entra ID takes as well as the form fields (and Swagger UI's Authorize dialog sends by default).
 */
function basicCredentials(header: string | undefined): { client_id: string; client_secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      client_id: decodeURIComponent(text.slice(0, colon).replace(/\+/g, ' ')),
      client_secret: decodeURIComponent(text.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return undefined;
  }
}

/** Entra ID's endpoints for the client credentials flow: token (v2 and v1), JWKS, OpenID configuration. */
@Controller()
@Public()
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  @Post(':tenantId/oauth2/v2.0/token')
  @HttpCode(200)
  async tokenV2(
    @Param('tenantId') tenantId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse | OAuthErrorResponse> {
    const { form, duplicated } = readForm(body);
    if (duplicated !== undefined) return this.duplicated(reply, duplicated);
    const scope = form.scope ?? '';
    const resource = scope
      .split(' ')
      .find((s) => s.endsWith('/.default'))
      ?.replace(/\/\.default$/, '');
    if (!resource) {
      return this.oauthError(
        reply,
        400,
        'invalid_scope',
        `AADSTS70011: The provided value for the input parameter 'scope' is not valid. Use scope=${PURVIEW_RESOURCE}/.default for the client credentials flow.`,
        70011,
      );
    }
    return this.grant(tenantId, form, resource, reply);
  }

  /** The v1 endpoint takes `resource` instead of `scope`; some older clients still use it. */
  @Post(':tenantId/oauth2/token')
  @HttpCode(200)
  async tokenV1(
    @Param('tenantId') tenantId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse | OAuthErrorResponse> {
    const { form, duplicated } = readForm(body);
    if (duplicated !== undefined) return this.duplicated(reply, duplicated);
    return this.grant(tenantId, form, (form.resource ?? '').replace(/\/$/, ''), reply);
  }

  @Get(':tenantId/discovery/v2.0/keys')
  keys(): { keys: unknown[] } {
    return this.tokens.jwks();
  }

  @Get(':tenantId/discovery/keys')
  keysV1(): { keys: unknown[] } {
    return this.tokens.jwks();
  }

  @Get(':tenantId/v2.0/.well-known/openid-configuration')
  openIdConfiguration(
    @Param('tenantId') tenantId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Record<string, unknown> {
    const origin = this.tokens.issuerBaseFor(reply.request.protocol, reply.request.host);
    const base = this.tokens.issuer(this.tokens.tenantId, origin).replace(/\/v2\.0$/, '');
    if (tenantId !== this.tokens.tenantId) {
      return this.oauthError(
        reply,
        400,
        'invalid_tenant',
        `AADSTS90002: Tenant '${tenantId}' not found. The emulator's tenant is ${this.tokens.tenantId}.`,
        90002,
      ) as unknown as Record<string, unknown>;
    }
    return {
      issuer: this.tokens.issuer(this.tokens.tenantId, origin),
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      response_types_supported: ['token'],
      grant_types_supported: ['client_credentials'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'purview-emulator',
    };
  }

  private async grant(
    tenantId: string,
    form: TokenForm,
    resource: string,
    reply: FastifyReply,
  ): Promise<TokenResponse | OAuthErrorResponse> {
    if (tenantId !== this.tokens.tenantId && tenantId !== 'organizations' && tenantId !== 'common') {
      return this.oauthError(
        reply,
        400,
        'invalid_tenant',
        `AADSTS90002: Tenant '${abbreviate(tenantId)}' not found. The emulator's tenant is ${this.tokens.tenantId}.`,
        90002,
      );
    }
    if (form.grant_type !== 'client_credentials') {
      return this.oauthError(
        reply,
        400,
        'unsupported_grant_type',
        `AADSTS70003: The app requested an unsupported grant type '${abbreviate(form.grant_type ?? '')}'. The emulator supports grant_type=client_credentials.`,
        70003,
      );
    }
    const basic = basicCredentials(reply.request.headers.authorization);
    if (basic && !form.client_id && !form.client_secret) Object.assign(form, basic);
    if (!form.client_id || !form.client_secret) {
      return this.oauthError(
        reply,
        400,
        'invalid_request',
        "AADSTS900144: The request body must contain the following parameters: 'client_id' and 'client_secret'.",
        900144,
      );
    }
    const audience = this.tokens.audienceFor(resource);
    if (!audience) {
      return this.oauthError(
        reply,
        400,
        'invalid_resource',
        `AADSTS500011: The resource principal named ${abbreviate(resource) || '(none)'} was not found. The emulator issues tokens for ${PURVIEW_RESOURCE}, ${KEY_VAULT_RESOURCE} and ${ARM_RESOURCE}.`,
        500011,
      );
    }
    const client = this.tokens.authenticateClient(form.client_id, form.client_secret);
    if (!client) {
      return this.oauthError(
        reply,
        401,
        'invalid_client',
        `AADSTS7000215: Invalid client secret provided, or application '${abbreviate(form.client_id)}' is unknown.`,
        7000215,
      );
    }
    const { token, expiresIn } = await this.tokens.issue(
      client,
      audience,
      this.tokens.issuerBaseFor(reply.request.protocol, reply.request.host),
    );
    return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
  }

  private duplicated(reply: FastifyReply, parameter: string): OAuthErrorResponse {
    return this.oauthError(
      reply,
      400,
      'invalid_request',
      `AADSTS9000411: The request is not properly formatted. The parameter '${abbreviate(parameter)}' is duplicated.`,
      9000411,
    );
  }

  private oauthError(
    reply: FastifyReply,
    status: number,
    error: string,
    description: string,
    code: number,
  ): OAuthErrorResponse {
    void reply.status(status);
    const traceId = randomUUID();
    return {
      error,
      error_description: `${description}\r\nTrace ID: ${traceId}`,
      error_codes: [code],
      timestamp: new Date().toISOString().replace('T', ' ').replace(/\..*/, 'Z'),
      trace_id: traceId,
      correlation_id: randomUUID(),
    };
  }
}
