import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scanning: data sources, scans, scan runs (which double as runtime jobs) and the ingested-batch ledger.
 * Mirrors src/scanning/*.entity.ts column for column. Names compare NOCASE, as Purview's do; timestamps are ISO text.
 */
export class ScanningSchema1764200000003 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "data_sources" (
      "id" varchar PRIMARY KEY NOT NULL,
      "name" varchar COLLATE NOCASE NOT NULL,
      "kind" varchar NOT NULL,
      "properties" text NOT NULL,
      "collection_name" varchar NOT NULL,
      "collection_modified_at" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_data_sources_name" ON "data_sources" ("name")`);

    // A data source with scans cannot be deleted (the service answers 409 first; the foreign key backs it up).
    await queryRunner.query(`CREATE TABLE "scans" (
      "id" varchar PRIMARY KEY NOT NULL,
      "data_source_id" varchar NOT NULL REFERENCES "data_sources" ("id"),
      "name" varchar COLLATE NOCASE NOT NULL,
      "kind" varchar NOT NULL,
      "properties" text NOT NULL,
      "scan_ruleset_name" varchar NOT NULL,
      "scan_ruleset_type" varchar NOT NULL,
      "integration_runtime_name" varchar,
      "integration_runtime_type" varchar,
      "collection_name" varchar NOT NULL,
      "collection_modified_at" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_scans_data_source_name" ON "scans" ("data_source_id", "name")`);

    // Deleting a scan deletes its run history, and a run's batch ledger goes with it.
    await queryRunner.query(`CREATE TABLE "scan_runs" (
      "id" varchar PRIMARY KEY NOT NULL,
      "seq" integer NOT NULL,
      "scan_id" varchar NOT NULL REFERENCES "scans" ("id") ON DELETE CASCADE,
      "data_source_name" varchar NOT NULL,
      "scan_name" varchar NOT NULL,
      "data_source_kind" varchar NOT NULL,
      "endpoint" varchar,
      "scan_ruleset_name" varchar NOT NULL,
      "scan_ruleset_type" varchar NOT NULL,
      "scan_level" varchar NOT NULL,
      "integration_runtime_name" varchar COLLATE NOCASE,
      "status" varchar NOT NULL,
      "discovery_status" varchar NOT NULL,
      "ingestion_status" varchar NOT NULL,
      "queued_time" varchar NOT NULL,
      "start_time" varchar,
      "pipeline_start_time" varchar,
      "end_time" varchar,
      "discovery_start_time" varchar,
      "discovery_end_time" varchar,
      "ingestion_start_time" varchar,
      "ingestion_end_time" varchar,
      "ingestion_updated_at" varchar,
      "attempt" integer NOT NULL,
      "lease_id" varchar,
      "lease_expires_at" varchar,
      "lease_node_id" varchar,
      "lease_node_name" varchar,
      "completed_lease_id" varchar,
      "nodes" text NOT NULL,
      "assets_discovered" integer NOT NULL,
      "assets_classified" integer NOT NULL,
      "assets_failed" integer NOT NULL,
      "batches_uploaded" integer NOT NULL,
      "batch_count" integer,
      "batches_ingested" integer NOT NULL,
      "ingested_assets_succeeded" integer NOT NULL,
      "ingested_assets_failed" integer NOT NULL,
      "ingested_relationships" integer NOT NULL,
      "error_code" varchar,
      "error_message" text,
      "notifications" text NOT NULL
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_scan_runs_seq" ON "scan_runs" ("seq")`);
    // History of one scan, newest first; and "is a run of this scan active?".
    await queryRunner.query(`CREATE INDEX "ix_scan_runs_scan_id_seq" ON "scan_runs" ("scan_id", "seq")`);
    // The job queue: Queued runs of one integration runtime, oldest first.
    await queryRunner.query(
      `CREATE INDEX "ix_scan_runs_queue" ON "scan_runs" ("integration_runtime_name", "status", "seq")`,
    );
    // The lease sweeper: InProgress runs whose lease has expired.
    await queryRunner.query(
      `CREATE INDEX "ix_scan_runs_lease_expires_at" ON "scan_runs" ("status", "lease_expires_at")`,
    );

    await queryRunner.query(`CREATE TABLE "scan_run_batches" (
      "run_id" varchar NOT NULL REFERENCES "scan_runs" ("id") ON DELETE CASCADE,
      "batch_id" varchar NOT NULL,
      "assets_succeeded" integer NOT NULL,
      "assets_failed" integer NOT NULL,
      "relationships" integer NOT NULL,
      "recorded_at" varchar NOT NULL,
      PRIMARY KEY ("run_id", "batch_id")
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scan_run_batches"`);
    await queryRunner.query(`DROP TABLE "scan_runs"`);
    await queryRunner.query(`DROP TABLE "scans"`);
    await queryRunner.query(`DROP TABLE "data_sources"`);
  }
}
