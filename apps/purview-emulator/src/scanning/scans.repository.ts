import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ScanEntity } from './scan.entity';

/** All SQL for scan definitions. */
@Injectable()
export class ScansRepository {
  constructor(@InjectRepository(ScanEntity) private readonly scans: Repository<ScanEntity>) {}

  /** Case-insensitive within the data source. */
  findByName(dataSourceId: string, name: string, manager?: EntityManager): Promise<ScanEntity | null> {
    return this.repo(manager).findOneBy({ dataSourceId, name });
  }

  namesOf(dataSourceId: string, manager?: EntityManager): Promise<string[]> {
    return this.repo(manager)
      .find({ where: { dataSourceId }, select: { name: true }, order: { name: 'ASC' } })
      .then((rows) => rows.map((r) => r.name));
  }

  /** The integration runtime names the data source's scans connect via (as stored; scans without one left out). */
  async runtimeNamesOf(dataSourceId: string): Promise<string[]> {
    const rows = await this.scans.find({ where: { dataSourceId }, select: { integrationRuntimeName: true } });
    return rows.flatMap((r) => (r.integrationRuntimeName ? [r.integrationRuntimeName] : []));
  }

  /** `{dataSource}/{scan}` of every scan connected via the integration runtime (names compare case-insensitively). */
  async namesUsingRuntime(integrationRuntimeName: string): Promise<string[]> {
    const rows = await this.scans.query<{ dataSource: string; scan: string }[]>(
      `SELECT ds."name" AS "dataSource", s."name" AS "scan" FROM "scans" s JOIN "data_sources" ds ON ds."id" = s."data_source_id"
       WHERE s."integration_runtime_name" = ? COLLATE NOCASE ORDER BY ds."name", s."name"`,
      [integrationRuntimeName],
    );
    return rows.map((r) => `${r.dataSource}/${r.scan}`);
  }

  /** `{dataSource}/{scan}` of every scan whose `properties.credential.referenceName` is the credential (case-insensitively). */
  async namesUsingCredential(credentialName: string): Promise<string[]> {
    const rows = await this.scans.query<{ dataSource: string; scan: string }[]>(
      `SELECT ds."name" AS "dataSource", s."name" AS "scan" FROM "scans" s JOIN "data_sources" ds ON ds."id" = s."data_source_id"
       WHERE json_valid(s."properties") AND json_extract(s."properties", '$.credential.referenceName') = ? COLLATE NOCASE
       ORDER BY ds."name", s."name"`,
      [credentialName],
    );
    return rows.map((r) => `${r.dataSource}/${r.scan}`);
  }

  /** The credential a scan reads with (`properties.credential.referenceName`), if it names one. */
  async credentialOf(scanId: string): Promise<string | undefined> {
    const scan = await this.scans.findOne({ where: { id: scanId }, select: { properties: true } });
    const credential = scan?.properties?.credential as { referenceName?: unknown } | null | undefined;
    return typeof credential?.referenceName === 'string' && credential.referenceName !== ''
      ? credential.referenceName
      : undefined;
  }

  page(dataSourceId: string, skip: number, take: number): Promise<[ScanEntity[], number]> {
    return this.scans.findAndCount({ where: { dataSourceId }, order: { name: 'ASC' }, skip, take });
  }

  async save(entity: ScanEntity, manager: EntityManager): Promise<void> {
    await this.repo(manager).save(entity);
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete({ id });
  }

  private repo(manager?: EntityManager): Repository<ScanEntity> {
    return manager ? manager.getRepository(ScanEntity) : this.scans;
  }
}
