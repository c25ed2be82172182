import { Pool, type PoolConfig } from 'pg';
import {
  DatabaseError,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
  describeTarget,
  type RelationalColumn,
  type RelationalConnector,
  type RelationalLogin as Login,
  type RelationalConnectorOptions,
  type RelationalTable,
  sampledText,
  UNREACHABLE_ERRNOS,
} from './relational';

const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

/** One query for every column of every table and view in scope (partitions are scanned as their parent). */
const CATALOG_SQL = `
SELECT n.nspname AS schema, c.relname AS name, c.relkind AS relkind,
       COALESCE(s.n_live_tup, CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint END) AS row_count,
       a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS column_type,
       NOT a.attnotnull AS nullable, a.attnum AS position,
       COALESCE(a.attnum = ANY (pk.conkey), false) AS is_pk
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
  LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition AND ${SYSTEM_SCHEMAS}
   AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
 ORDER BY n.nspname, c.relname, a.attnum`;

interface CatalogRow {
  schema: string;
  name: string;
  relkind: string;
  row_count: string | null;
  column_name: string;
  column_type: string;
  nullable: boolean;
  position: number;
  is_pk: boolean;
}

export const quotePgIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * PostgreSQL through `pg`: a small pool, TLS as the scan's sslMode asks, connect and statement timeouts, and every
 * session read-only (`default_transaction_read_only`). Database connections never go through the HTTP proxy.
 */
export class PostgresConnector implements RelationalConnector {
  private readonly pool: Pool;

  constructor(
    private readonly login: Login,
    options: RelationalConnectorOptions = {},
  ) {
    const queryTimeout = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    const config: PoolConfig = {
      host: login.host ?? login.serverEndpoint,
      port: login.port,
      database: login.databaseName,
      user: login.user,
      password: login.password,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      query_timeout: queryTimeout + 5_000,
      statement_timeout: queryTimeout,
      idleTimeoutMillis: 10_000,
      application_name: 'purview-emulator-shir',
      options: '-c default_transaction_read_only=on',
      ssl:
        login.tls === 'disable'
          ? false
          : { rejectUnauthorized: login.tls === 'verify-full', servername: login.serverEndpoint },
    };
    this.pool = new Pool(config);
    // An idle client whose server went away emits here; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  async listDatabases(): Promise<string[]> {
    const { rows } = await this.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname',
    );
    return rows.map((r) => r.datname);
  }

  async listSchemas(): Promise<string[]> {
    const { rows } = await this.query<{ nspname: string }>(
      `SELECT n.nspname FROM pg_namespace n WHERE ${SYSTEM_SCHEMAS} ORDER BY n.nspname`,
    );
    return rows.map((r) => r.nspname);
  }

  async listTables(scope: { schemas?: readonly string[] } = {}): Promise<RelationalTable[]> {
    const { rows } = await this.query<CatalogRow>(CATALOG_SQL, [scope.schemas ? [...scope.schemas] : null]);
    const tables: RelationalTable[] = [];
    let current: RelationalTable | undefined;
    for (const row of rows) {
      if (!current || current.schema !== row.schema || current.name !== row.name) {
        const kind = row.relkind === 'v' || row.relkind === 'm' ? 'view' : 'table';
        current = { schema: row.schema, name: row.name, kind, columns: [] };
        if (kind === 'table' && row.row_count !== null) current.rowCount = Number(row.row_count);
        tables.push(current);
      }
      const column: RelationalColumn = {
        name: row.column_name,
        type: row.column_type,
        nullable: row.nullable,
        isPrimaryKey: row.is_pk,
        position: row.position,
      };
      current.columns.push(column);
    }
    return tables;
  }

  async sampleRows(table: RelationalTable, limit: number): Promise<string[][]> {
    if (table.columns.length === 0) return [];
    const columns = table.columns.map((c) => `${quotePgIdentifier(c.name)}::text`).join(', ');
    const sql = `SELECT ${columns} FROM ${quotePgIdentifier(table.schema)}.${quotePgIdentifier(table.name)} LIMIT ${Math.max(0, Math.floor(limit))}`;
    const { rows } = await this.query<unknown[]>({ text: sql, rowMode: 'array' });
    return rows.map((row) => row.map(sampledText));
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private async query<R>(
    query: string | { text: string; rowMode: 'array' },
    values?: unknown[],
  ): Promise<{ rows: R[] }> {
    try {
      const result = await this.pool.query(query as string, values);
      return { rows: result.rows as R[] };
    } catch (error) {
      throw postgresError(error, this.login);
    }
  }
}

/** A driver error in the words of interactive authoring and run errors (never the password). */
export function postgresError(error: unknown, login: Login): DatabaseError {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  const target = describeTarget(login);
  switch (e?.code) {
    case '28P01':
    case '28000':
      return new DatabaseError('AuthenticationFailed', `PostgreSQL at ${target} refused the login: ${message}`);
    case '3D000':
      return new DatabaseError('DatabaseNotFound', `PostgreSQL at ${target}: ${message}`);
    case '42501':
      return new DatabaseError('PermissionDenied', message);
    case '57P01':
    case '57P02':
    case '57P03':
    case '08000':
    case '08003':
    case '08006':
      return new DatabaseError('SourceUnreachable', `PostgreSQL at ${target} went away: ${message}`);
  }
  if (
    (e?.code && UNREACHABLE_ERRNOS.has(e.code)) ||
    /Connection terminated|timeout expired|connect ETIMEDOUT|Query read timeout/i.test(message)
  )
    return new DatabaseError('SourceUnreachable', `PostgreSQL at ${target} cannot be reached: ${message}`);
  return new DatabaseError('QueryFailed', message, false);
}
