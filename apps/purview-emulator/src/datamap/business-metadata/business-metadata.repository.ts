import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { AtlasEntityRecord } from '../atlas-entity.record';
import { BusinessAttributeRecord } from './business-attribute.record';
import { BusinessValues } from './business-attributes';

/** SQLite allows more, but short IN lists keep statements cheap to prepare. */
const IN_CHUNK = 400;

/** All SQL of business metadata: the values table, and the entity row's modification stamp. */
@Injectable()
export class BusinessMetadataRepository {
  constructor(
    @InjectRepository(BusinessAttributeRecord) private readonly records: Repository<BusinessAttributeRecord>,
  ) {}

  private repo(manager?: EntityManager): Repository<BusinessAttributeRecord> {
    return manager ? manager.getRepository(BusinessAttributeRecord) : this.records;
  }

  /** The values of each entity that has any, by guid. */
  async valuesOf(guids: readonly string[], manager?: EntityManager): Promise<Map<string, BusinessValues>> {
    const out = new Map<string, BusinessValues>();
    const unique = [...new Set(guids)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const rows = await this.repo(manager).find({
        where: { guid: In(unique.slice(i, i + IN_CHUNK)) },
        order: { bmName: 'ASC', attrName: 'ASC' },
      });
      for (const row of rows) {
        const values = out.get(row.guid) ?? {};
        (values[row.bmName] ??= {})[row.attrName] = JSON.parse(row.value) as unknown;
        out.set(row.guid, values);
      }
    }
    return out;
  }

  /** The guid of the entity of exactly this type with this qualifiedName. */
  async findGuid(typeName: string, qualifiedName: string): Promise<string | undefined> {
    const found = await this.records.manager
      .getRepository(AtlasEntityRecord)
      .findOne({ select: { guid: true }, where: { typeName, qualifiedName } });
    return found?.guid;
  }

  async put(guid: string, bmName: string, attrName: string, value: unknown, manager: EntityManager): Promise<void> {
    await this.repo(manager).upsert({ guid, bmName, attrName, value: JSON.stringify(value) }, [
      'guid',
      'bmName',
      'attrName',
    ]);
  }

  async remove(guid: string, bmName: string, attrName: string, manager: EntityManager): Promise<void> {
    await this.repo(manager).delete({ guid, bmName, attrName });
  }

  /** Active entities carrying a business metadata's values: how many, and the first few (for the type system's 409). */
  async activeCarrying(
    bmName: string,
    sampleSize: number,
    manager: EntityManager,
  ): Promise<{ count: number; sample: { guid: string; qualifiedName: string }[] }> {
    const from =
      `FROM datamap_entity_business_attributes b JOIN datamap_entities e ON e.guid = b.guid ` +
      `WHERE b.bm_name = ? AND e.status = 'ACTIVE'`;
    const counted = await manager.query<{ n: number }[]>(`SELECT COUNT(DISTINCT e.guid) AS n ${from}`, [bmName]);
    const sample = await manager.query<{ guid: string; qualifiedName: string }[]>(
      `SELECT DISTINCT e.guid AS guid, e.qualified_name AS qualifiedName ${from} ORDER BY e.guid LIMIT ?`,
      [bmName, sampleSize],
    );
    return { count: Number(counted[0]?.n ?? 0), sample };
  }

  /** Atlas's `updateModificationMetadata`: a business metadata change stamps the entity's update time and updater. */
  async touchEntity(guid: string, updateTime: number, updatedBy: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(AtlasEntityRecord).update({ guid }, { updateTime, updatedBy });
  }
}
