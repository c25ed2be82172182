import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 8: a part re-queued because its node could not reach storage waits before it can be leased again
 * (`not_before`, src/scanning/scan-run-job.entity.ts), so its attempts are not all used up within seconds.
 */
export class ScanRunJobNotBeforeSchema1764300000005 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scan_run_jobs" ADD COLUMN "not_before" varchar`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scan_run_jobs" DROP COLUMN "not_before"`);
  }
}
