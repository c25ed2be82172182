import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import {
  DATABASE_ENGINE_OF_KIND,
  DATABASE_KINDS_WITHOUT_CONNECTOR,
  type DatabaseScanSource,
  type DatabaseTlsMode,
} from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { DatabaseLoginsService } from '../scan-credentials/database-logins.service';
import { DataSourceEntity } from './data-source.entity';
import { ScanEntity } from './scan.entity';
import type { ScanRunEntity } from './scan-run.entity';

const DEFAULT_PORTS = { postgresql: 5432, mysql: 3306 } as const;

/** Storage kinds go to StorageAccountsService; the database kinds with a connector come here. */
export function isStorageRun(run: Pick<ScanRunEntity, 'dataSourceKind'>): boolean {
  return run.dataSourceKind === 'AzureStorage' || run.dataSourceKind === 'AdlsGen2';
}

/**
 * The source of a database scan job: the server and port (the scan's, else its data source's), the scan's
 * databaseName and sslMode, and the login of its credential, resolved from Key Vault for this job only. Read when the
 * job is leased, so a credential whose secret was rotated is used at once. A kind without a connector fails the run
 * with a reason that says so.
 */
@Injectable()
export class DatabaseScanJobs {
  constructor(
    @InjectRepository(ScanEntity) private readonly scans: Repository<ScanEntity>,
    @InjectRepository(DataSourceEntity) private readonly dataSources: Repository<DataSourceEntity>,
    private readonly logins: DatabaseLoginsService,
  ) {}

  async sourceOf(run: ScanRunEntity): Promise<DatabaseScanSource> {
    const scan = await this.scans.findOne({ where: { id: run.scanId } });
    const dataSource = scan ? await this.dataSources.findOne({ where: { id: scan.dataSourceId } }) : null;
    if (!scan || !dataSource) throw PurviewError.badRequest(`Scan '${run.scanName}' no longer exists.`, 'ScanNotFound');
    const scanProps = scan.properties ?? {};
    const server = serverOf(run.dataSourceKind, dataSource.name, dataSource.properties ?? {}, scanProps);
    const databaseName = text(scanProps.databaseName);
    if (!databaseName)
      throw PurviewError.badRequest(
        `Scan '${scan.name}' has no properties.databaseName: a ${scan.kind} scan reads one database.`,
        'InvalidScanProperties',
      );
    const credentialName = credentialNameOf(scanProps);
    if (!credentialName)
      throw PurviewError.badRequest(
        `Scan '${scan.name}' has no properties.credential: a ${scan.kind} scan logs in with a SqlAuth or BasicAuth credential whose password is in Key Vault.`,
        'CredentialRequired',
      );
    return this.withLogin(server, databaseName, credentialName);
  }

  /** The source with the login of a credential, resolved from Key Vault now, for one job or request only. */
  async withLogin(server: DatabaseServerOf, databaseName: string, credentialName: string): Promise<DatabaseScanSource> {
    const login = await this.logins.loginOf(credentialName);
    return {
      kind: 'Database',
      ...server,
      databaseName,
      user: login.user,
      password: login.password,
      credentialSource: login.source,
    };
  }
}

/** Where a database source is: engine, server and port (the scan's, else its data source's), TLS. */
export type DatabaseServerOf = Pick<
  DatabaseScanSource,
  'engine' | 'dataSourceKind' | 'serverEndpoint' | 'port' | 'tls'
>;

export function serverOf(
  kind: string,
  dataSourceName: string,
  sourceProps: Record<string, unknown>,
  scanProps: Record<string, unknown>,
): DatabaseServerOf {
  const engine = DATABASE_ENGINE_OF_KIND[kind];
  if (!engine) throw noConnector(kind);
  const serverEndpoint = text(scanProps.serverEndpoint) ?? text(sourceProps.serverEndpoint);
  if (!serverEndpoint)
    throw PurviewError.badRequest(
      `Data source '${dataSourceName}' of kind ${kind} has no properties.serverEndpoint, e.g. myserver.postgres.database.azure.com.`,
      'InvalidEndpoint',
    );
  return {
    engine,
    dataSourceKind: kind,
    serverEndpoint,
    port: portOf(scanProps.port) ?? portOf(sourceProps.port) ?? DEFAULT_PORTS[engine],
    tls: tlsModeOf(scanProps.sslMode),
  };
}

/** `properties.credential.referenceName` of a scan. */
export function credentialNameOf(scanProps: Record<string, unknown>): string | undefined {
  return text((scanProps.credential as { referenceName?: unknown } | null)?.referenceName);
}

export function noConnector(kind: string): PurviewError {
  const known = DATABASE_KINDS_WITHOUT_CONNECTOR.includes(kind)
    ? ` ${kind} is a database the reference runtime has no connector for yet`
    : '';
  return PurviewError.badRequest(
    `The reference self-hosted integration runtime cannot scan ${kind} data sources:${known || ` it has no connector for ${kind}`}; it scans AzureStorage, AdlsGen2, AzurePostgreSql, AmazonPostgreSql and AzureMySql sources.`,
    'ConnectorNotAvailable',
  );
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function portOf(value: unknown): number | undefined {
  const port = typeof value === 'string' ? Number(value) : value;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/**
 * The scan's `sslMode` (an integer in the 2023-09-01 spec, whose values it does not list): 0 or absent → no TLS,
 * 1 → TLS without verifying the certificate, 2 or more → TLS verifying it; libpq's names are accepted too.
 */
export function tlsModeOf(value: unknown): DatabaseTlsMode {
  if (typeof value === 'number') return value <= 0 ? 'disable' : value === 1 ? 'require' : 'verify-full';
  const name = typeof value === 'string' ? value.toLowerCase() : '';
  if (['require', 'prefer', 'allow', 'required', 'preferred'].includes(name)) return 'require';
  if (['verify-ca', 'verify-full', 'verify_ca', 'verify_identity'].includes(name)) return 'verify-full';
  return 'disable';
}
