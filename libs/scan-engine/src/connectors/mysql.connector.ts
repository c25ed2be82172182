import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';
import {
  DatabaseError,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
  describeTarget,
  type RelationalConnector,
  type RelationalLogin as Login,
  type RelationalConnectorOptions,
  type RelationalTable,
  sampledText,
  UNREACHABLE_ERRNOS,
} from './relational';

const SYSTEM_DATABASES = ['mysql', 'information_schema', 'performance_schema', 'sys'];

const CATALOG_SQL = `
SELECT c.TABLE_SCHEMA AS table_schema, c.TABLE_NAME AS table_name, t.TABLE_TYPE AS table_type, t.TABLE_ROWS AS table_rows,
       c.COLUMN_NAME AS column_name, c.COLUMN_TYPE AS column_type, c.IS_NULLABLE AS is_nullable,
       c.ORDINAL_POSITION AS position, c.COLUMN_KEY AS column_key
  FROM information_schema.COLUMNS c
  JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
 WHERE c.TABLE_SCHEMA IN (?)
 ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`;

interface CatalogRow {
  table_schema: string;
  table_name: string;
  table_type: string;
  table_rows: number | string | null;
  column_name: string;
  column_type: string;
  is_nullable: string;
  position: number;
  column_key: string;
}

export const quoteMysqlIdentifier = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * MySQL and MariaDB through `mysql2`: a small pool, TLS as asked, connect and query timeouts, every session
 * `READ ONLY`. MySQL has no schema level: the scan's database is the one schema listed.
 */
export class MysqlConnector implements RelationalConnector {
  private readonly pool: Pool;
  private readonly queryTimeoutMs: number;

  constructor(
    private readonly login: Login,
    options: RelationalConnectorOptions = {},
  ) {
    this.queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    const config: PoolOptions = {
      host: login.host ?? login.serverEndpoint,
      port: login.port,
      database: login.databaseName,
      user: login.user,
      password: login.password,
      connectionLimit: options.maxConnections ?? 4,
      connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ssl: login.tls === 'disable' ? undefined : { rejectUnauthorized: login.tls === 'verify-full' },
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
    };
    this.pool = createPool(config);
    this.pool.on('connection', (connection) => {
      // A scan never writes: the session refuses to.
      // The event hands the driver's callback connection (whatever the promise typings say).
      (connection as unknown as { query(sql: string, done: (error: unknown) => void): void }).query(
        'SET SESSION TRANSACTION READ ONLY',
        () => undefined,
      );
    });
  }

  async listDatabases(): Promise<string[]> {
    const rows = await this.query<{ name: string }>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA');
    return rows
      .map((r) => r.name)
      .filter((n) => !SYSTEM_DATABASES.includes(n))
      .sort();
  }

  /** The scan's database, asked of the server: the login and the database are checked (test connection relies on it). */
  async listSchemas(): Promise<string[]> {
    const rows = await this.query<{ name: string | null }>('SELECT DATABASE() AS name');
    return rows.map((r) => r.name ?? this.login.databaseName);
  }

  async listTables(scope: { schemas?: readonly string[] } = {}): Promise<RelationalTable[]> {
    const schemas = scope.schemas?.length ? [...scope.schemas] : [this.login.databaseName];
    const rows = await this.query<CatalogRow>(CATALOG_SQL, [schemas]);
    const tables: RelationalTable[] = [];
    let current: RelationalTable | undefined;
    for (const row of rows) {
      if (!current || current.schema !== row.table_schema || current.name !== row.table_name) {
        const kind = row.table_type === 'VIEW' ? 'view' : 'table';
        current = { schema: row.table_schema, name: row.table_name, kind, columns: [] };
        if (kind === 'table' && row.table_rows !== null) current.rowCount = Number(row.table_rows);
        tables.push(current);
      }
      current.columns.push({
        name: row.column_name,
        type: row.column_type,
        nullable: row.is_nullable === 'YES',
        isPrimaryKey: row.column_key === 'PRI',
        position: Number(row.position),
      });
    }
    return tables;
  }

  async sampleRows(table: RelationalTable, limit: number): Promise<string[][]> {
    if (table.columns.length === 0) return [];
    const columns = table.columns.map((c) => `CAST(${quoteMysqlIdentifier(c.name)} AS CHAR)`).join(', ');
    const sql = `SELECT ${columns} FROM ${quoteMysqlIdentifier(table.schema)}.${quoteMysqlIdentifier(table.name)} LIMIT ${Math.max(0, Math.floor(limit))}`;
    const rows = await this.query<unknown[]>({ sql, rowsAsArray: true });
    return rows.map((row) => row.map(sampledText));
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private async query<R>(query: string | { sql: string; rowsAsArray: boolean }, values?: unknown[]): Promise<R[]> {
    try {
      const options = typeof query === 'string' ? { sql: query } : query;
      const [rows] = await this.pool.query({ ...options, timeout: this.queryTimeoutMs }, values);
      return rows as R[];
    } catch (error) {
      throw mysqlError(error, this.login);
    }
  }
}

export function mysqlError(error: unknown, login: Login): DatabaseError {
  const e = error as { code?: string; errno?: number; message?: string; fatal?: boolean };
  const message = e?.message ?? String(error);
  const target = describeTarget(login);
  switch (e?.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return new DatabaseError('AuthenticationFailed', `MySQL at ${target} refused the login: ${message}`);
    case 'ER_BAD_DB_ERROR':
      return new DatabaseError('DatabaseNotFound', `MySQL at ${target}: ${message}`);
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
      return new DatabaseError('PermissionDenied', message);
    case 'ER_SERVER_SHUTDOWN':
    case 'ER_CONNECTION_KILLED':
      return new DatabaseError('SourceUnreachable', `MySQL at ${target} went away: ${message}`);
  }
  if ((e?.code && UNREACHABLE_ERRNOS.has(e.code)) || e?.fatal || /connect ETIMEDOUT|Pool is closed/.test(message))
    return new DatabaseError('SourceUnreachable', `MySQL at ${target} cannot be reached: ${message}`);
  return new DatabaseError('QueryFailed', message, false);
}
