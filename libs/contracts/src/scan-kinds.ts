import { z } from 'zod';
import { CollectionReferenceInputSchema, type DataSourceKind } from './data-source-kinds';
import { SCAN_RULESET_TYPES } from './scanning';

/**
 * Scan kinds of the 2023-09-01 Scanning API: the `ScanAuthorizationType` enum (the `kind` discriminator of `Scan`),
 * each with the data source kind it scans. 43 of them have a `*Scan` subtype with its own properties (SCAN_SHAPES);
 * the others (SnowflakeCredential, FabricMsi, …) have only the base `ScanProperties` in the spec.
 */
export const DATA_SOURCE_KIND_OF_SCAN_KIND = {
  AzureSubscriptionCredential: 'AzureSubscription',
  AzureSubscriptionMsi: 'AzureSubscription',
  AzureResourceGroupCredential: 'AzureResourceGroup',
  AzureResourceGroupMsi: 'AzureResourceGroup',
  AzureSynapseWorkspaceCredential: 'AzureSynapseWorkspace',
  AzureSynapseWorkspaceMsi: 'AzureSynapseWorkspace',
  AzureSynapseCredential: 'AzureSynapse',
  AzureSynapseMsi: 'AzureSynapse',
  AdlsGen1Credential: 'AdlsGen1',
  AdlsGen1Msi: 'AdlsGen1',
  AdlsGen2Credential: 'AdlsGen2',
  AdlsGen2Msi: 'AdlsGen2',
  AmazonAccountCredential: 'AmazonAccount',
  AmazonS3Credential: 'AmazonS3',
  AmazonS3RoleARN: 'AmazonS3',
  AmazonSqlCredential: 'AmazonSql',
  AzureCosmosDbCredential: 'AzureCosmosDb',
  AzureDataExplorerCredential: 'AzureDataExplorer',
  AzureDataExplorerMsi: 'AzureDataExplorer',
  AzureFileServiceCredential: 'AzureFileService',
  AzureSqlDatabaseCredential: 'AzureSqlDatabase',
  AzureSqlDatabaseMsi: 'AzureSqlDatabase',
  AzureSqlDatabaseNativeAuth: 'AzureSqlDatabase',
  ArcEnabledSqlServerCredential: 'ArcEnabledSqlServer',
  ArcEnabledSqlServerNativeAuth: 'ArcEnabledSqlServer',
  AmazonPostgreSqlCredential: 'AmazonPostgreSql',
  AzurePostgreSqlCredential: 'AzurePostgreSql',
  DatabricksCredential: 'Databricks',
  SqlServerDatabaseCredential: 'SqlServerDatabase',
  AzureSqlDatabaseManagedInstanceCredential: 'AzureSqlDatabaseManagedInstance',
  AzureSqlDatabaseManagedInstanceMsi: 'AzureSqlDatabaseManagedInstance',
  AzureSqlDatabaseManagedInstanceNativeAuth: 'AzureSqlDatabaseManagedInstance',
  AzureSqlDataWarehouseCredential: 'AzureSqlDataWarehouse',
  AzureSqlDataWarehouseMsi: 'AzureSqlDataWarehouse',
  AzureMySqlCredential: 'AzureMySql',
  HdfsCredential: 'Hdfs',
  AzureStorageCredential: 'AzureStorage',
  AzureStorageMsi: 'AzureStorage',
  TeradataTeradataCredential: 'Teradata',
  TeradataTeradataUserPass: 'Teradata',
  TeradataUserPass: 'Teradata',
  OracleOracleCredential: 'Oracle',
  OracleOracleUserPass: 'Oracle',
  DatabricksHmsCredential: 'DatabricksHms',
  SapS4HanaSapS4HanaCredential: 'SapS4Hana',
  SapS4HanaSapS4HanaUserPass: 'SapS4Hana',
  SapEccSapEccCredential: 'SapEcc',
  SapEccSapEccUserPass: 'SapEcc',
  SnowflakeCredential: 'Snowflake',
  PowerBICredential: 'PowerBI',
  PowerBIDelegated: 'PowerBI',
  PowerBIFpa: 'PowerBI',
  PowerBIMsi: 'PowerBI',
  FabricCredential: 'Fabric',
  FabricDelegated: 'Fabric',
  FabricFpa: 'Fabric',
  FabricMsi: 'Fabric',
  TridentCredential: 'Trident',
  TridentDelegated: 'Trident',
  TridentMsi: 'Trident',
  DataverseCredential: 'Dataverse',
  DataverseMsi: 'Dataverse',
} as const satisfies Record<string, DataSourceKind>;
export type ScanKind = keyof typeof DATA_SOURCE_KIND_OF_SCAN_KIND;
export const SCAN_KINDS = Object.keys(DATA_SOURCE_KIND_OF_SCAN_KIND) as ScanKind[];

export function isScanKind(kind: string): kind is ScanKind {
  return Object.prototype.hasOwnProperty.call(DATA_SOURCE_KIND_OF_SCAN_KIND, kind);
}

/** The scan kinds a data source of `dataSourceKind` can have (none for AmazonRedShift, PostgreSql, … in the spec). */
export function scanKindsOf(dataSourceKind: string): ScanKind[] {
  return SCAN_KINDS.filter((k) => DATA_SOURCE_KIND_OF_SCAN_KIND[k] === dataSourceKind);
}

/**
 * Scan kinds the reference runtime (`shir`, libs/scan-engine) has a connector for. A scan of any other kind is stored
 * and returned in shape; its runs fail saying the runtime has no connector for that kind yet. Add a kind here when
 * its connector lands.
 */
export const REFERENCE_RUNTIME_SCAN_KINDS: readonly ScanKind[] = [
  'AzureStorageMsi',
  'AzureStorageCredential',
  'AdlsGen2Msi',
  'AdlsGen2Credential',
  // Databases reached through a self-hosted runtime: a SqlAuth/BasicAuth credential, its password in Key Vault.
  'AzurePostgreSqlCredential',
  'AmazonPostgreSqlCredential',
  'AzureMySqlCredential',
];

export function isReferenceRuntimeScanKind(kind: string): boolean {
  return (REFERENCE_RUNTIME_SCAN_KINDS as readonly string[]).includes(kind);
}

// Loose typing, as the spec has it; null means "not set".
const text = z.string().nullable().optional();
const int32 = z.number().int().min(-2147483648).max(2147483647).nullable().optional();
const bool = z.boolean().nullable().optional();

export const CREDENTIAL_TYPES = [
  'AccountKey',
  'ServicePrincipal',
  'BasicAuth',
  'SqlAuth',
  'AmazonARN',
  'ConsumerKeyAuth',
  'DelegatedAuth',
  'ManagedIdentity',
] as const;

/** `CredentialReference`: which credential (by name) a scan reads with. */
export const CredentialReferenceSchema = z
  .object({
    referenceName: z.string().min(1, 'credential.referenceName must not be empty'),
    credentialType: z
      .enum(CREDENTIAL_TYPES, {
        errorMap: () => ({ message: `credential.credentialType must be one of ${CREDENTIAL_TYPES.join(', ')}` }),
      })
      .nullable()
      .optional(),
  })
  .passthrough()
  .nullable()
  .optional();

/**
 * Properties a client may send inline as a secret in some legacy scan kinds (`*UserPass`, `PowerBIDelegated`):
 * they are never stored nor returned (use a credential backed by Key Vault instead).
 */
export const INLINE_SECRET_SCAN_PROPERTIES = ['password'] as const;

/** `ScanProperties`: what every scan kind has. */
const BASE = {
  scanRulesetName: z.string().min(1).nullable().optional(),
  businessRuleSetName: text,
  scanRulesetType: z
    .enum(SCAN_RULESET_TYPES, { errorMap: () => ({ message: "scanRulesetType must be 'System' or 'Custom'" }) })
    .nullable()
    .optional(),
  collection: CollectionReferenceInputSchema.nullable().optional(),
  domain: text,
  workers: int32,
  connectedVia: z.object({ referenceName: text }).passthrough().nullable().optional(),
  isPresetScan: bool,
  isLiveViewEnabled: bool,
  parallelScanCount: int32,
  logLevel: text,
};

const CREDENTIAL = { credential: CredentialReferenceSchema };
/** `ExpandingResourceScanProperties` (subscription, resource group, workspace, account scans). */
const EXPANDING = { resourceTypes: z.record(z.unknown()).nullable().optional(), ...CREDENTIAL };
const AZURE_SQL = { serverEndpoint: text, databaseName: text };
const AMAZON_DB = {
  ...CREDENTIAL,
  serverEndpoint: text,
  databaseName: text,
  port: int32,
  vpcEndpointServiceName: text,
};
const AMAZON_S3 = { ...CREDENTIAL, roleARN: text, isMauiScan: bool };
/** `MitiScanProperties`: the self-hosted-only connectors (Teradata, Oracle, SAP). */
const MITI = { maximumMemoryAllowedInGb: text, mitiCache: text };
const DB_CREDENTIAL = { ...MITI, ...CREDENTIAL, schema: text, driverLocation: text, storedProcedureDetails: text };
const DB_USER_PASS = { ...MITI, username: text, password: text, schema: text, driverLocation: text };
const SAP_CREDENTIAL = { ...MITI, clientId: text, ...CREDENTIAL, jCoLibraryPath: text };
const SAP_USER_PASS = { ...MITI, clientId: text, username: text, password: text, jCoLibraryPath: text };

/** Each `*Scan` subtype's own properties (over `ScanProperties`), as the spec declares them. */
const SCAN_SHAPES: Partial<Record<ScanKind, z.ZodRawShape>> = {
  AzureSubscriptionCredential: EXPANDING,
  AzureSubscriptionMsi: EXPANDING,
  AzureResourceGroupCredential: EXPANDING,
  AzureResourceGroupMsi: EXPANDING,
  AzureSynapseWorkspaceCredential: EXPANDING,
  AzureSynapseWorkspaceMsi: EXPANDING,
  AzureSynapseCredential: EXPANDING,
  AzureSynapseMsi: EXPANDING,
  AmazonAccountCredential: EXPANDING,
  AdlsGen1Credential: CREDENTIAL,
  AdlsGen1Msi: {},
  AdlsGen2Credential: CREDENTIAL,
  AdlsGen2Msi: {},
  AzureStorageCredential: CREDENTIAL,
  AzureStorageMsi: {},
  AmazonS3Credential: AMAZON_S3,
  AmazonS3RoleARN: AMAZON_S3,
  AmazonSqlCredential: AMAZON_DB,
  AmazonPostgreSqlCredential: AMAZON_DB,
  AzureCosmosDbCredential: { ...CREDENTIAL, databaseName: text },
  AzureDataExplorerCredential: { ...CREDENTIAL, database: text },
  AzureDataExplorerMsi: { database: text },
  AzureFileServiceCredential: { ...CREDENTIAL, shareName: text },
  AzureSqlDatabaseCredential: { ...AZURE_SQL, ...CREDENTIAL },
  AzureSqlDatabaseMsi: AZURE_SQL,
  SqlServerDatabaseCredential: { ...AZURE_SQL, ...CREDENTIAL },
  AzureSqlDatabaseManagedInstanceCredential: { ...AZURE_SQL, ...CREDENTIAL },
  AzureSqlDatabaseManagedInstanceMsi: AZURE_SQL,
  AzureSqlDataWarehouseCredential: { ...AZURE_SQL, ...CREDENTIAL },
  AzureSqlDataWarehouseMsi: AZURE_SQL,
  AzurePostgreSqlCredential: { ...CREDENTIAL, serverEndpoint: text, databaseName: text, port: int32, sslMode: int32 },
  AzureMySqlCredential: { serverEndpoint: text, port: int32, databaseName: text, ...CREDENTIAL },
  TeradataTeradataCredential: DB_CREDENTIAL,
  TeradataTeradataUserPass: DB_USER_PASS,
  TeradataUserPass: { username: text, password: text },
  OracleOracleCredential: DB_CREDENTIAL,
  OracleOracleUserPass: DB_USER_PASS,
  SapS4HanaSapS4HanaCredential: SAP_CREDENTIAL,
  SapS4HanaSapS4HanaUserPass: SAP_USER_PASS,
  SapEccSapEccCredential: SAP_CREDENTIAL,
  SapEccSapEccUserPass: SAP_USER_PASS,
  PowerBIDelegated: {
    tenant: text,
    authenticationType: text,
    clientId: text,
    userName: text,
    password: text,
    includePersonalWorkspaces: bool,
  },
  PowerBIMsi: { includePersonalWorkspaces: bool },
};

/** The kinds with a `*Scan` subtype of their own in the spec (43). */
export const SCAN_KINDS_WITH_SUBTYPE = Object.keys(SCAN_SHAPES) as ScanKind[];

/**
 * `properties` of a scan of `kind`: the base `ScanProperties`, the kind's own (typed as the spec types them), and
 * anything else clients send (kept as given). Read-only fields are dropped by the service, not here.
 */
export function scanPropertiesSchema(kind: ScanKind) {
  return z.object({ ...BASE, ...(SCAN_SHAPES[kind] ?? {}) }).passthrough();
}
