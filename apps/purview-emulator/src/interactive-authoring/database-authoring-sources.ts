import { Injectable } from '@nestjs/common';
import {
  type DatabaseEngine,
  type DatabaseScanSource,
  type DataSource,
  type InteractiveCredential,
  type Scan,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { credentialNameOf, DatabaseScanJobs, serverOf, text } from '../scanning/database-scan-jobs';
import { ScansService } from '../scanning/scans.service';

/** A database every login can open, for browsing the server before a database is chosen. */
const SERVER_DATABASE: Record<DatabaseEngine, string> = { postgresql: 'postgres', mysql: 'information_schema' };

/**
 * The database source an interactive request (test connection, browse, preview) reads, built as for a scan job:
 * the server of the data source, the login of a SqlAuth/BasicAuth credential (the one named in the request, else
 * the one the data source's scans use) resolved from Key Vault for this request only, and the database the path
 * names (else the scan's `databaseName`, else one every login can open).
 */
@Injectable()
export class DatabaseAuthoringSources {
  constructor(
    private readonly scans: ScansService,
    private readonly jobs: DatabaseScanJobs,
  ) {}

  async sourceOf(
    dataSource: DataSource,
    credential: InteractiveCredential | undefined,
    path: string | undefined,
  ): Promise<DatabaseScanSource> {
    if (credential && !('referenceName' in credential))
      throw PurviewError.badRequest(
        `Data source '${dataSource.name}' is a database: name a SqlAuth or BasicAuth credential, {"credential":{"referenceName":"<credential>","credentialType":"SqlAuth"}}, not a storage key or SAS.`,
        'InvalidCredential',
        'credential',
      );
    const pathDatabase = databaseOfPath(path);
    const scans = (await this.scans.list(dataSource.name, 0, 1000)).value;
    const scan = this.scanFor(dataSource, scans, credential?.referenceName);
    const scanProps: Record<string, unknown> = scan?.properties ?? {};
    const credentialName = credential?.referenceName ?? credentialNameOf(scanProps);
    if (!credentialName)
      throw PurviewError.badRequest(
        `Data source '${dataSource.name}' has no scan with a credential to log in with. Name one in the body: {"credential":{"referenceName":"<credential>","credentialType":"SqlAuth"}}.`,
        'CredentialRequired',
        'credential',
      );
    const server = serverOf(dataSource.kind, dataSource.name, dataSource.properties, scanProps);
    const databaseName = pathDatabase ?? text(scanProps.databaseName) ?? SERVER_DATABASE[server.engine];
    return this.jobs.withLogin(server, databaseName, credentialName);
  }

  /** The scan whose credential (and database, port, TLS) a request uses: the one with the named credential, else the only one with a credential. */
  private scanFor(dataSource: DataSource, scans: Scan[], credentialName: string | undefined): Scan | undefined {
    const withCredential = scans.filter((s) => credentialNameOf(s.properties) !== undefined);
    if (credentialName)
      return withCredential.find((s) => credentialNameOf(s.properties)?.toLowerCase() === credentialName.toLowerCase());
    const names = [...new Set(withCredential.map((s) => credentialNameOf(s.properties)?.toLowerCase()))];
    if (names.length > 1)
      throw PurviewError.badRequest(
        `The scans of data source '${dataSource.name}' log in with several credentials (${withCredential.map((s) => `'${credentialNameOf(s.properties)}'`).join(', ')}). Name one in the body: {"credential":{"referenceName":"<credential>","credentialType":"SqlAuth"}}.`,
        'CredentialRequired',
        'credential',
      );
    return withCredential[0];
  }
}

/** The database a path names (`db`, `db/schema`, `db/schema/table`); control characters and '..' are refused. */
export function databaseOfPath(path: string | undefined): string | undefined {
  if (path === undefined || path === '') return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path))
    throw PurviewError.badRequest('The path contains control characters.', 'InvalidPath', 'path');
  // A trailing '/' is allowed, as in storage folder paths.
  const segments = path.replace(/\/$/, '').split('/');
  if (path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..'))
    throw PurviewError.badRequest(
      `'${path}' is not a database path: give database, database/schema or database/schema/table (MySQL: database/table), without empty, '.' or '..' parts.`,
      'InvalidPath',
      'path',
    );
  return segments[0];
}
