import { type Definitions, enumOf, object } from '@purview-emulator/testing';

/**
 * The 2023-09-01 Scanning definitions of Key Vault connections and credentials, in spec-contract's notation (names,
 * types and enums only). Source: Azure/azure-rest-api-specs,
 * specification/purview/data-plane/Azure.Analytics.Purview.Scanning/stable/2023-09-01/scanningService.json
 * (`AzureKeyVault`, `AzureKeyVaultProperties`, `AzureKeyVaultList`, `Credential` and its kinds, `KeyVaultSecret`,
 * `Store`, `CredentialList`, `ErrorResponseModel`). `Credential` is polymorphic on `kind`: each kind is its own
 * definition here, named as the spec names it.
 */
const typed = (typeProperties: string) => object({ typeProperties, description: 'string' });
const credential = (properties: string) => object({ id: 'string', name: 'string', kind: 'CredentialType', properties });

export const CREDENTIALS_2023_09_01: Definitions = {
  AzureKeyVault: object({ id: 'string', name: 'string', properties: 'AzureKeyVaultProperties' }),
  AzureKeyVaultProperties: object({ baseUrl: 'string', description: 'string' }),
  AzureKeyVaultList: object({ value: 'AzureKeyVault[]', nextLink: 'string', count: 'integer' }),
  CredentialType: enumOf(
    'AccountKey',
    'ServicePrincipal',
    'BasicAuth',
    'SqlAuth',
    'AmazonARN',
    'ConsumerKeyAuth',
    'DelegatedAuth',
    'ManagedIdentity',
  ),
  Store: object({ referenceName: 'string', type: 'string' }),
  KeyVaultSecret: object({ type: 'string', secretName: 'string', secretVersion: 'string', store: 'Store' }),
  AccountKeyAuthAzureKeyVaultCredential: credential('AccountKeyCredentialProperties'),
  AccountKeyCredentialProperties: typed('KeyVaultSecretAccountKeyCredentialTypeProperties'),
  KeyVaultSecretAccountKeyCredentialTypeProperties: object({ accountKey: 'KeyVaultSecret' }),
  BasicAuthAzureKeyVaultCredential: credential('UserPassCredentialProperties'),
  SqlAuthAzureKeyVaultCredential: credential('UserPassCredentialProperties'),
  UserPassCredentialProperties: typed('KeyVaultSecretUserPassCredentialTypeProperties'),
  KeyVaultSecretUserPassCredentialTypeProperties: object({ user: 'string', password: 'KeyVaultSecret' }),
  RoleARNCredential: credential('RoleARNCredentialProperties'),
  RoleARNCredentialProperties: typed('RoleARNCredentialTypeProperties'),
  RoleARNCredentialTypeProperties: object({ roleARN: 'string' }),
  ServicePrincipalAzureKeyVaultCredential: credential('ServicePrincipalAzureKeyVaultCredentialProperties'),
  ServicePrincipalAzureKeyVaultCredentialProperties: typed('KeyVaultSecretServicePrinipalCredentialTypeProperties'),
  KeyVaultSecretServicePrinipalCredentialTypeProperties: object({
    servicePrincipalId: 'string',
    servicePrincipalKey: 'KeyVaultSecret',
    tenant: 'string',
  }),
  ConsumerKeyAuthAzureKeyVaultCredential: credential('ConsumerKeyCredentialProperties'),
  ConsumerKeyCredentialProperties: typed('KeyVaultSecretConsumerKeyCredentialTypeProperties'),
  KeyVaultSecretConsumerKeyCredentialTypeProperties: object({
    user: 'string',
    password: 'KeyVaultSecret',
    consumerKey: 'string',
    consumerSecret: 'KeyVaultSecret',
  }),
  DelegatedAuthAzureKeyVaultCredential: credential('DelegatedAuthCredentialProperties'),
  DelegatedAuthCredentialProperties: typed('KeyVaultSecretDelegatedAuthCredentialTypeProperties'),
  KeyVaultSecretDelegatedAuthCredentialTypeProperties: object({
    clientId: 'string',
    user: 'string',
    password: 'KeyVaultSecret',
  }),
  ManagedIdentityAzureKeyVaultCredential: credential('ManagedIdentityAzureKeyVaultCredentialProperties'),
  ManagedIdentityAzureKeyVaultCredentialProperties: typed(
    'KeyVaultSecretManagedIdentityAzureKeyVaultCredentialTypeProperties',
  ),
  KeyVaultSecretManagedIdentityAzureKeyVaultCredentialTypeProperties: object({
    principalId: 'string',
    tenantId: 'string',
    resourceId: 'string',
  }),
  ErrorModel: object({ code: 'string', message: 'string', target: 'string', details: 'ErrorModel[]' }),
  ErrorResponseModel: object({ error: 'ErrorModel' }),
};

/** The definition of a credential of each kind (the discriminator's values, as the spec maps them). */
export const CREDENTIAL_DEFINITION_BY_KIND: Record<string, string> = {
  AccountKey: 'AccountKeyAuthAzureKeyVaultCredential',
  BasicAuth: 'BasicAuthAzureKeyVaultCredential',
  SqlAuth: 'SqlAuthAzureKeyVaultCredential',
  AmazonARN: 'RoleARNCredential',
  ServicePrincipal: 'ServicePrincipalAzureKeyVaultCredential',
  ConsumerKeyAuth: 'ConsumerKeyAuthAzureKeyVaultCredential',
  DelegatedAuth: 'DelegatedAuthAzureKeyVaultCredential',
  ManagedIdentity: 'ManagedIdentityAzureKeyVaultCredential',
};
