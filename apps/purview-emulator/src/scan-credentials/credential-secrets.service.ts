import { Injectable } from '@nestjs/common';
import { PurviewError } from '../common/errors';
import { KeyVaultService } from '../key-vault/key-vault.service';
import { ScanCredentialsRepository } from './scan-credentials.repository';
import { secretReferencesWithFields } from './credentials.service';

/** The codes a credential that does not resolve fails a run with. */
const CREDENTIAL_FAILURES = [
  'CredentialNotFound',
  'InvalidCredentialKind',
  'InvalidCredential',
  'KeyVaultConnectionNotFound',
  'KeyVaultSecretNotFound',
] as const;

/** True for an error of accountKeyOf: a scan's credential that does not resolve to a secret. */
export function isCredentialFailure(error: unknown): error is PurviewError {
  return error instanceof PurviewError && (CREDENTIAL_FAILURES as readonly string[]).includes(error.code);
}

/** An account key a scan reads storage with, and words that name where it came from (never the value). */
export interface ResolvedAccountKey {
  accountKey: string;
  credentialName: string;
  /** e.g. "credential 'cred' (its accountKey is secret 'storage-key' of Key Vault connection 'kv', vault 'kv1')" */
  source: string;
}

/**
 * Resolves a scan's credential to its secret at run time: credential → Key Vault connection → the emulator's vault →
 * the secret (latest version unless the reference names one). Errors name the credential and the secret, never a value.
 */
@Injectable()
export class CredentialSecretsService {
  constructor(
    private readonly repository: ScanCredentialsRepository,
    private readonly keyVault: KeyVaultService,
  ) {}

  async accountKeyOf(credentialName: string): Promise<ResolvedAccountKey> {
    const credential = await this.repository.findCredential(credentialName);
    if (!credential)
      throw PurviewError.badRequest(`The scan's credential '${credentialName}' does not exist.`, 'CredentialNotFound');
    if (credential.kind !== 'AccountKey')
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' is of kind ${credential.kind}; an Azure Storage scan reads with an AccountKey credential.`,
        'InvalidCredentialKind',
      );
    const [, reference] = secretReferencesWithFields(credential).find(([field]) => field === 'accountKey') ?? [];
    if (!reference)
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' has no typeProperties.accountKey secret reference.`,
        'InvalidCredential',
      );
    const connection = await this.repository.findVault(reference.store.referenceName);
    const where = `secret '${reference.secretName}' of Key Vault connection '${reference.store.referenceName}'`;
    if (!connection)
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' names ${where}, which does not exist.`,
        'KeyVaultConnectionNotFound',
      );
    const source = `credential '${credential.name}' (its accountKey is ${where}, vault '${connection.vault}')`;
    try {
      const secret = await this.keyVault.resolve(
        connection.vault,
        reference.secretName,
        reference.secretVersion ?? undefined,
      );
      return { accountKey: secret.value, credentialName: credential.name, source };
    } catch (error) {
      if (error instanceof PurviewError)
        throw PurviewError.badRequest(`The ${source} cannot be read: ${error.message}`, 'KeyVaultSecretNotFound');
      throw error;
    }
  }
}
