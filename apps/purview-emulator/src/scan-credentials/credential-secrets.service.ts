import { Injectable } from '@nestjs/common';
import type { KeyVaultSecret } from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { TokenService } from '../identity/token.service';
import { KeyVaultService } from '../key-vault/key-vault.service';
import { CredentialEntity } from './scan-credential.entities';
import { ScanCredentialsRepository } from './scan-credentials.repository';
import { secretReferencesWithFields } from './credentials.service';

/** The codes a credential that does not resolve, or does not authenticate, fails a run with. */
const CREDENTIAL_FAILURES = [
  'CredentialNotFound',
  'InvalidCredentialKind',
  'InvalidCredential',
  'KeyVaultConnectionNotFound',
  'KeyVaultSecretNotFound',
  'AuthenticationFailed',
] as const;

/** Credential kinds an Azure Storage scan honours at run time (the others are stored only; README). */
export const STORAGE_CREDENTIAL_KINDS = ['AccountKey', 'ServicePrincipal', 'ManagedIdentity'] as const;

/** True for an error of storageAccessOf: a scan's credential that does not resolve or authenticate. */
export function isCredentialFailure(error: unknown): error is PurviewError {
  return error instanceof PurviewError && (CREDENTIAL_FAILURES as readonly string[]).includes(error.code);
}

/** How a credential scan reads storage, and words that name where its secret came from (never the value). */
export interface ResolvedStorageAccess {
  /**
   * The account key the job's SAS is signed with (AccountKey credentials). Undefined when the credential authenticated
   * a principal (ServicePrincipal, ManagedIdentity): the emulator's own identity reads, as for *Msi scans.
   */
  accountKey?: string;
  credentialName: string;
  /** e.g. "credential 'cred' (its accountKey is secret 'storage-key' of Key Vault connection 'kv', vault 'kv1')" */
  source: string;
}

/**
 * Resolves a scan's credential at run time: credential → Key Vault connection → the emulator's vault → the secret
 * (latest version unless the reference names one). An AccountKey's secret signs the job's SAS; a ServicePrincipal's
 * client id and secret are checked against the emulator's Entra clients. Errors name the credential and the secret,
 * never a value.
 */
@Injectable()
export class CredentialSecretsService {
  constructor(
    private readonly repository: ScanCredentialsRepository,
    private readonly keyVault: KeyVaultService,
    private readonly tokens: TokenService,
  ) {}

  async storageAccessOf(credentialName: string): Promise<ResolvedStorageAccess> {
    const credential = await this.repository.findCredential(credentialName);
    if (!credential)
      throw PurviewError.badRequest(`The scan's credential '${credentialName}' does not exist.`, 'CredentialNotFound');
    switch (credential.kind) {
      case 'AccountKey': {
        const { value, source } = await this.secretOf(credential, 'accountKey');
        return { accountKey: value, credentialName: credential.name, source };
      }
      case 'ServicePrincipal':
        return this.servicePrincipal(credential);
      case 'ManagedIdentity':
        // A user-assigned identity has no secret; the emulator's identity stands for it, as for *Msi scans.
        return { credentialName: credential.name, source: `credential '${credential.name}' (a managed identity)` };
      default:
        throw PurviewError.badRequest(
          `The scan's credential '${credential.name}' is of kind ${credential.kind}; an Azure Storage scan reads with a ${STORAGE_CREDENTIAL_KINDS.join(', ')} credential.`,
          'InvalidCredentialKind',
        );
    }
  }

  /** A service principal signs in with its client id and the secret in Key Vault, in the emulator's tenant. */
  private async servicePrincipal(credential: CredentialEntity): Promise<ResolvedStorageAccess> {
    const clientId = credential.typeProperties?.servicePrincipalId;
    if (typeof clientId !== 'string' || clientId === '')
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' has no typeProperties.servicePrincipalId.`,
        'InvalidCredential',
      );
    const { value, source } = await this.secretOf(credential, 'servicePrincipalKey');
    const tenant = credential.typeProperties?.tenant;
    if (typeof tenant === 'string' && tenant !== '' && tenant.toLowerCase() !== this.tokens.tenantId.toLowerCase())
      throw PurviewError.badRequest(
        `Entra ID refused the ${source}: tenant '${tenant}' is not the emulator's tenant '${this.tokens.tenantId}'.`,
        'AuthenticationFailed',
      );
    if (!this.tokens.authenticateClient(clientId, value))
      throw PurviewError.badRequest(
        `Entra ID refused the ${source}: client '${clientId}' is not registered with the emulator, or the secret is not its client secret.`,
        'AuthenticationFailed',
      );
    return { credentialName: credential.name, source };
  }

  /** The value of a credential's secret `field`, and words naming where it lives. */
  private async secretOf(credential: CredentialEntity, field: string): Promise<{ value: string; source: string }> {
    const [, reference] = secretReferencesWithFields(credential).find(([f]) => f === field) ?? [];
    if (!reference)
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' has no typeProperties.${field} secret reference.`,
        'InvalidCredential',
      );
    return this.resolve(credential, field, reference);
  }

  private async resolve(
    credential: CredentialEntity,
    field: string,
    reference: KeyVaultSecret,
  ): Promise<{ value: string; source: string }> {
    const connection = await this.repository.findVault(reference.store.referenceName);
    const where = `secret '${reference.secretName}' of Key Vault connection '${reference.store.referenceName}'`;
    if (!connection)
      throw PurviewError.badRequest(
        `The scan's credential '${credential.name}' names ${where}, which does not exist.`,
        'KeyVaultConnectionNotFound',
      );
    const source = `credential '${credential.name}' (its ${field} is ${where}, vault '${connection.vault}')`;
    try {
      const secret = await this.keyVault.resolve(
        connection.vault,
        reference.secretName,
        reference.secretVersion ?? undefined,
      );
      return { value: secret.value, source };
    } catch (error) {
      if (error instanceof PurviewError)
        throw PurviewError.badRequest(`The ${source} cannot be read: ${error.message}`, 'KeyVaultSecretNotFound');
      throw error;
    }
  }
}
