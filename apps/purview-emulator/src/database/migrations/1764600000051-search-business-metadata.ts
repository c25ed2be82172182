import { MigrationInterface, QueryRunner } from 'typeorm';

const FTS = 'datamap_search_fts';
const COLUMNS = 'rowid, name, qualified_name, description, other';

/**
 * The text one entity row (alias `r`; NEW in triggers) gives the search index: name, qualifiedName, description, and as
 * "other" text its classification typeNames, labels and business metadata values (every scalar of each value's JSON).
 * SearchIndex (datamap/search/search-index.ts) rebuilds the index with this same expression.
 */
export function searchDocumentSql(r: string, withBusinessMetadata = true): string {
  const classifications =
    `CASE WHEN json_valid(${r}.classifications) THEN (SELECT group_concat(json_extract(c.value, '$.typeName'), ' ') ` +
    `FROM json_each(${r}.classifications) c) END`;
  const labels = `CASE WHEN json_valid(${r}.labels) THEN (SELECT group_concat(l.value, ' ') FROM json_each(${r}.labels) l) END`;
  const businessMetadata =
    `(SELECT group_concat(CASE WHEN json_valid(b.value) THEN (SELECT group_concat(j.atom, ' ') FROM json_tree(b.value) j ` +
    `WHERE j.atom IS NOT NULL) ELSE b.value END, ' ') FROM datamap_entity_business_attributes b WHERE b.guid = ${r}.guid)`;
  return (
    `${r}.rowid, ${r}.name, ${r}.qualified_name, COALESCE(${r}.description, ''), ` +
    `COALESCE(${classifications}, '') || ' ' || COALESCE(${labels}, '')` +
    (withBusinessMetadata ? ` || ' ' || COALESCE(${businessMetadata}, '')` : '')
  );
}

/** Re-indexes the entity with that guid (none when it does not exist: its own insert trigger indexes it later). */
function reindexEntity(guid: string): string {
  return (
    `DELETE FROM "${FTS}" WHERE rowid = (SELECT rowid FROM "datamap_entities" WHERE guid = ${guid}); ` +
    `INSERT INTO "${FTS}" (${COLUMNS}) SELECT ${searchDocumentSql('e')} FROM "datamap_entities" e WHERE e.guid = ${guid};`
  );
}

/**
 * Business metadata values in discovery search: keywords match them (as "other" text of the entity). Entity triggers
 * are recreated with the new document; triggers on `datamap_entity_business_attributes` re-index the entity in the
 * value write's own transaction; the index is rebuilt once from the entity store.
 */
export class SearchBusinessMetadata1764600000051 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await this.entityTriggers(queryRunner, searchDocumentSql('NEW'));
    for (const [event, row] of [
      ['INSERT', 'NEW'],
      ['DELETE', 'OLD'],
    ] as const) {
      await queryRunner.query(
        `CREATE TRIGGER "tr_datamap_business_attributes_search_${event.toLowerCase()}" AFTER ${event} ` +
          `ON "datamap_entity_business_attributes" BEGIN ${reindexEntity(`${row}.guid`)} END`,
      );
    }
    await queryRunner.query(
      `CREATE TRIGGER "tr_datamap_business_attributes_search_update" AFTER UPDATE ON "datamap_entity_business_attributes" ` +
        `BEGIN ${reindexEntity('OLD.guid')} ${reindexEntity('NEW.guid')} END`,
    );
    await rebuild(queryRunner, searchDocumentSql('e'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete'])
      await queryRunner.query(`DROP TRIGGER "tr_datamap_business_attributes_search_${event}"`);
    await this.entityTriggers(queryRunner, searchDocumentSql('NEW', false));
    await rebuild(queryRunner, searchDocumentSql('e', false));
  }

  /** The entity triggers of DataMapSearchIndex1764500000021, with `document` as the indexed text. */
  private async entityTriggers(queryRunner: QueryRunner, document: string): Promise<void> {
    for (const event of ['insert', 'update'])
      await queryRunner.query(`DROP TRIGGER "tr_datamap_entities_search_${event}"`);
    await queryRunner.query(
      `CREATE TRIGGER "tr_datamap_entities_search_insert" AFTER INSERT ON "datamap_entities" BEGIN ` +
        `INSERT INTO "${FTS}" (${COLUMNS}) SELECT ${document}; END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_datamap_entities_search_update" AFTER UPDATE OF name, qualified_name, description, classifications, labels ` +
        `ON "datamap_entities" WHEN OLD.name IS NOT NEW.name OR OLD.qualified_name IS NOT NEW.qualified_name ` +
        `OR OLD.description IS NOT NEW.description OR OLD.classifications IS NOT NEW.classifications OR OLD.labels IS NOT NEW.labels ` +
        `BEGIN DELETE FROM "${FTS}" WHERE rowid = OLD.rowid; INSERT INTO "${FTS}" (${COLUMNS}) SELECT ${document}; END`,
    );
  }
}

async function rebuild(queryRunner: QueryRunner, document: string): Promise<void> {
  await queryRunner.query(`INSERT INTO "${FTS}" ("${FTS}") VALUES ('delete-all')`);
  await queryRunner.query(`INSERT INTO "${FTS}" (${COLUMNS}) SELECT ${document} FROM "datamap_entities" e`);
}
