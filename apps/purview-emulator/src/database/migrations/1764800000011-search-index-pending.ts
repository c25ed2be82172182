import { MigrationInterface, QueryRunner } from 'typeorm';
import { searchDocumentSql } from './1764600000051-search-business-metadata';

const FTS = 'datamap_search_fts';
// Named as the index's own tables (`datamap_search_fts_*`): a reset leaves it to the index, which flushes it at commit.
export const SEARCH_PENDING = 'datamap_search_fts_pending';
const COLUMNS = 'rowid, name, qualified_name, description, other';
const DOCUMENT_CHANGED =
  'OLD.name IS NOT NEW.name OR OLD.qualified_name IS NOT NEW.qualified_name OR OLD.description IS NOT NEW.description ' +
  'OR OLD.classifications IS NOT NEW.classifications OR OLD.labels IS NOT NEW.labels';

/** Queues an entity row (`indexed`: whether the index holds a document for it now, to be deleted first). */
const enqueue = (rowid: string, indexed: 0 | 1) =>
  `INSERT INTO "${SEARCH_PENDING}" (entity_rowid, indexed) VALUES (${rowid}, ${indexed}) ON CONFLICT DO NOTHING;`;
const enqueueEntity = (guid: string) =>
  `INSERT INTO "${SEARCH_PENDING}" (entity_rowid, indexed) SELECT rowid, 1 FROM "datamap_entities" WHERE guid = ${guid} ` +
  `ON CONFLICT DO NOTHING;`;

/**
 * Brings the index up to date with the queue, in the caller's transaction: the old documents of queued rows out, the
 * current document of each queued row that still exists in, the queue emptied. SearchIndex runs it before every
 * commit of a transaction and before a search reads the index.
 */
export const FLUSH_PENDING_SQL = [
  `DELETE FROM "${FTS}" WHERE rowid IN (SELECT entity_rowid FROM "${SEARCH_PENDING}" WHERE indexed = 1)`,
  `INSERT INTO "${FTS}" (${COLUMNS}) SELECT ${searchDocumentSql('e')} FROM "${SEARCH_PENDING}" p ` +
    `JOIN "datamap_entities" e ON e.rowid = p.entity_rowid`,
  `DELETE FROM "${SEARCH_PENDING}"`,
];

const TRIGGERS = {
  entityInsert: 'tr_datamap_entities_search_insert',
  entityUpdate: 'tr_datamap_entities_search_update',
  entityDelete: 'tr_datamap_entities_search_delete',
  businessInsert: 'tr_datamap_business_attributes_search_insert',
  businessUpdate: 'tr_datamap_business_attributes_search_update',
  businessDelete: 'tr_datamap_business_attributes_search_delete',
};

/** The six triggers of the index, given what an entity insert, update and delete do and how an entity is re-indexed. */
async function createTriggers(
  queryRunner: QueryRunner,
  entity: { insert: string; update: string; delete: string },
  reindex: (guid: string) => string,
): Promise<void> {
  const bm = '"datamap_entity_business_attributes"';
  const triggers: [string, string][] = [
    [TRIGGERS.entityInsert, `AFTER INSERT ON "datamap_entities" BEGIN ${entity.insert} END`],
    [
      TRIGGERS.entityUpdate,
      `AFTER UPDATE OF name, qualified_name, description, classifications, labels ON "datamap_entities" ` +
        `WHEN ${DOCUMENT_CHANGED} BEGIN ${entity.update} END`,
    ],
    [TRIGGERS.entityDelete, `AFTER DELETE ON "datamap_entities" BEGIN ${entity.delete} END`],
    [TRIGGERS.businessInsert, `AFTER INSERT ON ${bm} BEGIN ${reindex('NEW.guid')} END`],
    [TRIGGERS.businessUpdate, `AFTER UPDATE ON ${bm} BEGIN ${reindex('OLD.guid')} ${reindex('NEW.guid')} END`],
    [TRIGGERS.businessDelete, `AFTER DELETE ON ${bm} BEGIN ${reindex('OLD.guid')} END`],
  ];
  for (const [name, body] of triggers) await queryRunner.query(`CREATE TRIGGER "${name}" ${body}`);
}

/**
 * The search index is written once per transaction instead of once per entity row. The triggers of
 * DataMapSearchIndex1764500000021 and SearchBusinessMetadata1764600000051 wrote the FTS5 table row by row; but a
 * statement that needs a statement journal (any write through a trigger, an upsert) makes FTS5 flush its pending
 * terms to a new segment, so every entity written became a segment of its own, merged again and again: four times
 * the cost of the same rows written together (a scan's batch of 3,500 entities). The triggers now only queue the
 * entity's rowid in `datamap_search_fts_pending`, and FLUSH_PENDING_SQL indexes the queue in one statement at the end of
 * the transaction (and before any search), so what a search sees is still every committed write.
 */
export class SearchIndexPending1764800000011 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "${SEARCH_PENDING}" ("entity_rowid" integer PRIMARY KEY NOT NULL, "indexed" integer NOT NULL)`,
    );
    for (const name of Object.values(TRIGGERS)) await queryRunner.query(`DROP TRIGGER IF EXISTS "${name}"`);
    await createTriggers(
      queryRunner,
      { insert: enqueue('NEW.rowid', 0), update: enqueue('NEW.rowid', 1), delete: enqueue('OLD.rowid', 1) },
      enqueueEntity,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of FLUSH_PENDING_SQL) await queryRunner.query(statement);
    for (const name of Object.values(TRIGGERS)) await queryRunner.query(`DROP TRIGGER "${name}"`);
    const insert = `INSERT INTO "${FTS}" (${COLUMNS}) SELECT ${searchDocumentSql('NEW')};`;
    const remove = `DELETE FROM "${FTS}" WHERE rowid = OLD.rowid;`;
    await createTriggers(
      queryRunner,
      { insert, update: `${remove} ${insert}`, delete: remove },
      (guid) =>
        `DELETE FROM "${FTS}" WHERE rowid = (SELECT rowid FROM "datamap_entities" WHERE guid = ${guid}); ` +
        `INSERT INTO "${FTS}" (${COLUMNS}) SELECT ${searchDocumentSql('e')} FROM "datamap_entities" e WHERE e.guid = ${guid};`,
    );
    await queryRunner.query(`DROP TABLE "${SEARCH_PENDING}"`);
  }
}
