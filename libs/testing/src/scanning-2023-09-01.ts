import { type Definitions, enumOf, object } from './spec-contract';

/**
 * The response definitions of the public Scanning 2023-09-01 API, in spec-contract's notation (property names, types
 * and enums only), as `definitions` of
 * https://github.com/Azure/azure-rest-api-specs/blob/main/specification/purview/data-plane/Azure.Analytics.Purview.Scanning/stable/2023-09-01/scanningService.json
 * declares them: triggers (Trigger, TriggerProperties, TriggerRecurrence, RecurrenceSchedule,
 * RecurrenceScheduleOccurrence), runs (OperationResponse, ScanResultWithIngestion, ScanDiagnostics, Notification,
 * DiscoveryExecutionDetails, IngestionExecutionDetails), Key Vault connections (AzureKeyVault, AzureKeyVaultProperties,
 * AzureKeyVaultList), credentials (`Credential` is polymorphic on `kind`: each kind is its own definition, named as the
 * spec names it; KeyVaultSecret, Store, CredentialList), scan rule sets (ScanRuleset and the file-based kinds'
 * ScanningRuleScanRuleset, their properties, ScanningRule, CustomFileExtension), classification rules (Custom and
 * System, RegexClassificationRulePattern), managed virtual networks and private endpoints, and errors (ErrorModel,
 * ErrorResponseModel). Polymorphic lists are declared with `any[]` items: each item is checked against its kind's
 * definition. The schedule's
 * `additionalProperties` object property is left out: nobody sends it.
 */
const DAY_OF_WEEK = enumOf('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday');

const typed = (typeProperties: string) => object({ typeProperties, description: 'string' });
const credential = (properties: string) => object({ id: 'string', name: 'string', kind: 'CredentialType', properties });

/** `DataSourceType` without `None` (the spec's order). */
const DATA_SOURCE_TYPES = [
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
];

/** `FileExtensionsType`. */
const FILE_EXTENSIONS_TYPE = [
  'AVRO',
  'ORC',
  'PARQUET',
  'JSON',
  'TXT',
  'XML',
  'Documents',
  'CSV',
  'PSV',
  'SSV',
  'TSV',
  'GZ',
  'DOC',
  'DOCM',
  'DOCX',
  'DOT',
  'ODP',
  'ODS',
  'ODT',
  'PDF',
  'POT',
  'PPS',
  'PPSX',
  'PPT',
  'PPTM',
  'PPTX',
  'XLC',
  'XLS',
  'XLSB',
  'XLSM',
  'XLSX',
  'XLT',
];

/** `ScanRulesetProperties`. */
const RULESET_PROPERTIES = {
  createdAt: 'string',
  description: 'string',
  excludedSystemClassifications: 'string[]',
  includedCustomClassificationRuleNames: 'string[]',
  lastModifiedAt: 'string',
};

/** A `ScanRuleset` (or `SystemScanRuleset`) subtype whose `properties` are `properties`. */
const ruleset = (properties: string) =>
  object({
    id: 'string',
    name: 'string',
    kind: 'DataSourceType',
    scanRulesetType: 'ScanRulesetType',
    status: 'ScanRulesetStatus',
    version: 'integer',
    properties,
  });

export const SCANNING_2023_09_01: Definitions = {
  Trigger: object({ id: 'string', name: 'string', properties: 'TriggerProperties', validationErrorInfo: 'string' }),
  TriggerProperties: object({
    recurrence: 'TriggerRecurrence',
    recurrenceInterval: 'string',
    createdAt: 'string',
    lastModifiedAt: 'string',
    lastScheduled: 'string',
    state: 'TriggerState',
    scanLevel: 'ScanLevelType',
    incrementalScanStartTime: 'string',
  }),
  TriggerRecurrence: object({
    frequency: 'TriggerFrequency',
    interval: 'integer',
    startTime: 'string',
    endTime: 'string',
    schedule: 'RecurrenceSchedule',
    timeZone: 'string',
  }),
  RecurrenceSchedule: object({
    minutes: 'integer[]',
    hours: 'integer[]',
    weekDays: 'DaysOfWeek[]',
    monthDays: 'integer[]',
    monthlyOccurrences: 'RecurrenceScheduleOccurrence[]',
  }),
  RecurrenceScheduleOccurrence: object({ day: 'DayOfWeek', occurrence: 'integer' }),
  TriggerFrequency: enumOf('Week', 'Month', 'Day', 'Hour'),
  TriggerState: enumOf('Enabled', 'Disabled'),
  ScanLevelType: enumOf('Full', 'Incremental'),
  ScanRulesetType: enumOf('Custom', 'System'),
  DayOfWeek: DAY_OF_WEEK,
  DaysOfWeek: DAY_OF_WEEK,
  OperationResponse: object({
    scanResultId: 'string',
    startTime: 'string',
    endTime: 'string',
    status: 'OperationStatus',
    error: 'ErrorModel',
  }),
  OperationStatus: enumOf('Accepted', 'InProgress', 'TransientFailure', 'Succeeded', 'Failed', 'Canceled'),
  ErrorModel: object({ code: 'string', details: 'ErrorModel[]', message: 'string', target: 'string' }),
  ScanResultWithIngestion: object({
    discoveryExecutionDetails: 'DiscoveryExecutionDetails',
    ingestionExecutionDetails: 'IngestionExecutionDetails',
    parentId: 'string',
    id: 'string',
    ingestionJobId: 'string',
    resourceId: 'string',
    status: 'string',
    diagnostics: 'ScanDiagnostics',
    startTime: 'string',
    endTime: 'string',
    scanRulesetVersion: 'integer',
    scanRulesetType: 'ScanRulesetType',
    scanLevelType: 'ScanLevelType',
    errorMessage: 'string',
    error: 'ErrorModel',
    runType: 'string',
    dataSourceType: 'string',
  }),
  ScanDiagnostics: object({ notifications: 'Notification[]', exceptionCountMap: 'map<integer>' }),
  Notification: object({ message: 'string', code: 'integer' }),
  DiscoveryExecutionDetails: object({
    discoveryStartTime: 'string',
    discoveryEndTime: 'string',
    status: 'ScanStatus',
    statistics: 'map<any>',
    isErrorLogAvailable: 'boolean',
  }),
  ScanStatus: enumOf(
    'Queued',
    'Running',
    'Succeeded',
    'Failed',
    'Cancelled',
    'Delayed',
    'Throttled',
    'CompletedWithExceptions',
    'CompleteWithWarning',
  ),
  IngestionExecutionDetails: object({
    ingestionStartTime: 'string',
    ingestionEndTime: 'string',
    status: 'IngestionPhaseStatus',
    statistics: 'map<any>',
    estimatedTimeRemainingInSeconds: 'integer',
    isErrorLogAvailable: 'boolean',
    lastUpdatedAt: 'string',
  }),
  IngestionPhaseStatus: enumOf(
    'None',
    'Succeeded',
    'Queued',
    'InProgress',
    'SourceUnknown',
    'PartialSucceeded',
    'Failed',
    'Canceled',
    'Canceling',
  ),
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
  ErrorResponseModel: object({ error: 'ErrorModel' }),
  DataSourceType: enumOf('None', ...DATA_SOURCE_TYPES),
  ScanRulesetStatus: enumOf('Enabled', 'Disabled'),
  FileExtensionsType: enumOf(...FILE_EXTENSIONS_TYPE),
  // ScanRuleset / SystemScanRuleset over VersionedScanRuleset; the file-based kinds' properties add a scanningRule.
  ScanRuleset: ruleset('ScanRulesetProperties'),
  ScanningRuleScanRuleset: ruleset('ScanningRuleScanRulesetProperties'),
  ScanRulesetProperties: object(RULESET_PROPERTIES),
  ScanningRuleScanRulesetProperties: object({ ...RULESET_PROPERTIES, scanningRule: 'ScanningRule' }),
  ScanningRule: object({ fileExtensions: 'FileExtensionsType[]', customFileExtensions: 'CustomFileExtension[]' }),
  CustomFileExtension: object({
    customFileType: 'CustomFileType',
    description: 'string',
    enabled: 'boolean',
    fileExtension: 'string',
  }),
  CustomFileType: object({ builtInType: 'FileExtensionsType', customDelimiter: 'string' }),
  ScanRulesetList: object({ value: 'any[]', nextLink: 'string', count: 'integer' }),
  SystemScanRulesetList: object({ value: 'any[]', nextLink: 'string', count: 'integer' }),
  // ClassificationRule is polymorphic on kind (System, Custom).
  ClassificationRuleType: enumOf('System', 'Custom'),
  ClassificationRuleStatus: enumOf('Enabled', 'Disabled'),
  ClassificationAction: enumOf('Keep', 'Delete'),
  CustomClassificationRule: object({
    id: 'string',
    name: 'string',
    kind: 'ClassificationRuleType',
    properties: 'CustomClassificationRuleProperties',
  }),
  CustomClassificationRuleProperties: object({
    minimumPercentageMatch: 'number',
    classificationAction: 'ClassificationAction',
    dataPatterns: 'RegexClassificationRulePattern[]',
    columnPatterns: 'RegexClassificationRulePattern[]',
    description: 'string',
    version: 'integer',
    classificationName: 'string',
    ruleStatus: 'ClassificationRuleStatus',
    createdAt: 'string',
    lastModifiedAt: 'string',
  }),
  SystemClassificationRule: object({
    id: 'string',
    name: 'string',
    kind: 'ClassificationRuleType',
    properties: 'SystemClassificationRuleProperties',
  }),
  SystemClassificationRuleProperties: object({
    description: 'string',
    version: 'integer',
    classificationName: 'string',
    ruleStatus: 'ClassificationRuleStatus',
    createdAt: 'string',
    lastModifiedAt: 'string',
  }),
  ClassificationRulePatternType: enumOf('Regex'),
  RegexClassificationRulePattern: object({ kind: 'ClassificationRulePatternType', pattern: 'string' }),
  ClassificationRuleList: object({ value: 'any[]', nextLink: 'string', count: 'integer' }),
  // Managed virtual networks and their private endpoints.
  ManagedVirtualNetwork: object({ id: 'string', name: 'string', properties: 'ManagedVirtualNetworkProperties' }),
  ManagedVirtualNetworkProperties: object({ vNetId: 'string', alias: 'string' }),
  ManagedVirtualNetworkList: object({ value: 'ManagedVirtualNetwork[]', nextLink: 'string', count: 'integer' }),
  ManagedPrivateEndpoint: object({ id: 'string', name: 'string', properties: 'ManagedPrivateEndpointProperties' }),
  ManagedPrivateEndpointProperties: object({
    connectionState: 'ConnectionStateProperties',
    fqdns: 'string[]',
    groupId: 'string',
    privateLinkResourceId: 'string',
    provisioningState: 'string',
  }),
  ConnectionStateProperties: object({ actionsRequired: 'string', description: 'string', status: 'string' }),
  ManagedPrivateEndpointList: object({ value: 'ManagedPrivateEndpoint[]', nextLink: 'string', count: 'integer' }),
};

/**
 * What rule sets and classification rules send beyond their definitions: the `temporaryResourceFilters` the real
 * service adds by itself and a rule set's `collection` (recorded 2018-12-01-preview traffic, recorded-behaviour.md),
 * and a custom rule's `minimumDistinctMatchCount` (the recorded custom rule's defaults).
 */
export const RULESET_UNDECLARED = {
  ScanRulesetProperties: ['temporaryResourceFilters', 'collection'],
  ScanningRuleScanRulesetProperties: ['temporaryResourceFilters', 'collection'],
  CustomClassificationRuleProperties: ['minimumDistinctMatchCount'],
} as const;

/**
 * What runs send beyond ScanResultWithIngestion: ScanResult's own fields (assetsDiscovered, …, which the recorded real
 * history items carry), `webScanResults` (null in the spec's ScanResult_ListScanHistory example) and the emulator's
 * documented `emulatorDiagnostics`.
 */
export const RUN_UNDECLARED = {
  ScanResultWithIngestion: [
    'assetsDiscovered',
    'assetsClassified',
    'queuedTime',
    'pipelineStartTime',
    'isErrorLogAvailable',
    'webScanResults',
    'emulatorDiagnostics',
  ],
} as const;

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
