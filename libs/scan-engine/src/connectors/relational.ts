import { createHash } from 'node:crypto';
import type { DatabaseScanSource } from '@purview-emulator/contracts';

/**
 * The database connector family: what the relational scan pipeline and interactive authoring need from a server.
 * Connectors issue read-only, bounded queries only (catalog queries, and `LIMIT n` samples of named columns).
 */
export interface RelationalColumn {
  name: string;
  /** The server's own spelling, e.g. `character varying(120)`, `int(11)`. */
  type: string;
  nullable: boolean;
  isPrimaryKey: boolean;
  /** 1-based, as the catalog numbers columns. */
  position: number;
}

export interface RelationalTable {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  columns: RelationalColumn[];
  /** The server's row count (statistics, not a count query); absent for views and tables never counted. */
  rowCount?: number;
}

/** Why a connector call failed, in the words interactive authoring and run errors use. */
export type DatabaseErrorCode =
  'AuthenticationFailed' | 'SourceUnreachable' | 'DatabaseNotFound' | 'PermissionDenied' | 'QueryFailed';

export class DatabaseError extends Error {
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    /** True when another attempt may succeed (the server went away or timed out). */
    readonly retryable = code === 'SourceUnreachable',
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

export interface RelationalConnectorOptions {
  /** Connections opened at once (the pool's size); default 4. */
  maxConnections?: number;
  connectTimeoutMs?: number;
  /** Each statement's limit on the server and in the driver. */
  queryTimeoutMs?: number;
}

export interface RelationalConnector {
  /** Databases the login can see (for browsing). */
  listDatabases(): Promise<string[]>;
  /** Schemas of the connected database, system schemas excluded (MySQL: the database itself). */
  listSchemas(): Promise<string[]>;
  /** Tables and views with their columns, in schema then name order; `schemas` narrows the catalog query. */
  listTables(scope?: { schemas?: readonly string[] }): Promise<RelationalTable[]>;
  /** At most `limit` rows of the table's columns, each value as text ('' for NULL). */
  sampleRows(table: RelationalTable, limit: number): Promise<string[][]>;
  close(): Promise<void>;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 60_000;

/** A table's definition in one value: what an incremental scan compares with the last run's. */
export function definitionHashOf(table: RelationalTable): string {
  const text = JSON.stringify([
    table.kind,
    table.columns.map((c) => [c.name, c.type, c.nullable, c.isPrimaryKey, c.position]),
  ]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** "server:port/database as user" for messages: never the password. */
/** What a relational connector signs in with: the scan's server, database and login. */
export type RelationalLogin = Pick<
  DatabaseScanSource,
  'serverEndpoint' | 'port' | 'databaseName' | 'user' | 'password' | 'tls'
> & {
  /** Where the server really is when the registered endpoint is a name (tests); default serverEndpoint. */
  host?: string;
};

export function describeTarget(source: Pick<DatabaseScanSource, 'serverEndpoint' | 'port' | 'databaseName' | 'user'>) {
  return `${source.serverEndpoint}:${source.port}/${source.databaseName} as '${source.user}'`;
}

/** Network failures of a socket: the server is down, unreachable or went away. */
export const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
]);

/** A sampled value as the classifiers read it: the queries cast to text, so anything else is NULL ('') or a driver's. */
export function sampledText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}
