import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_KEY_VAULT_NAME,
  type DeletedSecretBundle,
  KEY_VAULT_DNS_SUFFIX,
  KEY_VAULT_NAME_PATTERN,
  SECRET_NAME_PATTERN,
  SECRET_RECOVERY_LEVEL,
  type SecretBundle,
  type SecretItem,
  type SecretSetParameters,
  type SecretUpdateParameters,
} from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { abbreviate } from '../common/validation';
import { TransactionRunner } from '../database/transaction-runner';
import { DatabaseSecrets } from '../database/database-secrets';
import { KeyVaultSecretEntity } from './key-vault-secret.entity';
import { KeyVaultSecretsRepository } from './key-vault-secrets.repository';

/** Key Vault's limit on a secret value (25 KB). */
const MAX_VALUE_LENGTH = 25 * 1024;
const FIELD = 'key_vault_secrets.value';

/**
 * The vault a Host header names: `{vault}.vault.azure.net` (mapped to the emulator by a hosts entry, as Azurite's
 * product-style URLs are), or the default vault for any other host (localhost, 127.0.0.1, a container name).
 */
export function vaultOfHost(host: string | undefined): string {
  const hostname = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (!hostname.endsWith(KEY_VAULT_DNS_SUFFIX)) return DEFAULT_KEY_VAULT_NAME;
  const name = hostname.slice(0, -KEY_VAULT_DNS_SUFFIX.length);
  return KEY_VAULT_NAME_PATTERN.test(name) ? name : DEFAULT_KEY_VAULT_NAME;
}

/** A secret's value and where it was found, for the emulator's own use (scan credentials); never rendered. */
export interface ResolvedSecret {
  vault: string;
  name: string;
  version: string;
  value: string;
}

/**
 * The Key Vault secrets data plane: every version of every secret, values sealed at rest. `base` is the origin the
 * caller used (`https://{host}`): Key Vault ids are `{base}/secrets/{name}/{version}`, which SecretClient parses.
 */
@Injectable()
export class KeyVaultService {
  constructor(
    private readonly repository: KeyVaultSecretsRepository,
    private readonly transactions: TransactionRunner,
    private readonly secrets: DatabaseSecrets,
    private readonly clock: Clock,
  ) {}

  async set(vault: string, name: string, body: SecretSetParameters, base: string): Promise<SecretBundle> {
    assertSecretName(name);
    if (body.value.length > MAX_VALUE_LENGTH)
      throw PurviewError.badRequest(`The secret value is longer than ${MAX_VALUE_LENGTH} characters.`, 'BadParameter');
    const now = Math.floor(this.clock.nowMs() / 1000);
    const entity = await this.transactions.run(async (manager) => {
      const latest = await this.repository.latest(vault, name, manager);
      const id = randomUUID();
      const row: KeyVaultSecretEntity = {
        id,
        vault,
        name: latest?.name ?? name,
        version: randomUUID().replace(/-/g, ''),
        value: this.secrets.seal(FIELD, id, body.value),
        contentType: body.contentType ?? null,
        tags: body.tags ?? null,
        enabled: body.attributes?.enabled ?? true,
        notBefore: body.attributes?.nbf ?? null,
        expires: body.attributes?.exp ?? null,
        created: now,
        updated: now,
        seq: (latest?.seq ?? 0) + 1,
      };
      await this.repository.insert(row, manager);
      return row;
    });
    return this.bundle(entity, base);
  }

  /** A version, or the latest one (`version` empty); a disabled one is a 403, as in Key Vault. */
  async get(vault: string, name: string, version: string | undefined, base: string): Promise<SecretBundle> {
    const entity = await this.require(vault, name, version);
    if (!entity.enabled)
      throw PurviewError.forbidden('Operation get is not allowed on a disabled secret.', 'Forbidden');
    return this.bundle(entity, base);
  }

  async update(
    vault: string,
    name: string,
    version: string | undefined,
    body: SecretUpdateParameters,
    base: string,
  ): Promise<SecretItem> {
    const entity = await this.require(vault, name, version);
    if (body.contentType !== undefined) entity.contentType = body.contentType;
    if (body.tags !== undefined) entity.tags = body.tags;
    if (body.attributes?.enabled !== undefined && body.attributes.enabled !== null)
      entity.enabled = body.attributes.enabled;
    if (body.attributes?.nbf !== undefined) entity.notBefore = body.attributes.nbf;
    if (body.attributes?.exp !== undefined) entity.expires = body.attributes.exp;
    entity.updated = Math.floor(this.clock.nowMs() / 1000);
    await this.repository.save(entity);
    return this.item(entity, base, true);
  }

  async list(vault: string, skip: number, take: number, base: string): Promise<{ value: SecretItem[]; count: number }> {
    const [rows, count] = await this.repository.latestOfEach(vault, skip, take);
    return { value: rows.map((r) => this.item(r, base, false)), count };
  }

  async versions(
    vault: string,
    name: string,
    skip: number,
    take: number,
    base: string,
  ): Promise<{ value: SecretItem[]; count: number }> {
    assertSecretName(name);
    const [rows, count] = await this.repository.versions(vault, name, skip, take);
    return { value: rows.map((r) => this.item(r, base, true)), count };
  }

  /** Deletes every version at once: soft delete is not emulated (recoveryLevel Purgeable, no recoveryId). */
  async delete(vault: string, name: string, base: string): Promise<DeletedSecretBundle> {
    const latest = await this.transactions.run(async (manager) => {
      const found = await this.repository.latest(vault, name, manager);
      if (!found) throw secretNotFound(name);
      await this.repository.deleteAll(vault, name, manager);
      return found;
    });
    return { ...this.item(latest, base, true), deletedDate: Math.floor(this.clock.nowMs() / 1000) };
  }

  /** The value of a secret (latest version unless one is named), for scan credentials. 404 SecretNotFound when absent. */
  async resolve(vault: string, name: string, version?: string): Promise<ResolvedSecret> {
    const entity = await this.require(vault, name, version);
    if (!entity.enabled) throw PurviewError.forbidden(`The secret '${entity.name}' is disabled.`, 'SecretDisabled');
    return {
      vault: entity.vault,
      name: entity.name,
      version: entity.version,
      value: this.secrets.open(FIELD, entity.id, entity.value),
    };
  }

  private async require(vault: string, name: string, version?: string): Promise<KeyVaultSecretEntity> {
    assertSecretName(name);
    const entity = version
      ? await this.repository.version(vault, name, version)
      : await this.repository.latest(vault, name);
    if (!entity) throw secretNotFound(version ? `${name}/${version}` : name);
    return entity;
  }

  private bundle(entity: KeyVaultSecretEntity, base: string): SecretBundle {
    return { ...this.item(entity, base, true), value: this.secrets.open(FIELD, entity.id, entity.value) };
  }

  /** `withVersion`: list items of the vault name the secret (`/secrets/{name}`), version lists and bundles the version. */
  private item(entity: KeyVaultSecretEntity, base: string, withVersion: boolean): SecretItem {
    return {
      id: `${base}/secrets/${entity.name}${withVersion ? `/${entity.version}` : ''}`,
      attributes: {
        enabled: entity.enabled,
        ...(entity.notBefore !== null ? { nbf: entity.notBefore } : {}),
        ...(entity.expires !== null ? { exp: entity.expires } : {}),
        created: entity.created,
        updated: entity.updated,
        recoveryLevel: SECRET_RECOVERY_LEVEL,
      },
      ...(entity.contentType !== null ? { contentType: entity.contentType } : {}),
      ...(entity.tags !== null ? { tags: entity.tags } : {}),
    };
  }
}

function assertSecretName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name))
    throw PurviewError.badRequest(
      `The request URI contains an invalid name: ${abbreviate(name)}. Secret names are 1-127 letters, digits and dashes.`,
      'BadParameter',
    );
}

function secretNotFound(nameOrId: string): PurviewError {
  return new PurviewError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${abbreviate(nameOrId)} was not found in this key vault.`,
  );
}
