import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: custom scan rule sets, custom classification rules (one row per version), scan filters, and the rule
 * set a run scans with, resolved when it is queued (src/scanning/rulesets).
 */
export class ScanRulesetsSchema1764500000031 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scan_rulesets" (
      "name" varchar COLLATE NOCASE PRIMARY KEY NOT NULL,
      "kind" varchar NOT NULL,
      "version" integer NOT NULL,
      "description" text,
      "excluded_system_classifications" text,
      "included_custom_classification_rule_names" text,
      "scanning_rule" text,
      "temporary_resource_filters" text,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await queryRunner.query(`CREATE TABLE "classification_rules" (
      "name" varchar COLLATE NOCASE NOT NULL,
      "version" integer NOT NULL,
      "description" text,
      "classification_name" varchar NOT NULL,
      "rule_status" varchar NOT NULL,
      "minimum_percentage_match" real,
      "data_patterns" text,
      "column_patterns" text,
      "classification_action" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL,
      PRIMARY KEY ("name", "version")
    )`);
    await queryRunner.query(`CREATE TABLE "scan_filters" (
      "scan_id" varchar PRIMARY KEY NOT NULL REFERENCES "scans" ("id") ON DELETE CASCADE,
      "include_uri_prefixes" text,
      "exclude_uri_prefixes" text,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await queryRunner.query(`ALTER TABLE "scan_runs" ADD COLUMN "scan_rules" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scan_runs" DROP COLUMN "scan_rules"`);
    await queryRunner.query(`DROP TABLE "scan_filters"`);
    await queryRunner.query(`DROP TABLE "classification_rules"`);
    await queryRunner.query(`DROP TABLE "scan_rulesets"`);
  }
}
