import { z } from 'zod';

/**
 * Data source kinds of the 2023-09-01 Scanning API: the `DataSourceType` enum (the `kind` discriminator of
 * `DataSource`) without `None`, which names no source. 25 of them have a `DataSource` subtype with its own
 * properties; the others (Fabric, Snowflake, …) have scan kinds (`SnowflakeCredential`, …) but only the base
 * properties in the spec.
 */
export const DATA_SOURCE_KINDS = [
  'Fabric',
  'AzureSubscription',
  'AzureResourceGroup',
  'AzureSynapseWorkspace',
  'AzureSynapse',
  'AdlsGen1',
  'AdlsGen2',
  'AmazonAccount',
  'AmazonS3',
  'AmazonSql',
  'AzureCosmosDb',
  'AzureDataExplorer',
  'AzureFileService',
  'AzureSqlDatabase',
  'ArcEnabledSqlServer',
  'AmazonPostgreSql',
  'AzurePostgreSql',
  'Databricks',
  'SqlServerDatabase',
  'AzureSqlDatabaseManagedInstance',
  'AzureSqlDataWarehouse',
  'AzureMySql',
  'Hdfs',
  'TableauServer',
  'AzureStorage',
  'Teradata',
  'Oracle',
  'PostgreSql',
  'AmazonRedShift',
  'DatabricksHms',
  'SapS4Hana',
  'SapEcc',
  'Snowflake',
  'PowerBI',
  'Trident',
  'Dataverse',
  'DatabricksUnityCatalog',
] as const;
export type DataSourceKind = (typeof DATA_SOURCE_KINDS)[number];

export function isDataSourceKind(kind: string): kind is DataSourceKind {
  return (DATA_SOURCE_KINDS as readonly string[]).includes(kind);
}

// Loose typing, as the spec has it: strings are strings, int32 ports are integers; null means "not set".
const text = z.string().nullable().optional();
const int32 = z.number().int().min(-2147483648).max(2147483647).nullable().optional();

/** `AzureDataSourceProperties`: what the Azure kinds add to the base properties. */
const AZURE = {
  resourceGroup: text,
  subscriptionId: text,
  location: text,
  resourceName: text,
  resourceId: text,
  dataUseGovernance: text,
};

const SHAPES: Record<DataSourceKind, z.ZodRawShape> = {
  AzureSubscription: { subscriptionId: text, resourceId: text, dataUseGovernance: text },
  AzureResourceGroup: { subscriptionId: text, resourceGroup: text, resourceId: text, dataUseGovernance: text },
  AzureSynapseWorkspace: { ...AZURE, dedicatedSqlEndpoint: text, serverlessSqlEndpoint: text },
  AzureSynapse: { ...AZURE, sqlEndpoint: text, sqlOnDemandEndpoint: text },
  AdlsGen1: { ...AZURE, endpoint: text },
  AdlsGen2: { ...AZURE, endpoint: text },
  AzureStorage: { ...AZURE, endpoint: text },
  AzureFileService: { ...AZURE, endpoint: text },
  AzureDataExplorer: { ...AZURE, endpoint: text },
  AzureCosmosDb: { ...AZURE, accountUri: text },
  AzureSqlDatabase: { ...AZURE, serverEndpoint: text },
  AzureSqlDatabaseManagedInstance: { ...AZURE, serverEndpoint: text },
  AzureSqlDataWarehouse: { ...AZURE, serverEndpoint: text },
  AzureMySql: { ...AZURE, serverEndpoint: text, port: int32 },
  AzurePostgreSql: { ...AZURE, serverEndpoint: text, port: int32 },
  SqlServerDatabase: { serverEndpoint: text },
  AmazonAccount: { awsAccountId: text, roleARN: text },
  AmazonS3: { serviceUrl: text, roleARN: text },
  AmazonSql: { serverEndpoint: text, port: int32, vpcEndpointServiceName: text },
  AmazonPostgreSql: { serverEndpoint: text, port: int32, vpcEndpointServiceName: text },
  Teradata: { host: text },
  Oracle: { host: text, port: text, service: text }, // the spec types Oracle's port as a string
  SapS4Hana: { applicationServer: text, systemNumber: text },
  SapEcc: { applicationServer: text, systemNumber: text },
  PowerBI: { tenant: text },
  Fabric: {},
  ArcEnabledSqlServer: {},
  Databricks: {},
  Hdfs: {},
  TableauServer: {},
  PostgreSql: {},
  AmazonRedShift: {},
  DatabricksHms: {},
  Snowflake: {},
  Trident: {},
  Dataverse: {},
  DatabricksUnityCatalog: {},
};

/** `CollectionReference` as clients send it. */
export const CollectionReferenceInputSchema = z
  .object({ referenceName: z.string().min(1, 'collection.referenceName must not be empty'), type: text })
  .passthrough();

/**
 * `properties` of a data source of `kind`: the base properties, the kind's own (typed), and anything else clients
 * send (kept as given). Read-only fields are dropped by the service, not here.
 */
export function dataSourcePropertiesSchema(kind: DataSourceKind) {
  return z
    .object({ ...SHAPES[kind], collection: CollectionReferenceInputSchema.nullable().optional() })
    .passthrough()
    .nullable()
    .optional();
}
