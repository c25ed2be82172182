/**
 * Scanning 2023-09-01: Key Vault connections (`/azureKeyVaults/{name}`, `AzureKeyVault`) and credentials
 * (`/credentials/{name}`, `Credential` with discriminator `kind`). A credential names its secret by reference
 * (`KeyVaultSecret`: a Key Vault connection and a secret name); secret values are never part of these shapes.
 */
import { z } from 'zod';

export const CREDENTIAL_KINDS = [
  'AccountKey',
  'ServicePrincipal',
  'BasicAuth',
  'SqlAuth',
  'AmazonARN',
  'ConsumerKeyAuth',
  'DelegatedAuth',
  'ManagedIdentity',
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export interface AzureKeyVault {
  id: string;
  name: string;
  properties: { baseUrl: string; description?: string | null };
}

export const AzureKeyVaultBodySchema = z
  .object({
    properties: z
      .object({
        baseUrl: z.string({
          required_error: "'properties.baseUrl' is required, e.g. https://myvault.vault.azure.net/",
        }),
        description: z.string().max(2048).optional().nullable(),
      })
      .passthrough(),
  })
  .passthrough();
export type AzureKeyVaultBody = z.infer<typeof AzureKeyVaultBodySchema>;

/** `KeyVaultSecret`: a secret of a Key Vault connection (ADF conventions: type AzureKeyVaultSecret, store LinkedServiceReference). */
export const KeyVaultSecretSchema = z
  .object({
    type: z.string().optional().nullable(),
    secretName: z.string({ required_error: 'secretName is required' }).min(1, 'secretName must not be empty'),
    secretVersion: z.string().optional().nullable(),
    store: z
      .object({
        referenceName: z
          .string({ required_error: 'store.referenceName (the Key Vault connection) is required' })
          .min(1, 'store.referenceName must not be empty'),
        type: z.string().optional().nullable(),
      })
      .passthrough(),
  })
  .passthrough();
export type KeyVaultSecret = z.infer<typeof KeyVaultSecretSchema>;

const optionalText = z.string().optional().nullable();
const optionalSecret = KeyVaultSecretSchema.optional().nullable();

/** `typeProperties` per credential kind, as the 2023-09-01 definitions type them; the secrets are KeyVaultSecret references. */
export const CREDENTIAL_TYPE_PROPERTIES = {
  AccountKey: z.object({ accountKey: KeyVaultSecretSchema }).passthrough(),
  ServicePrincipal: z
    .object({ servicePrincipalId: optionalText, servicePrincipalKey: KeyVaultSecretSchema, tenant: optionalText })
    .passthrough(),
  BasicAuth: z.object({ user: optionalText, password: KeyVaultSecretSchema }).passthrough(),
  SqlAuth: z.object({ user: optionalText, password: KeyVaultSecretSchema }).passthrough(),
  AmazonARN: z.object({ roleARN: z.string({ required_error: 'roleARN is required' }) }).passthrough(),
  ConsumerKeyAuth: z
    .object({ user: optionalText, password: optionalSecret, consumerKey: optionalText, consumerSecret: optionalSecret })
    .passthrough(),
  DelegatedAuth: z.object({ clientId: optionalText, user: optionalText, password: optionalSecret }).passthrough(),
  ManagedIdentity: z
    .object({ principalId: optionalText, tenantId: optionalText, resourceId: optionalText })
    .passthrough(),
} as const satisfies Record<CredentialKind, z.ZodTypeAny>;

/** As the 2023-09-01 examples answer: name, kind and properties (no id). */
export interface Credential {
  name: string;
  kind: CredentialKind;
  properties: { description?: string | null; typeProperties?: Record<string, unknown> };
}

/** The KeyVaultSecret fields of a credential kind's typeProperties. */
export const CREDENTIAL_SECRET_FIELDS: Readonly<Record<CredentialKind, readonly string[]>> = {
  AccountKey: ['accountKey'],
  ServicePrincipal: ['servicePrincipalKey'],
  BasicAuth: ['password'],
  SqlAuth: ['password'],
  AmazonARN: [],
  ConsumerKeyAuth: ['password', 'consumerSecret'],
  DelegatedAuth: ['password'],
  ManagedIdentity: [],
};
