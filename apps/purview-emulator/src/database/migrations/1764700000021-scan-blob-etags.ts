import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incremental scans by ETag (scanning/scan-blob-etags.ts): the ETag each scan last recorded for each blob it listed,
 * what an incremental run compares a listed blob's ETag with.
 */
export class ScanBlobEtags1764700000021 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scan_blob_etags" (
      "scan_id" varchar NOT NULL REFERENCES "scans" ("id") ON DELETE CASCADE,
      "qualified_name" varchar NOT NULL,
      "etag" varchar NOT NULL,
      PRIMARY KEY ("scan_id", "qualified_name")
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scan_blob_etags"`);
  }
}
