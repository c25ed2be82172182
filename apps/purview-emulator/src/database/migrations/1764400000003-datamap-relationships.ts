import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data map relationships (datamap/relationships/relationship.record.ts), which lineage walks, and the account's
 * collections (datamap/collections/collection.record.ts). Relationship ends are entity keys (`typeName|qualifiedName`),
 * as entities reference each other, so that an end may be written before the entity it names.
 */
export class DataMapRelationships1764400000003 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "datamap_relationships" (
      "guid" varchar PRIMARY KEY NOT NULL,
      "type_name" varchar NOT NULL,
      "end1_key" varchar NOT NULL,
      "end2_key" varchar NOT NULL,
      "attributes" text NOT NULL,
      "label" varchar NOT NULL,
      "status" varchar NOT NULL,
      "create_time" integer NOT NULL,
      "update_time" integer NOT NULL,
      "created_by" varchar NOT NULL,
      "updated_by" varchar NOT NULL,
      "version" integer NOT NULL
    )`);
    // Lineage and entity reads look relationships up by either end (and type).
    await queryRunner.query(
      `CREATE INDEX "ix_datamap_relationships_end1" ON "datamap_relationships" ("end1_key", "type_name")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_datamap_relationships_end2" ON "datamap_relationships" ("end2_key", "type_name")`,
    );
    await queryRunner.query(`CREATE TABLE "datamap_collections" (
      "name" varchar COLLATE NOCASE PRIMARY KEY NOT NULL,
      "friendly_name" varchar NOT NULL,
      "description" text,
      "parent_name" varchar COLLATE NOCASE NOT NULL,
      "created_at" varchar NOT NULL,
      "created_by" varchar NOT NULL,
      "last_modified_at" varchar NOT NULL,
      "last_modified_by" varchar NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX "ix_datamap_collections_parent" ON "datamap_collections" ("parent_name")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "datamap_collections"`);
    await queryRunner.query(`DROP TABLE "datamap_relationships"`);
  }
}
