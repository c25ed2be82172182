import { Injectable } from '@nestjs/common';
import { PurviewError } from '../common/errors';
import { KeyVaultService } from '../key-vault/key-vault.service';
import { ScanCredentialsRepository } from './scan-credentials.repository';
import { secretReferencesWithFields } from './credentials.service';

/** A database login a scan connects with, and words that name where it came from (never the password). */
export interface ResolvedDatabaseLogin {
  user: string;
  password: string;
  credentialName: string;
  /** e.g. "credential 'pg' (its password is secret 'pg-password' of Key Vault connection 'kv', vault 'kv1')" */
  source: string;
}

/** The credential kinds a database scan logs in with: SQL authentication, or basic authentication (user + password). */
const LOGIN_KINDS = ['SqlAuth', 'BasicAuth'];

/**
 * Resolves a database scan's credential to a login when a job is leased, for that job only: credential → Key Vault
 * connection → the emulator's vault → the password secret. Errors carry the codes of CredentialSecretsService
 * (isCredentialFailure) and name the credential and secret, never a value.
 */
@Injectable()
export class DatabaseLoginsService {
  constructor(
    private readonly repository: ScanCredentialsRepository,
    private readonly keyVault: KeyVaultService,
  ) {}

  async loginOf(credentialName: string): Promise<ResolvedDatabaseLogin> {
    const credential = await this.repository.findCredential(credentialName);
    if (!credential)
      throw PurviewError.badRequest(`The scan's credential '${credentialName}' does not exist.`, 'CredentialNotFound');
    if (!LOGIN_KINDS.includes(credential.kind))
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' is of kind ${credential.kind}; a database scan logs in with a SqlAuth or BasicAuth credential.`,
        'InvalidCredentialKind',
      );
    const user = credential.typeProperties?.user;
    if (typeof user !== 'string' || user === '')
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' has no typeProperties.user.`,
        'InvalidCredential',
      );
    const [, reference] = secretReferencesWithFields(credential).find(([field]) => field === 'password') ?? [];
    if (!reference)
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' has no typeProperties.password secret reference.`,
        'InvalidCredential',
      );
    const connection = await this.repository.findVault(reference.store.referenceName);
    const where = `secret '${reference.secretName}' of Key Vault connection '${reference.store.referenceName}'`;
    if (!connection)
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' names ${where}, which does not exist.`,
        'KeyVaultConnectionNotFound',
      );
    const source = `credential '${credential.name}' (its password is ${where}, vault '${connection.vault}')`;
    try {
      const secret = await this.keyVault.resolve(
        connection.vault,
        reference.secretName,
        reference.secretVersion ?? undefined,
      );
      return { user, password: secret.value, credentialName: credential.name, source };
    } catch (error) {
      if (error instanceof PurviewError)
        throw PurviewError.badRequest(`The ${source} cannot be read: ${error.message}`, 'KeyVaultSecretNotFound');
      throw error;
    }
  }
}
