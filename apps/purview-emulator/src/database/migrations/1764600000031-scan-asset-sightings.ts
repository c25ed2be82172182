import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleted-asset detection (scanning/scan-asset-sightings.ts): which scan saw which asset, by the seq of the last run
 * that ingested it, and each run's `deleted` count. Runs that ended before this migration are settled (0): a
 * detection never runs for them.
 */
export class ScanAssetSightings1764600000031 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scan_asset_sightings" (
      "scan_id" varchar NOT NULL REFERENCES "scans" ("id") ON DELETE CASCADE,
      "type_name" varchar NOT NULL,
      "qualified_name" varchar NOT NULL,
      "last_run_seq" integer NOT NULL,
      PRIMARY KEY ("scan_id", "type_name", "qualified_name")
    )`);
    await queryRunner.query(
      `CREATE INDEX "ix_scan_asset_sightings_scan_seq" ON "scan_asset_sightings" ("scan_id", "last_run_seq")`,
    );
    await queryRunner.query(`ALTER TABLE "scan_runs" ADD COLUMN "assets_deleted" integer`);
    await queryRunner.query(`UPDATE "scan_runs" SET "assets_deleted" = 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scan_runs" DROP COLUMN "assets_deleted"`);
    await queryRunner.query(`DROP TABLE "scan_asset_sightings"`);
  }
}
