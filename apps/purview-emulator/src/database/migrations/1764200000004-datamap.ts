import { MigrationInterface, QueryRunner } from 'typeorm';

/** The data map: Atlas entities and their classification index (see datamap/atlas-entity.record.ts). */
export class DataMapSchema1764200000004 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "datamap_entities" (
      "guid" varchar PRIMARY KEY NOT NULL,
      "type_name" varchar NOT NULL,
      "qualified_name" varchar NOT NULL,
      "name" varchar COLLATE NOCASE NOT NULL,
      "description" text,
      "attributes" text NOT NULL,
      "relationship_attributes" text NOT NULL,
      "classifications" text NOT NULL,
      "labels" text NOT NULL,
      "status" varchar NOT NULL,
      "create_time" integer NOT NULL,
      "update_time" integer NOT NULL,
      "created_by" varchar NOT NULL,
      "updated_by" varchar NOT NULL,
      "version" integer NOT NULL,
      "last_modified_ts" varchar NOT NULL,
      "collection_id" varchar COLLATE NOCASE NOT NULL,
      "source_details" text
    )`);
    // Entities are unique by typeName + qualifiedName, compared exactly (clients look assets up by exact qualifiedName).
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_datamap_entities_type_qualified_name" ON "datamap_entities" ("type_name", "qualified_name")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_datamap_entities_qualified_name" ON "datamap_entities" ("qualified_name")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_datamap_entities_name" ON "datamap_entities" ("name")`);
    await queryRunner.query(`CREATE INDEX "ix_datamap_entities_update_time" ON "datamap_entities" ("update_time")`);
    await queryRunner.query(`CREATE INDEX "ix_datamap_entities_create_time" ON "datamap_entities" ("create_time")`);
    await queryRunner.query(`CREATE INDEX "ix_datamap_entities_collection_id" ON "datamap_entities" ("collection_id")`);
    await queryRunner.query(`CREATE TABLE "datamap_entity_classifications" (
      "guid" varchar NOT NULL REFERENCES "datamap_entities" ("guid") ON DELETE CASCADE,
      "type_name" varchar NOT NULL,
      PRIMARY KEY ("guid", "type_name")
    )`);
    await queryRunner.query(
      `CREATE INDEX "ix_datamap_entity_classifications_type_name" ON "datamap_entity_classifications" ("type_name", "guid")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "datamap_entity_classifications"`);
    await queryRunner.query(`DROP TABLE "datamap_entities"`);
  }
}
