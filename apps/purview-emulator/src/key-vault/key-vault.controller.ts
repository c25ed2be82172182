import { Body, Controller, Delete, Get, Param, Patch, Put, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  type DeletedSecretBundle,
  KEY_VAULT_API_VERSIONS,
  type SecretBundle,
  type SecretItem,
  type SecretListResult,
  SecretSetParametersSchema,
  SecretUpdateParametersSchema,
  displayValue,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { baseUrlOf } from '../common/paging';
import { abbreviate, parseBody } from '../common/validation';
import { KeyVaultAuthGuard } from './key-vault-auth.guard';
import { KeyVaultService, vaultOfHost } from './key-vault.service';

/** Key Vault's own paging: `maxresults` (1-25) and an opaque `$skiptoken` in `nextLink`. */
const MAX_RESULTS = 25;

/**
 * The Azure Key Vault secrets data plane at the root of the emulator's origin (`/secrets/...`), as SecretClient calls
 * it: the vault is named by the Host (`{vault}.vault.azure.net`), else the default vault. Errors `{error:{code,message}}`.
 */
@Controller('secrets')
@UseGuards(KeyVaultAuthGuard)
export class KeyVaultController {
  constructor(private readonly keyVault: KeyVaultService) {}

  @Get()
  list(@Req() request: FastifyRequest): Promise<SecretListResult> {
    const { vault, base } = this.target(request);
    return this.page(request, (skip, take) => this.keyVault.list(vault, skip, take, base));
  }

  @Put(':name')
  set(@Req() request: FastifyRequest, @Param('name') name: string, @Body() body: unknown): Promise<SecretBundle> {
    const { vault, base } = this.target(request);
    return this.keyVault.set(vault, name, parseBody(SecretSetParametersSchema, body, 'BadParameter'), base);
  }

  /** `/secrets/{name}` and `/secrets/{name}/` (SecretClient's spelling of "latest"; the router ignores the slash). */
  @Get(':name')
  latest(@Req() request: FastifyRequest, @Param('name') name: string): Promise<SecretBundle> {
    const { vault, base } = this.target(request);
    return this.keyVault.get(vault, name, undefined, base);
  }

  @Get(':name/versions')
  versions(@Req() request: FastifyRequest, @Param('name') name: string): Promise<SecretListResult> {
    const { vault, base } = this.target(request);
    return this.page(request, (skip, take) => this.keyVault.versions(vault, name, skip, take, base));
  }

  @Get(':name/:version')
  version(
    @Req() request: FastifyRequest,
    @Param('name') name: string,
    @Param('version') version: string,
  ): Promise<SecretBundle> {
    const { vault, base } = this.target(request);
    return this.keyVault.get(vault, name, version, base);
  }

  @Patch(':name/:version')
  update(
    @Req() request: FastifyRequest,
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: unknown,
  ): Promise<SecretItem> {
    const { vault, base } = this.target(request);
    return this.keyVault.update(
      vault,
      name,
      version,
      parseBody(SecretUpdateParametersSchema, body, 'BadParameter'),
      base,
    );
  }

  @Delete(':name')
  delete(@Req() request: FastifyRequest, @Param('name') name: string): Promise<DeletedSecretBundle> {
    const { vault, base } = this.target(request);
    return this.keyVault.delete(vault, name, base);
  }

  /** The vault and the origin the caller used; checks `api-version` as Key Vault does (required, a known one). */
  private target(request: FastifyRequest): { vault: string; base: string } {
    const version = (request.query as Record<string, unknown> | undefined)?.['api-version'];
    if (version === undefined || version === '')
      throw PurviewError.badRequest('The api-version query parameter is missing.', 'BadParameter');
    if (typeof version !== 'string' || !(KEY_VAULT_API_VERSIONS as readonly string[]).includes(version))
      throw PurviewError.badRequest(
        `The specified version (${abbreviate(displayValue(version))}) is not recognized. Supported versions: ${KEY_VAULT_API_VERSIONS.join(', ')}.`,
        'BadParameter',
      );
    return { vault: vaultOfHost(request.headers.host), base: baseUrlOf(request) };
  }

  private async page(
    request: FastifyRequest,
    fetch: (skip: number, take: number) => Promise<{ value: SecretItem[]; count: number }>,
  ): Promise<SecretListResult> {
    const query = (request.query ?? {}) as Record<string, string | undefined>;
    const take = query.maxresults === undefined ? MAX_RESULTS : Number(query.maxresults);
    if (!Number.isInteger(take) || take < 1 || take > MAX_RESULTS)
      throw PurviewError.badRequest(`maxresults must be an integer from 1 to ${MAX_RESULTS}.`, 'BadParameter');
    const token = query.$skiptoken;
    const skip = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(skip) || skip < 0)
      throw PurviewError.badRequest(
        'The $skiptoken is not valid; pass back the nextLink you received.',
        'BadParameter',
      );
    const { value, count } = await fetch(skip, take);
    if (skip + take >= count) return { value, nextLink: null };
    const next = new URL(request.originalUrl ?? request.url, baseUrlOf(request));
    next.searchParams.set('$skiptoken', Buffer.from(String(skip + take)).toString('base64url'));
    return { value, nextLink: next.toString() };
  }
}
