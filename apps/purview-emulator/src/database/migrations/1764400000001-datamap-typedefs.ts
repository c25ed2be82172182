import { MigrationInterface, QueryRunner } from 'typeorm';

/** The data map's type system (see datamap/types/typedef.record.ts). Built-in types are seeded at start, not here. */
export class DataMapTypeDefs1764400000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "datamap_typedefs" (
      "guid" varchar PRIMARY KEY NOT NULL,
      "name" varchar NOT NULL,
      "category" varchar NOT NULL,
      "definition" text NOT NULL,
      "built_in" boolean NOT NULL
    )`);
    // Atlas type names are case-sensitive: compared exactly.
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_datamap_typedefs_name" ON "datamap_typedefs" ("name")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "datamap_typedefs"`);
  }
}
