/**
 * What a node reads for a database scan: the server, database and login a job (or an interactive-authoring request)
 * hands it. The password is in the job only, for that job: nodes never store it and never log it.
 */
import { z } from 'zod';

/** The engines the reference runtime has a connector for. */
export const DATABASE_ENGINES = ['postgresql', 'mysql'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** Data source kinds scanned through a database connector, and the engine that serves each. */
export const DATABASE_ENGINE_OF_KIND: Readonly<Record<string, DatabaseEngine>> = {
  AzurePostgreSql: 'postgresql',
  AmazonPostgreSql: 'postgresql',
  AzureMySql: 'mysql',
};

/** Relational kinds whose data sources and scans are stored but that the reference runtime cannot scan yet. */
export const DATABASE_KINDS_WITHOUT_CONNECTOR: readonly string[] = [
  'AzureSqlDatabase',
  'AzureSqlDatabaseManagedInstance',
  'AzureSqlDataWarehouse',
  'SqlServerDatabase',
  'ArcEnabledSqlServer',
  'AmazonSql',
  'AmazonRedShift',
  'Oracle',
  'Teradata',
  'SapEcc',
  'SapS4Hana',
  'PostgreSql',
  'Snowflake',
];

export function isDatabaseKind(kind: string): boolean {
  return kind in DATABASE_ENGINE_OF_KIND;
}

/** TLS as a scan's `sslMode` asks: `disable` (plain), `require` (TLS, any certificate), `verify-full`. */
export const DatabaseTlsModeSchema = z.enum(['disable', 'require', 'verify-full']);
export type DatabaseTlsMode = z.infer<typeof DatabaseTlsModeSchema>;

export const DatabaseScanSourceSchema = z.object({
  kind: z.literal('Database'),
  engine: z.enum(DATABASE_ENGINES),
  /** The data source's kind, e.g. AzurePostgreSql: names the asset types. */
  dataSourceKind: z.string().min(1),
  /** Host name as registered (also what qualified names use), e.g. myserver.postgres.database.azure.com */
  serverEndpoint: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  databaseName: z.string().min(1),
  tls: DatabaseTlsModeSchema.default('disable'),
  user: z.string().min(1),
  /** From the Key Vault secret of the scan's credential; for this job only. */
  password: z.string(),
  /** Words naming the credential and its secret (never the value), for errors: "credential 'pg' (…)". */
  credentialSource: z.string().optional(),
  /** Only these schemas (case-sensitive names); absent: every schema but the system ones. */
  schemas: z.array(z.string().min(1)).optional(),
  /** Only these tables, as `schema.table` or `table`; absent: every table and view of the schemas. */
  tables: z.array(z.string().min(1)).optional(),
  /**
   * Definitions of the tables the last successful run sampled (qualifiedName → definition hash), with the rule set
   * version it ran with: an incremental run re-samples only tables whose definition changed (or all, if the rules did).
   */
  previousDefinitions: z.record(z.string()).optional(),
});
export type DatabaseScanSource = z.infer<typeof DatabaseScanSourceSchema>;

/** Purview's typeNames for what a database scan finds, per engine (see the README for which are confirmed). */
export const DATABASE_TYPENAMES = {
  postgresql: {
    server: 'azure_postgresql_server',
    database: 'azure_postgresql_db',
    schema: 'azure_postgresql_schema',
    table: 'azure_postgresql_table',
    view: 'azure_postgresql_view',
    tableColumn: 'azure_postgresql_table_column',
    viewColumn: 'azure_postgresql_view_column',
  },
  mysql: {
    server: 'azure_mysql_server',
    database: 'azure_mysql_db',
    // MySQL has no schema level: a database is its schema.
    schema: undefined,
    table: 'azure_mysql_table',
    view: 'azure_mysql_view',
    tableColumn: 'azure_mysql_table_column',
    viewColumn: 'azure_mysql_view_column',
  },
} as const;

/** Column typeNames: like `column` of files, they describe another asset and are not counted as discovered. */
export const DATABASE_COLUMN_TYPENAMES: readonly string[] = Object.values(DATABASE_TYPENAMES).flatMap((t) => [
  t.tableColumn,
  t.viewColumn,
]);

/** A table's or view's columns as the server defines them (`:previewSchema` of a database source). */
export const DatabasePreviewSchemaResultSchema = z.object({
  path: z.string(),
  qualifiedName: z.string(),
  kind: z.enum(['Table', 'View']),
  columns: z.array(
    z.object({ name: z.string(), type: z.string(), isNullable: z.boolean(), isPrimaryKey: z.boolean() }),
  ),
  integrationRuntimeName: z.string().optional(),
  nodeName: z.string().optional(),
});
export type DatabasePreviewSchemaResult = z.infer<typeof DatabasePreviewSchemaResultSchema>;

/** Node protocol: an interactive request (test connection, browse, preview) for a database source. */
export const DatabaseNodeRequestSchema = z.object({
  source: DatabaseScanSourceSchema,
  path: z.string().optional(),
  maxItems: z.number().int().min(1).max(5000).optional(),
});
export type DatabaseNodeRequest = z.infer<typeof DatabaseNodeRequestSchema>;
