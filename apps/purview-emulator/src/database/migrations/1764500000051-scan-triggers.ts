import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: a scan's trigger (`scan_triggers`, src/scan-triggers/scan-trigger.entity.ts), one per scan and deleted
 * with it, and the `runType` of a run (`scan_runs.run_type`: Manual, or Scheduled when a trigger started it).
 */
export class ScanTriggersSchema1764500000051 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scan_triggers" (
      "scan_id" varchar PRIMARY KEY NOT NULL REFERENCES "scans" ("id") ON DELETE CASCADE,
      "recurrence" text NOT NULL,
      "recurrence_interval" varchar,
      "scan_level" varchar NOT NULL,
      "incremental_scan_start_time" varchar,
      "state" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL,
      "last_scheduled" varchar,
      "next_run_at" varchar
    )`);
    await queryRunner.query(`CREATE INDEX "ix_scan_triggers_due" ON "scan_triggers" ("state", "next_run_at")`);
    await queryRunner.query(`ALTER TABLE "scan_runs" ADD COLUMN "run_type" varchar NOT NULL DEFAULT 'Manual'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scan_runs" DROP COLUMN "run_type"`);
    await queryRunner.query(`DROP TABLE "scan_triggers"`);
  }
}
