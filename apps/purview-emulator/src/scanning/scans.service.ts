import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Scan } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { IntegrationRuntimeDirectory } from '../integration-runtimes/integration-runtime-directory';
import { DataSourceEntity } from './data-source.entity';
import { DataSourcesService, SCANNABLE_DATA_SOURCE_KINDS, collectionOf } from './data-sources.service';
import { ScanEntity } from './scan.entity';
import { ScanRunsRepository } from './scan-runs.repository';
import { ScansRepository } from './scans.repository';
import { ScanBody, withoutKeys } from './scanning-input';
import { abbreviate } from '../common/validation';
import { CredentialsService } from '../scan-credentials/credentials.service';
import { ScanRulesetsService } from './rulesets/scan-rulesets.service';

/**
 * Scan kinds accepted per scannable data source kind. A `*Credential` kind's `credential` is resolved when a run
 * starts (the runtime reads storage with that credential's account key); `*Msi` kinds read with the emulator's identity.
 */
export const SCAN_KINDS_BY_DATA_SOURCE_KIND: Readonly<Record<string, readonly string[]>> = {
  AzureStorage: ['AzureStorageMsi', 'AzureStorageCredential'],
  AdlsGen2: ['AdlsGen2Msi', 'AdlsGen2Credential'],
  // Databases reached through a self-hosted runtime (issue 14): a SqlAuth/BasicAuth credential, its password in Key Vault.
  AzurePostgreSql: ['AzurePostgreSqlCredential'],
  AmazonPostgreSql: ['AmazonPostgreSqlCredential'],
  AzureMySql: ['AzureMySqlCredential'],
};

/** Fields of `properties` kept in their own columns or owned by the server. */
const OWN_COLUMNS = ['createdAt', 'lastModifiedAt', 'connectedVia', 'collection', 'scanRulesetName', 'scanRulesetType'];

@Injectable()
export class ScansService implements OnModuleInit {
  constructor(
    private readonly dataSources: DataSourcesService,
    private readonly repository: ScansRepository,
    private readonly runs: ScanRunsRepository,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly credentials: CredentialsService,
    private readonly rulesets: ScanRulesetsService,
  ) {}

  /** An integration runtime or a credential that scans use cannot be deleted (409 naming them). */
  onModuleInit(): void {
    this.runtimes.addDeletionCheck((name) => this.repository.namesUsingRuntime(name));
    this.credentials.addUsageCheck((name) => this.repository.namesUsingCredential(name));
  }

  async get(dataSourceName: string, scanName: string): Promise<Scan> {
    const { dataSource, scan } = await this.require(dataSourceName, scanName);
    return toScan(dataSource, scan);
  }

  /** The integration runtimes a data source's scans connect via, each once (names compare case-insensitively). */
  async integrationRuntimesOf(dataSourceName: string): Promise<string[]> {
    const dataSource = await this.dataSources.require(dataSourceName);
    const names = await this.repository.runtimeNamesOf(dataSource.id);
    return [...new Map(names.map((n) => [n.toLowerCase(), n])).values()];
  }

  async list(dataSourceName: string, skip: number, take: number): Promise<{ value: Scan[]; count: number }> {
    const dataSource = await this.dataSources.require(dataSourceName);
    const [page, count] = await this.repository.page(dataSource.id, skip, take);
    return { value: page.map((scan) => toScan(dataSource, scan)), count };
  }

  async createOrReplace(
    dataSourceName: string,
    scanName: string,
    body: ScanBody,
  ): Promise<{ created: boolean; scan: Scan }> {
    const dataSource = await this.dataSources.require(dataSourceName);
    const allowed = SCAN_KINDS_BY_DATA_SOURCE_KIND[dataSource.kind];
    if (!allowed) {
      throw PurviewError.badRequest(
        `The emulator cannot scan data source '${dataSource.name}' of kind ${dataSource.kind}: it can scan only ${SCANNABLE_DATA_SOURCE_KINDS.join(' and ')} data sources (served by Azurite).`,
        'UnsupportedDataSourceKind',
      );
    }
    if (!allowed.includes(body.kind)) {
      throw PurviewError.badRequest(
        `Scan kind '${abbreviate(body.kind)}' does not fit data source '${dataSource.name}' of kind ${dataSource.kind}; use ${allowed.join(' or ')}.`,
        'InvalidScanKind',
        'kind',
      );
    }
    const properties = body.properties ?? {};
    const runtimeName = properties.connectedVia?.referenceName || null;
    const runtime = runtimeName
      ? await this.runtimes.requireRuntime(runtimeName, { referencedBy: 'properties.connectedVia.referenceName' })
      : null;
    return this.transactions.run(async (manager) => {
      const current = await this.dataSources.require(dataSource.name, manager);
      const now = this.clock.iso();
      const collectionName = properties.collection?.referenceName ?? current.collectionName;
      const scanRulesetType = properties.scanRulesetType ?? ('System' as const);
      const fields = {
        kind: body.kind,
        properties: withoutKeys(properties, OWN_COLUMNS),
        scanRulesetName: await this.rulesets.requireForScan(
          scanRulesetType,
          properties.scanRulesetName ?? current.kind,
          current.kind,
          manager,
        ),
        scanRulesetType,
        integrationRuntimeName: runtime?.name ?? null,
        integrationRuntimeType: runtime?.kind ?? null,
        collectionName,
        updatedAt: now,
      };
      const existing = await this.repository.findByName(current.id, scanName, manager);
      if (existing) {
        const collectionModifiedAt = existing.collectionName === collectionName ? existing.collectionModifiedAt : now;
        const updated: ScanEntity = { ...existing, ...fields, collectionModifiedAt };
        await this.repository.save(updated, manager);
        return { created: false, scan: toScan(current, updated) };
      }
      const entity: ScanEntity = {
        id: randomUUID(),
        dataSourceId: current.id,
        name: scanName,
        ...fields,
        collectionModifiedAt: now,
        createdAt: now,
      };
      await this.repository.save(entity, manager);
      return { created: true, scan: toScan(current, entity) };
    });
  }

  /** Deletes the scan and its run history; refused (409) while a run is queued or in progress. */
  async delete(dataSourceName: string, scanName: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const { scan } = await this.require(dataSourceName, scanName, manager);
      const active = await this.runs.activeRunOf(scan.id, manager);
      if (active) {
        throw PurviewError.conflict(
          `Scan '${scan.name}' has run '${active.id}' ${active.status === 'Queued' ? 'queued' : 'in progress'}. Cancel it (POST /scan/datasources/${active.dataSourceName}/scans/${scan.name}/runs/${active.id}:cancel) before deleting the scan.`,
          'ScanRunInProgress',
        );
      }
      await this.repository.delete(scan.id, manager);
    });
  }

  async require(
    dataSourceName: string,
    scanName: string,
    manager?: EntityManager,
  ): Promise<{ dataSource: DataSourceEntity; scan: ScanEntity }> {
    const dataSource = await this.dataSources.require(dataSourceName, manager);
    const scan = await this.repository.findByName(dataSource.id, scanName, manager);
    if (!scan) throw PurviewError.notFound(`Scan of data source '${dataSource.name}'`, scanName, 'ScanNotFound');
    return { dataSource, scan };
  }
}

export function toScan(dataSource: DataSourceEntity, scan: ScanEntity): Scan {
  return {
    id: `datasources/${dataSource.name}/scans/${scan.name}`,
    name: scan.name,
    kind: scan.kind,
    dataSourceName: dataSource.name,
    properties: {
      ...scan.properties,
      scanRulesetName: scan.scanRulesetName,
      scanRulesetType: scan.scanRulesetType,
      collection: collectionOf(scan.collectionName, scan.collectionModifiedAt),
      connectedVia: scan.integrationRuntimeName
        ? {
            referenceName: scan.integrationRuntimeName,
            integrationRuntimeType: scan.integrationRuntimeType ?? 'SelfHosted',
          }
        : null,
      createdAt: scan.createdAt,
      lastModifiedAt: scan.updatedAt,
    },
  };
}
