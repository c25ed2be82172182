import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { PreparedWrite } from '../database/prepared-write';
import { AtlasEntityRecord, EntityClassificationRecord } from './atlas-entity.record';
import { RefTarget, StoredRef, refKey } from './entity-model';
import { Cursor, OrderTerm, cursorOf, selectMatchesSql } from './search/search-query';
import { Sql } from './search/sql';

/** SQLite allows many more, but short IN lists keep statements cheap to prepare. */
const IN_CHUNK = 400;

/** An entity row from a search query, with its relevance. */
export interface SearchRow {
  record: AtlasEntityRecord;
  score: number;
  cursor: Cursor;
  /** How many rows match in all (after the cursor, if any), this one included, when asked (`withTotal`); else NaN. */
  total: number;
}

/** A row of search's merged order: an entity, or another hit (a glossary term) named by its guid. */
export type SearchHitRow = SearchRow | { record: null; guid: string; score: number; cursor: Cursor; total: number };

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Maps a raw `SELECT e.*` row (snake_case columns) to the record. */
function recordFromRow(row: Record<string, unknown>): AtlasEntityRecord {
  return Object.assign(new AtlasEntityRecord(), {
    guid: row.guid,
    typeName: row.type_name,
    qualifiedName: row.qualified_name,
    name: row.name,
    description: row.description ?? null,
    attributes: row.attributes,
    relationshipAttributes: row.relationship_attributes,
    classifications: row.classifications,
    labels: row.labels,
    status: row.status,
    createTime: Number(row.create_time),
    updateTime: Number(row.update_time),
    createdBy: row.created_by,
    updatedBy: row.updated_by,
    version: Number(row.version),
    lastModifiedTS: row.last_modified_ts,
    collectionId: row.collection_id,
    sourceDetails: row.source_details ?? null,
  });
}

/** All SQL of the data map: entity reads and writes, and the search queries. */
@Injectable()
export class DataMapRepository {
  // A scan's ingestion writes entities and their classifications row by row, thousands per batch (see PreparedWrite).
  private readonly entityWrites: PreparedWrite<AtlasEntityRecord>;
  private readonly classificationWrites: PreparedWrite<EntityClassificationRecord>;

  constructor(
    @InjectRepository(AtlasEntityRecord) private readonly entities: Repository<AtlasEntityRecord>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.entityWrites = new PreparedWrite(dataSource, AtlasEntityRecord);
    this.classificationWrites = new PreparedWrite(dataSource, EntityClassificationRecord);
  }

  private repo(manager?: EntityManager): Repository<AtlasEntityRecord> {
    return manager ? manager.getRepository(AtlasEntityRecord) : this.entities;
  }

  findByGuid(guid: string, manager?: EntityManager): Promise<AtlasEntityRecord | null> {
    return this.repo(manager).findOneBy({ guid });
  }

  async findByGuids(guids: readonly string[], manager?: EntityManager): Promise<AtlasEntityRecord[]> {
    const out: AtlasEntityRecord[] = [];
    for (const chunk of chunks([...new Set(guids)], IN_CHUNK))
      out.push(...(await this.repo(manager).findBy({ guid: In(chunk) })));
    return out;
  }

  findByKey(typeName: string, qualifiedName: string, manager?: EntityManager): Promise<AtlasEntityRecord | null> {
    return this.repo(manager).findOneBy({ typeName, qualifiedName });
  }

  /** Entities by typeName + qualifiedName, keyed by `refKey`. */
  async findByKeys(keys: readonly StoredRef[], manager?: EntityManager): Promise<Map<string, AtlasEntityRecord>> {
    const wanted = new Set(keys.map((k) => refKey(k.typeName, k.qualifiedName)));
    const found = new Map<string, AtlasEntityRecord>();
    for (const chunk of chunks([...new Set(keys.map((k) => k.qualifiedName))], IN_CHUNK)) {
      for (const record of await this.repo(manager).findBy({ qualifiedName: In(chunk) })) {
        const key = refKey(record.typeName, record.qualifiedName);
        if (wanted.has(key)) found.set(key, record);
      }
    }
    return found;
  }

  /** Just enough of each referenced entity to render `AtlasRelatedObjectId`s, keyed by `refKey`. */
  async findRefTargets(keys: readonly StoredRef[]): Promise<Map<string, RefTarget>> {
    const wanted = new Set(keys.map((k) => refKey(k.typeName, k.qualifiedName)));
    const found = new Map<string, RefTarget>();
    for (const chunk of chunks([...new Set(keys.map((k) => k.qualifiedName))], IN_CHUNK)) {
      const rows = await this.entities.find({
        select: { guid: true, typeName: true, qualifiedName: true, name: true, status: true },
        where: { qualifiedName: In(chunk) },
      });
      for (const row of rows) {
        const key = refKey(row.typeName, row.qualifiedName);
        if (wanted.has(key))
          found.set(key, {
            guid: row.guid,
            typeName: row.typeName,
            qualifiedName: row.qualifiedName,
            name: row.name,
            status: row.status,
          });
      }
    }
    return found;
  }

  /** Inside the caller's transaction (`manager`'s: the prepared write runs on the same connection). */
  async insert(record: AtlasEntityRecord, _manager: EntityManager): Promise<void> {
    this.entityWrites.insert(record);
  }

  /** Every column of the record, by guid, inside the caller's transaction. */
  async update(record: AtlasEntityRecord, _manager: EntityManager): Promise<void> {
    this.entityWrites.update(record);
  }

  countInCollection(collectionId: string): Promise<number> {
    return this.entities.countBy({ collectionId });
  }

  /** Adds classification typeNames to the search side table (existing pairs are kept). */
  async addClassifications(guid: string, typeNames: readonly string[], _manager: EntityManager): Promise<void> {
    for (const typeName of typeNames) this.classificationWrites.insertOrIgnore({ guid, typeName });
  }

  /** Replaces an entity's rows in the classification side table (after classifications were removed or set). */
  async setClassifications(guid: string, typeNames: readonly string[], manager: EntityManager): Promise<void> {
    await manager.getRepository(EntityClassificationRecord).delete({ guid });
    await this.addClassifications(guid, typeNames, manager);
  }

  /** Active entities of a type: how many, and the first few (for the type system's "type in use" 409). */
  async activeOfType(
    typeName: string,
    sampleSize: number,
    manager: EntityManager,
  ): Promise<{ count: number; sample: { guid: string; qualifiedName: string }[] }> {
    const repo = manager.getRepository(AtlasEntityRecord);
    const where = { typeName, status: 'ACTIVE' as const };
    const [count, sample] = await Promise.all([
      repo.countBy(where),
      repo.find({ select: { guid: true, qualifiedName: true }, where, order: { guid: 'ASC' }, take: sampleSize }),
    ]);
    return { count, sample: sample.map((r) => ({ guid: r.guid, qualifiedName: r.qualifiedName })) };
  }

  /** Active entities carrying a classification: how many, and the first few. */
  async activeClassifiedAs(
    classification: string,
    sampleSize: number,
    manager: EntityManager,
  ): Promise<{ count: number; sample: { guid: string; qualifiedName: string }[] }> {
    const from = `FROM datamap_entity_classifications cf JOIN datamap_entities e ON e.guid = cf.guid WHERE cf.type_name = ? AND e.status = 'ACTIVE'`;
    const counted = await manager.query<{ n: number }[]>(`SELECT COUNT(*) AS n ${from}`, [classification]);
    const sample = await manager.query<{ guid: string; qualifiedName: string }[]>(
      `SELECT e.guid AS guid, e.qualified_name AS qualifiedName ${from} ORDER BY e.guid LIMIT ?`,
      [classification, sampleSize],
    );
    return { count: Number(counted[0]?.n ?? 0), sample };
  }

  // ----------------------------------------------------------------------------------------------------------- search

  async countMatches(where: Sql): Promise<number> {
    const rows = await this.dataSource.query<{ n: number }[]>(
      `SELECT COUNT(*) AS n FROM datamap_entities e WHERE ${where.sql}`,
      where.params,
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** One ordered page (or chunk, after a keyset cursor) of matches. */
  async matches(
    where: Sql,
    score: Sql,
    order: readonly OrderTerm[],
    page: { limit: number; offset?: number; after?: Cursor },
  ): Promise<SearchRow[]> {
    return (await this.hits(where, score, order, page)) as SearchRow[];
  }

  /** Like `matches`, with `page.extra` hits (see selectMatchesSql) merged into the order. */
  async hits(
    where: Sql,
    score: Sql,
    order: readonly OrderTerm[],
    page: { limit: number; offset?: number; after?: Cursor; extra?: string; withTotal?: boolean },
  ): Promise<SearchHitRow[]> {
    return this.hitsFrom(selectMatchesSql(where, score, order, page), order);
  }

  /** The rows of a query shaped as `selectMatchesSql`'s (`e.*`, `score`, `hit_*`), as hits in `order`. */
  async hitsFrom(query: Sql, order: readonly OrderTerm[]): Promise<SearchHitRow[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(query.sql, query.params);
    return rows.map((row) =>
      row.hit_rid === null
        ? {
            record: null,
            guid: String(row.hit_guid),
            score: Number(row.score),
            cursor: cursorOf(row, order),
            total: Number(row.hit_total),
          }
        : {
            record: recordFromRow(row),
            score: Number(row.score),
            cursor: cursorOf(row, order),
            total: Number(row.hit_total),
          },
    );
  }

  /** The number a `SELECT … AS n` query yields. */
  async countOf(query: Sql): Promise<number> {
    const rows = await this.dataSource.query<{ n: number }[]>(query.sql, query.params);
    return Number(rows[0]?.n ?? 0);
  }

  /** Matching entities per typeName. */
  async countByType(where: Sql): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ value: string; n: number }[]>(
      `SELECT e.type_name AS value, COUNT(*) AS n FROM datamap_entities e WHERE ${where.sql} GROUP BY e.type_name`,
      where.params,
    );
    return new Map(rows.map((r) => [r.value, Number(r.n)]));
  }

  /** Matching entities per classification typeName. */
  /** Rows of `value` and `n` (a count) as a map. */
  async counted(query: Sql): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ value: string; n: number }[]>(query.sql, query.params);
    return new Map(rows.map((r) => [r.value, Number(r.n)]));
  }

  async countByClassification(where: Sql): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<{ value: string; n: number }[]>(
      `SELECT cf.type_name AS value, COUNT(*) AS n FROM datamap_entities e JOIN datamap_entity_classifications cf ON cf.guid = e.guid ` +
        `WHERE ${where.sql} GROUP BY cf.type_name`,
      where.params,
    );
    return new Map(rows.map((r) => [r.value, Number(r.n)]));
  }

  /** Of these qualifiedNames, those with an active entity below them (`{qualifiedName}/…`): browse's non-leaves. */
  async withChildren(qualifiedNames: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const qn of new Set(qualifiedNames)) {
      const base = `${qn.replace(/\/+$/, '')}/`;
      const rows = await this.dataSource.query<unknown[]>(
        `SELECT 1 FROM datamap_entities WHERE qualified_name >= ? AND qualified_name < ? AND qualified_name <> ? AND status = 'ACTIVE' LIMIT 1`,
        [base, `${base.slice(0, -1)}0`, qn],
      );
      if (rows.length) found.add(qn);
    }
    return found;
  }
}
