import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CollectionReference, DataSource } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { StorageAccountsService } from '../storage/storage-accounts.service';
import { DataSourceEntity } from './data-source.entity';
import { DataSourcesRepository } from './data-sources.repository';
import { ScansRepository } from './scans.repository';
import { DataSourceBody, withoutKeys } from './scanning-input';
import type { EntityManager } from 'typeorm';

/**
 * Data source kinds the emulator can scan (through Azurite). The other kinds of the spec are stored as given, because
 * real clients register many kinds and should keep working; their scans are stored too, and a run of one fails
 * saying the reference runtime has no connector for it (REFERENCE_RUNTIME_SCAN_KINDS).
 */
export const SCANNABLE_DATA_SOURCE_KINDS: readonly string[] = ['AzureStorage', 'AdlsGen2'];

/** Fields of `properties` the server owns; clients send them back (quirk 21) and they are ignored. */
const SERVER_OWNED = [
  'createdAt',
  'lastModifiedAt',
  'dataSourceCollectionMovingState',
  'collection',
  'parentCollection',
];

@Injectable()
export class DataSourcesService {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: DataSourcesRepository,
    private readonly scans: ScansRepository,
    private readonly storage: StorageAccountsService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async get(name: string): Promise<DataSource> {
    return toDataSource(await this.require(name));
  }

  async list(skip: number, take: number): Promise<{ value: DataSource[]; count: number }> {
    const [page, count] = await this.repository.page(skip, take);
    return { value: page.map(toDataSource), count };
  }

  /** PUT semantics: create (created = true) or replace. The kind of an existing data source cannot change. */
  async createOrReplace(name: string, body: DataSourceBody): Promise<{ created: boolean; dataSource: DataSource }> {
    const kind = body.kind; // one of DATA_SOURCE_KINDS (scanning-input.ts)
    const properties = withoutKeys(body.properties, SERVER_OWNED);
    if (SCANNABLE_DATA_SOURCE_KINDS.includes(kind)) {
      const endpoint = body.properties?.endpoint as string | null | undefined;
      if (!endpoint) {
        throw PurviewError.badRequest(
          `properties.endpoint is required for a data source of kind ${kind}, e.g. https://devstoreaccount1.${kind === 'AdlsGen2' ? 'dfs' : 'blob'}.core.windows.net/.`,
          'InvalidEndpoint',
          'properties.endpoint',
        );
      }
      this.storage.resolveBlobEndpoint(endpoint); // 400 with the storage service's own explanation
    }
    const collectionName = body.properties?.collection?.referenceName ?? this.config.accountName;
    return this.transactions.run(async (manager) => {
      const now = this.clock.iso();
      const existing = await this.repository.findByName(name, manager);
      if (existing) {
        if (existing.kind !== kind) {
          throw PurviewError.badRequest(
            `Data source '${existing.name}' is of kind ${existing.kind}; its kind cannot be changed to ${kind}. Delete it (and its scans) and register it again.`,
            'InvalidKind',
            'kind',
          );
        }
        if (existing.collectionName !== collectionName) existing.collectionModifiedAt = now;
        existing.collectionName = collectionName;
        existing.properties = properties;
        existing.updatedAt = now;
        await this.repository.save(existing, manager);
        return { created: false, dataSource: toDataSource(existing) };
      }
      const entity: DataSourceEntity = {
        id: randomUUID(),
        name,
        kind,
        properties,
        collectionName,
        collectionModifiedAt: now,
        createdAt: now,
        updatedAt: now,
      };
      await this.repository.save(entity, manager);
      return { created: true, dataSource: toDataSource(entity) };
    });
  }

  /** Refused (409) while scans remain, naming them: the portal also makes you delete scans first. */
  /** Returns the deleted data source (what versions before 2023-09-01 answer with); 409 while it has scans. */
  async delete(name: string): Promise<DataSource> {
    return this.transactions.run(async (manager) => {
      const existing = await this.require(name, manager);
      const scans = await this.scans.namesOf(existing.id, manager);
      if (scans.length > 0) {
        throw PurviewError.conflict(
          `Data source '${existing.name}' still has ${scans.length === 1 ? 'a scan' : `${scans.length} scans`}: ${scans.map((s) => `'${s}'`).join(', ')}. Delete ${scans.length === 1 ? 'it' : 'them'} first (DELETE /scan/datasources/${existing.name}/scans/{scanName}).`,
          'DataSourceHasScans',
        );
      }
      await this.repository.delete(existing.id, manager);
      return toDataSource(existing);
    });
  }

  async require(name: string, manager?: EntityManager): Promise<DataSourceEntity> {
    const entity = await this.repository.findByName(name, manager);
    if (!entity) throw PurviewError.notFound('Data source', name, 'DataSourceNotFound');
    return entity;
  }
}

export function collectionOf(referenceName: string, lastModifiedAt: string): CollectionReference {
  return { referenceName, type: 'CollectionReference', lastModifiedAt };
}

export function toDataSource(entity: DataSourceEntity): DataSource {
  return {
    id: `datasources/${entity.name}`,
    name: entity.name,
    kind: entity.kind,
    properties: {
      ...entity.properties,
      collection: collectionOf(entity.collectionName, entity.collectionModifiedAt),
      createdAt: entity.createdAt,
      lastModifiedAt: entity.updatedAt,
      dataSourceCollectionMovingState: 'Active',
    },
  };
}
