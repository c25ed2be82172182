import { MigrationInterface, QueryRunner } from 'typeorm';

/** The text of one entity that keyword search looks at, over the row alias `r` (NEW in triggers). */
function documentSql(r: string): string {
  const classifications =
    `CASE WHEN json_valid(${r}.classifications) THEN (SELECT group_concat(json_extract(c.value, '$.typeName'), ' ') ` +
    `FROM json_each(${r}.classifications) c) END`;
  const labels = `CASE WHEN json_valid(${r}.labels) THEN (SELECT group_concat(l.value, ' ') FROM json_each(${r}.labels) l) END`;
  return `${r}.rowid, ${r}.name, ${r}.qualified_name, COALESCE(${r}.description, ''), COALESCE(${classifications}, '') || ' ' || COALESCE(${labels}, '')`;
}

/**
 * Discovery search's full-text index (see datamap/search/search-index.ts): an FTS5 trigram index over each data map
 * entity's name, qualifiedName, description and other text (classification typeNames, labels), keyed by the entity
 * row's rowid and kept in step with `datamap_entities` by triggers, so it changes in the same transaction as the entity.
 * Contentless (the text stays in `datamap_entities`), with deletes. Also a covering index for counts and facets by type, and the name index extended by the guid for ordered pages (type first: an index led by `status` would lure the planner away from the full-text index).
 */
export class DataMapSearchIndex1764500000021 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "datamap_search_fts" USING fts5(name, qualified_name, description, other, ` +
        `tokenize = 'trigram', content = '', contentless_delete = 1)`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_datamap_entities_search_insert" AFTER INSERT ON "datamap_entities" BEGIN ` +
        `INSERT INTO "datamap_search_fts" (rowid, name, qualified_name, description, other) SELECT ${documentSql('NEW')}; END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_datamap_entities_search_update" AFTER UPDATE OF name, qualified_name, description, classifications, labels ` +
        `ON "datamap_entities" WHEN OLD.name IS NOT NEW.name OR OLD.qualified_name IS NOT NEW.qualified_name ` +
        `OR OLD.description IS NOT NEW.description OR OLD.classifications IS NOT NEW.classifications OR OLD.labels IS NOT NEW.labels BEGIN DELETE FROM "datamap_search_fts" WHERE rowid = OLD.rowid; ` +
        `INSERT INTO "datamap_search_fts" (rowid, name, qualified_name, description, other) SELECT ${documentSql('NEW')}; END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "tr_datamap_entities_search_delete" AFTER DELETE ON "datamap_entities" BEGIN ` +
        `DELETE FROM "datamap_search_fts" WHERE rowid = OLD.rowid; END`,
    );
    await queryRunner.query(
      `INSERT INTO "datamap_search_fts" (rowid, name, qualified_name, description, other) ` +
        `SELECT ${documentSql('e')} FROM "datamap_entities" e`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_datamap_entities_type_name_status" ON "datamap_entities" ("type_name", "status")`,
    );
    // Classification facets join the side table by guid: this index answers that join without reading entity rows.
    await queryRunner.query(
      `CREATE INDEX "ix_datamap_entities_guid_status_type_name" ON "datamap_entities" ("guid", "status", "type_name")`,
    );
    // Results ordered by name page with the guid as tie-break: an index on both gives them without a sort.
    await queryRunner.query(`DROP INDEX "ix_datamap_entities_name"`);
    await queryRunner.query(`CREATE INDEX "ix_datamap_entities_name_guid" ON "datamap_entities" ("name", "guid")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_datamap_entities_name_guid"`);
    await queryRunner.query(`CREATE INDEX "ix_datamap_entities_name" ON "datamap_entities" ("name")`);
    await queryRunner.query(`DROP INDEX "ix_datamap_entities_guid_status_type_name"`);
    await queryRunner.query(`DROP INDEX "ix_datamap_entities_type_name_status"`);
    await queryRunner.query(`DROP TRIGGER "tr_datamap_entities_search_delete"`);
    await queryRunner.query(`DROP TRIGGER "tr_datamap_entities_search_update"`);
    await queryRunner.query(`DROP TRIGGER "tr_datamap_entities_search_insert"`);
    await queryRunner.query(`DROP TABLE "datamap_search_fts"`);
  }
}
