import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AzureKeyVault, Credential, PagedList } from '@purview-emulator/contracts';
import { pagedList } from '../common/paging';
import { assertResourceName } from '../common/validation';
import { RequireRoles } from '../identity/require-roles.decorator';
import { ACCESS } from '../identity/access-policy';
import { AzureKeyVaultsService } from './azure-key-vaults.service';
import { CredentialsService } from './credentials.service';
import { parseAzureKeyVaultBody, parseCredentialBody } from './scan-credentials-input';

/** `/scan/azureKeyVaults` (KeyVaultConnections_*). */
@Controller('scan/azureKeyVaults')
@RequireRoles(ACCESS.manageScanning)
export class AzureKeyVaultsController {
  constructor(private readonly vaults: AzureKeyVaultsService) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  list(@Req() request: FastifyRequest): Promise<PagedList<AzureKeyVault>> {
    return pagedList(request, (skip, take) => this.vaults.list(skip, take));
  }

  @Get(':azureKeyVaultName')
  @RequireRoles(ACCESS.readScanning)
  get(@Param('azureKeyVaultName') name: string): Promise<AzureKeyVault> {
    return this.vaults.get(name);
  }

  @Put(':azureKeyVaultName')
  async createOrReplace(
    @Param('azureKeyVaultName') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AzureKeyVault> {
    assertResourceName(name, 'Key Vault connection name');
    const { created, value } = await this.vaults.createOrReplace(name, parseAzureKeyVaultBody(body));
    void reply.status(created ? 201 : 200);
    return value;
  }

  /**
   * 204 as 2023-09-01 declares; earlier versions answer 200 with the deleted connection (2018-12-01-preview's
   * `KeyVaultConnections_Delete`, and the 200 of the 2023-09-01 example).
   */
  @Delete(':azureKeyVaultName')
  async delete(
    @Param('azureKeyVaultName') name: string,
    @Query('api-version') apiVersion: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AzureKeyVault | undefined> {
    const deleted = await this.vaults.delete(name);
    if (apiVersion === undefined || apiVersion === '' || apiVersion === '2023-09-01') {
      void reply.status(204);
      return undefined;
    }
    return deleted;
  }
}

/** `/scan/credentials` (Credential_*). */
@Controller('scan/credentials')
@RequireRoles(ACCESS.manageScanning)
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Get()
  @RequireRoles(ACCESS.readScanning)
  list(@Req() request: FastifyRequest): Promise<PagedList<Credential>> {
    return pagedList(request, (skip, take) => this.credentials.list(skip, take));
  }

  @Get(':credentialName')
  @RequireRoles(ACCESS.readScanning)
  get(@Param('credentialName') name: string): Promise<Credential> {
    return this.credentials.get(name);
  }

  @Put(':credentialName')
  async createOrReplace(
    @Param('credentialName') name: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Credential> {
    assertResourceName(name, 'credential name');
    const { created, value } = await this.credentials.createOrReplace(name, parseCredentialBody(body));
    void reply.status(created ? 201 : 200);
    return value;
  }

  @Delete(':credentialName')
  @HttpCode(204)
  async delete(@Param('credentialName') name: string): Promise<void> {
    await this.credentials.delete(name);
  }
}
