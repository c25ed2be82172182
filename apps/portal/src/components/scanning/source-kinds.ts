/** The source types the portal registers: the ones the reference runtime scans (storage accounts, two databases). */
export interface SourceKindInfo {
  kind: string;
  label: string;
  /** Storage kinds: the endpoint's service (`https://{account}.{host}.core.windows.net/`). */
  host?: 'blob' | 'dfs';
  /** Database kinds: the server's default port. */
  port?: number;
  /** Credential types a scan of this kind reads with (none: the emulator's managed identity is offered too). */
  credentialTypes: string[];
}

export const SOURCE_KINDS: SourceKindInfo[] = [
  { kind: 'AzureStorage', label: 'Azure Blob Storage', host: 'blob', credentialTypes: ['AccountKey'] },
  { kind: 'AdlsGen2', label: 'Azure Data Lake Storage Gen2', host: 'dfs', credentialTypes: ['AccountKey'] },
  {
    kind: 'AzurePostgreSql',
    label: 'Azure Database for PostgreSQL',
    port: 5432,
    credentialTypes: ['SqlAuth', 'BasicAuth'],
  },
  { kind: 'AzureMySql', label: 'Azure Database for MySQL', port: 3306, credentialTypes: ['SqlAuth', 'BasicAuth'] },
];

export function kindInfo(kind: string | undefined): SourceKindInfo | undefined {
  return SOURCE_KINDS.find((k) => k.kind === kind);
}

export const isDatabase = (kind: string | undefined): boolean => kindInfo(kind)?.port !== undefined;

/** The credentials a source of this kind can be read with (a database: SQL or basic; storage: account keys). */
export function credentialsFor<C extends { kind: string }>(kind: string | undefined, credentials: readonly C[]): C[] {
  const types = kindInfo(kind)?.credentialTypes ?? [];
  return credentials.filter((c) => types.includes(c.kind));
}

/** A source's address as its kind spells it: the storage endpoint, or server:port. */
export function sourceAddress(properties: { endpoint?: unknown; serverEndpoint?: unknown; port?: unknown }): string {
  if (typeof properties.endpoint === 'string') return properties.endpoint;
  if (typeof properties.serverEndpoint === 'string')
    return typeof properties.port === 'number'
      ? `${properties.serverEndpoint}:${properties.port}`
      : properties.serverEndpoint;
  return '';
}

/** What the portal shows and edits of a scan's properties (the spec types them per scan kind; read loosely here). */
export interface ScanSettings {
  runtime?: string;
  credential?: string;
  credentialType?: string;
  databaseName?: string;
}

export function scanSettings(properties: Record<string, unknown> | undefined): ScanSettings {
  const p = (properties ?? {}) as {
    connectedVia?: { referenceName?: string } | null;
    credential?: { referenceName?: string; credentialType?: string } | null;
    databaseName?: string | null;
  };
  return {
    runtime: p.connectedVia?.referenceName,
    credential: p.credential?.referenceName,
    credentialType: p.credential?.credentialType,
    databaseName: p.databaseName ?? undefined,
  };
}

/** The path one level up: storage folders keep their trailing '/', database paths (`db/schema`) have none. */
export function parentPath(path: string): string {
  const segments = path.replace(/\/$/, '').split('/');
  segments.pop();
  return segments.length ? segments.join('/') + (path.endsWith('/') ? '/' : '') : '';
}
