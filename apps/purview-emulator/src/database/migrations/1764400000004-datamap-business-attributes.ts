import { MigrationInterface, QueryRunner } from 'typeorm';

/** Business metadata values of data map entities (see datamap/business-metadata/business-attribute.record.ts). */
export class DataMapBusinessAttributes1764400000004 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "datamap_entity_business_attributes" (
      "guid" varchar NOT NULL,
      "bm_name" varchar NOT NULL,
      "attr_name" varchar NOT NULL,
      "value" text NOT NULL,
      PRIMARY KEY ("guid", "bm_name", "attr_name")
    )`);
    await queryRunner.query(
      `CREATE INDEX "ix_datamap_entity_business_attributes_bm" ` +
        `ON "datamap_entity_business_attributes" ("bm_name", "attr_name")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "datamap_entity_business_attributes"`);
  }
}
