import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AzureKeyVault, AzureKeyVaultBody } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { abbreviate } from '../common/validation';
import { TransactionRunner } from '../database/transaction-runner';
import { vaultOfHost } from '../key-vault/key-vault.service';
import { KeyVaultConnectionEntity } from './scan-credential.entities';
import { ScanCredentialsRepository } from './scan-credentials.repository';
import { secretReferencesOf } from './credentials.service';

/**
 * Key Vault connections (`/scan/azureKeyVaults/{name}`): a name for a vault's `baseUrl`. A real-looking
 * `https://{vault}.vault.azure.net/` maps to the emulator's vault of that name; any other https URL (the emulator's own
 * origin) to its default vault. A connection a credential uses cannot be deleted (409).
 */
@Injectable()
export class AzureKeyVaultsService {
  constructor(
    private readonly repository: ScanCredentialsRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async get(name: string): Promise<AzureKeyVault> {
    return toAzureKeyVault(await this.require(name));
  }

  async list(skip: number, take: number): Promise<{ value: AzureKeyVault[]; count: number }> {
    const [rows, count] = await this.repository.pageVaults(skip, take);
    return { value: rows.map(toAzureKeyVault), count };
  }

  async createOrReplace(name: string, body: AzureKeyVaultBody): Promise<{ created: boolean; value: AzureKeyVault }> {
    const baseUrl = body.properties.baseUrl;
    const vault = vaultOfBaseUrl(baseUrl);
    return this.transactions.run(async (manager) => {
      const existing = await this.repository.findVault(name, manager);
      const now = this.clock.iso();
      const entity: KeyVaultConnectionEntity = {
        name: existing?.name ?? name,
        baseUrl,
        vault,
        description: body.properties.description ?? null,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.repository.saveVault(entity, manager);
      return { created: !existing, value: toAzureKeyVault(entity) };
    });
  }

  /** Returns the deleted connection (the spec's 200 body); 409 while credentials use it. */
  async delete(name: string): Promise<AzureKeyVault> {
    return this.transactions.run(async (manager) => {
      const entity = await this.require(name, manager);
      const users = (await this.repository.allCredentials(manager))
        .filter((c) => secretReferencesOf(c).some((r) => r.store.referenceName.toLowerCase() === name.toLowerCase()))
        .map((c) => c.name);
      if (users.length > 0)
        throw PurviewError.conflict(
          `Key Vault connection '${entity.name}' is used by credential(s) ${users.map((u) => `'${u}'`).join(', ')}. Delete or change them first.`,
          'KeyVaultConnectionInUse',
        );
      await this.repository.deleteVault(entity.name, manager);
      return toAzureKeyVault(entity);
    });
  }

  async require(name: string, manager?: EntityManager): Promise<KeyVaultConnectionEntity> {
    const entity = await this.repository.findVault(name, manager);
    if (!entity) throw PurviewError.notFound('Key Vault connection', abbreviate(name), 'KeyVaultConnectionNotFound');
    return entity;
  }
}

/** The emulator vault a connection's baseUrl names; 400 for anything but an absolute http(s) URL. */
export function vaultOfBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw PurviewError.badRequest(
      `baseUrl '${abbreviate(baseUrl)}' is not a Key Vault URL; expected https://{vault}.vault.azure.net/.`,
      'InvalidKeyVaultUrl',
      'properties.baseUrl',
    );
  return vaultOfHost(url.host);
}

function toAzureKeyVault(entity: KeyVaultConnectionEntity): AzureKeyVault {
  return {
    id: `azureKeyVaults/${entity.name}`,
    name: entity.name,
    properties: { baseUrl: entity.baseUrl, description: entity.description },
  };
}
