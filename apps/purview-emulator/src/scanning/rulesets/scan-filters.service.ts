import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ScanFilter, ScanFilterBody, ScanJobFilter } from '@purview-emulator/contracts';
import { Clock } from '../../common/clock';
import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { TransactionRunner } from '../../database/transaction-runner';
import { ScansService } from '../scans.service';
import { RulesetsRepository } from './rulesets.repository';
import type { ScanFilterEntity } from './rulesets.entity';

/** A scan's `filters/custom`: URI prefixes of the assets it scans (include) and skips (exclude). */
@Injectable()
export class ScanFiltersService {
  constructor(
    private readonly scans: ScansService,
    private readonly repository: RulesetsRepository,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async get(dataSourceName: string, scanName: string): Promise<ScanFilter> {
    const { dataSource, scan } = await this.scans.require(dataSourceName, scanName);
    const filter = await this.repository.findFilter(scan.id);
    if (!filter) throw PurviewError.notFound(`Filter of scan '${scan.name}'`, 'custom', 'FilterNotFound');
    return toFilter(dataSource.name, scan.name, filter);
  }

  async createOrReplace(
    dataSourceName: string,
    scanName: string,
    body: ScanFilterBody,
  ): Promise<{ created: boolean; filter: ScanFilter }> {
    const include = body.properties?.includeUriPrefixes ?? null;
    const exclude = body.properties?.excludeUriPrefixes ?? null;
    checkUris(include, 'properties.includeUriPrefixes');
    checkUris(exclude, 'properties.excludeUriPrefixes');
    return this.transactions.run(async (manager) => {
      const { dataSource, scan } = await this.scans.require(dataSourceName, scanName, manager);
      const existing = await this.repository.findFilter(scan.id, manager);
      const now = this.clock.iso();
      const entity: ScanFilterEntity = {
        scanId: scan.id,
        includeUriPrefixes: include,
        excludeUriPrefixes: exclude,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.repository.saveFilter(entity, manager);
      return { created: !existing, filter: toFilter(dataSource.name, scan.name, entity) };
    });
  }

  /** The filter a run of the scan applies, if any. */
  async jobFilterOf(scanId: string, manager: EntityManager): Promise<ScanJobFilter | undefined> {
    const filter = await this.repository.findFilter(scanId, manager);
    if (!filter || (!filter.includeUriPrefixes?.length && !filter.excludeUriPrefixes?.length)) return undefined;
    return { includeUriPrefixes: filter.includeUriPrefixes ?? [], excludeUriPrefixes: filter.excludeUriPrefixes ?? [] };
  }
}

function checkUris(uris: string[] | null, target: string): void {
  uris?.forEach((uri, i) => {
    if (!isHttpUri(uri))
      throw PurviewError.badRequest(
        `${target}.${i} '${abbreviate(uri)}' is not an absolute http(s) URI prefix such as https://account.blob.core.windows.net/container/folder.`,
        'InvalidUriPrefix',
        `${target}.${i}`,
      );
  });
}

function isHttpUri(uri: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(uri).protocol);
  } catch {
    return false;
  }
}

function toFilter(dataSourceName: string, scanName: string, entity: ScanFilterEntity): ScanFilter {
  return {
    id: `datasources/${dataSourceName}/scans/${scanName}/filters/custom`,
    name: 'custom',
    properties: { includeUriPrefixes: entity.includeUriPrefixes, excludeUriPrefixes: entity.excludeUriPrefixes },
  };
}
