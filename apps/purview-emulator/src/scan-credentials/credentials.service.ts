import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CREDENTIAL_SECRET_FIELDS, type Credential, type KeyVaultSecret } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { abbreviate } from '../common/validation';
import { TransactionRunner } from '../database/transaction-runner';
import { CredentialEntity } from './scan-credential.entities';
import { ScanCredentialsRepository } from './scan-credentials.repository';
import type { CredentialBody } from './scan-credentials-input';

/** Names of what uses a credential (`{dataSource}/{scan}`), from the modules that reference credentials. */
export type CredentialUsers = (credentialName: string) => Promise<string[]>;

/**
 * Credentials (`/scan/credentials/{name}`) of every kind of the 2023-09-01 spec. Their secrets are KeyVaultSecret
 * references to a Key Vault connection, which must exist (400 otherwise); values are never stored here or returned.
 * A credential a scan uses cannot be deleted (409): scanning registers that check (addUsageCheck), so this module
 * never imports scanning.
 */
@Injectable()
export class CredentialsService {
  private readonly usageChecks: CredentialUsers[] = [];

  constructor(
    private readonly repository: ScanCredentialsRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  addUsageCheck(check: CredentialUsers): void {
    this.usageChecks.push(check);
  }

  async get(name: string): Promise<Credential> {
    return toCredential(await this.require(name));
  }

  async list(skip: number, take: number): Promise<{ value: Credential[]; count: number }> {
    const [rows, count] = await this.repository.pageCredentials(skip, take);
    return { value: rows.map(toCredential), count };
  }

  async createOrReplace(name: string, body: CredentialBody): Promise<{ created: boolean; value: Credential }> {
    return this.transactions.run(async (manager) => {
      const typeProperties = body.properties?.typeProperties ?? null;
      const draft = { kind: body.kind, typeProperties } as CredentialEntity;
      for (const [field, reference] of secretReferencesWithFields(draft)) {
        const vault = await this.repository.findVault(reference.store.referenceName, manager);
        if (!vault)
          throw PurviewError.badRequest(
            `typeProperties.${field}.store.referenceName: Key Vault connection '${abbreviate(reference.store.referenceName)}' does not exist. Create it first (PUT /scan/azureKeyVaults/{name}).`,
            'KeyVaultConnectionNotFound',
            `properties.typeProperties.${field}.store.referenceName`,
          );
      }
      const existing = await this.repository.findCredential(name, manager);
      const now = this.clock.iso();
      const entity: CredentialEntity = {
        name: existing?.name ?? name,
        kind: body.kind,
        description: body.properties?.description ?? null,
        typeProperties,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.repository.saveCredential(entity, manager);
      return { created: !existing, value: toCredential(entity) };
    });
  }

  async delete(name: string): Promise<void> {
    const entity = await this.require(name);
    const users = (await Promise.all(this.usageChecks.map((check) => check(entity.name)))).flat();
    if (users.length > 0)
      throw PurviewError.conflict(
        `Credential '${entity.name}' is used by scan(s) ${users.map((u) => `'${u}'`).join(', ')}. Change or delete them first.`,
        'CredentialInUse',
      );
    await this.transactions.run((manager) => this.repository.deleteCredential(entity.name, manager));
  }

  async require(name: string, manager?: EntityManager): Promise<CredentialEntity> {
    const entity = await this.repository.findCredential(name, manager);
    if (!entity) throw PurviewError.notFound('Credential', abbreviate(name), 'CredentialNotFound');
    return entity;
  }
}

/** The KeyVaultSecret references of a credential, with the typeProperties field holding each. */
export function secretReferencesWithFields(
  credential: Pick<CredentialEntity, 'kind' | 'typeProperties'>,
): [string, KeyVaultSecret][] {
  const fields: readonly string[] = CREDENTIAL_SECRET_FIELDS[credential.kind] ?? [];
  return fields.flatMap((field) => {
    const value = credential.typeProperties?.[field] as KeyVaultSecret | null | undefined;
    return value?.store?.referenceName ? [[field, value] as [string, KeyVaultSecret]] : [];
  });
}

export function secretReferencesOf(credential: Pick<CredentialEntity, 'kind' | 'typeProperties'>): KeyVaultSecret[] {
  return secretReferencesWithFields(credential).map(([, reference]) => reference);
}

function toCredential(entity: CredentialEntity): Credential {
  return {
    name: entity.name,
    kind: entity.kind,
    properties: {
      description: entity.description,
      ...(entity.typeProperties ? { typeProperties: entity.typeProperties } : {}),
    },
  };
}
