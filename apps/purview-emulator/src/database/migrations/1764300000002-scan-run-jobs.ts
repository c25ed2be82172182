import { MigrationInterface, QueryRunner } from 'typeorm';

interface ActiveRunRow {
  id: string;
  seq: number;
  integration_runtime_name: string;
  discovery_status: string;
  queued_time: string;
  attempt: number;
  lease_id: string | null;
  lease_expires_at: string | null;
  lease_node_id: string | null;
  lease_node_name: string | null;
  completed_lease_id: string | null;
  nodes: string;
  assets_discovered: number;
  assets_classified: number;
  assets_failed: number;
  batches_uploaded: number;
  batch_count: number | null;
}

/**
 * Issue 4: a run is made of parts (`scan_run_jobs`, mirroring src/scanning/scan-run-job.entity.ts), each leased by
 * a node; the lease moves from the run to its parts. Runs still Queued or InProgress get one part carrying their
 * lease and counts. That part's id is the run id, which was the job id before parts existed, so a node working on
 * such a run while the emulator is upgraded keeps renewing and completing it as if nothing happened.
 */
export class ScanRunJobsSchema1764300000002 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scan_run_jobs" (
      "id" varchar PRIMARY KEY NOT NULL,
      "run_id" varchar NOT NULL REFERENCES "scan_runs" ("id") ON DELETE CASCADE,
      "run_seq" integer NOT NULL,
      "integration_runtime_name" varchar COLLATE NOCASE NOT NULL,
      "part_index" integer NOT NULL,
      "part_count" integer NOT NULL,
      "status" varchar NOT NULL,
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
      "error_code" varchar,
      "error_message" text,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_scan_run_jobs_run_part" ON "scan_run_jobs" ("run_id", "part_index")`,
    );
    // The job queue: Queued parts of one integration runtime, oldest run first, then part order.
    await queryRunner.query(
      `CREATE INDEX "ix_scan_run_jobs_queue" ON "scan_run_jobs" ("integration_runtime_name", "status", "run_seq", "part_index")`,
    );
    // The lease sweeper: Leased parts whose lease has expired.
    await queryRunner.query(
      `CREATE INDEX "ix_scan_run_jobs_lease_expires_at" ON "scan_run_jobs" ("status", "lease_expires_at")`,
    );
    // How many parts a node holds (its concurrentJobsLimit).
    await queryRunner.query(
      `CREATE INDEX "ix_scan_run_jobs_lease_node" ON "scan_run_jobs" ("lease_node_id", "status")`,
    );

    const active = (await queryRunner.query(
      `SELECT * FROM "scan_runs" WHERE "status" IN ('Queued', 'InProgress') AND "integration_runtime_name" IS NOT NULL ORDER BY "seq"`,
    )) as ActiveRunRow[];
    for (const run of active) {
      const completed = run.discovery_status === 'Succeeded';
      const leased = !completed && run.lease_id !== null;
      const status = completed ? 'Completed' : leased ? 'Leased' : 'Queued';
      await queryRunner.query(
        `INSERT INTO "scan_run_jobs" ("id", "run_id", "run_seq", "integration_runtime_name", "part_index", "part_count", "status", "attempt",
          "lease_id", "lease_expires_at", "lease_node_id", "lease_node_name", "completed_lease_id", "nodes",
          "assets_discovered", "assets_classified", "assets_failed", "batches_uploaded", "batch_count", "error_code", "error_message", "created_at", "updated_at")
         VALUES (?, ?, ?, ?, 0, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
        [
          run.id,
          run.id,
          run.seq,
          run.integration_runtime_name,
          status,
          run.attempt,
          leased ? run.lease_id : null,
          leased ? run.lease_expires_at : null,
          leased ? run.lease_node_id : null,
          leased ? run.lease_node_name : null,
          run.completed_lease_id,
          run.nodes,
          run.assets_discovered,
          run.assets_classified,
          run.assets_failed,
          run.batches_uploaded,
          completed ? run.batch_count : null,
          run.queued_time,
          run.queued_time,
        ],
      );
    }

    await queryRunner.query(`DROP INDEX "ix_scan_runs_lease_expires_at"`);
    for (const column of ['lease_id', 'lease_expires_at', 'lease_node_id', 'lease_node_name', 'completed_lease_id']) {
      await queryRunner.query(`ALTER TABLE "scan_runs" DROP COLUMN "${column}"`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['lease_id', 'lease_expires_at', 'lease_node_id', 'lease_node_name', 'completed_lease_id']) {
      await queryRunner.query(`ALTER TABLE "scan_runs" ADD COLUMN "${column}" varchar`);
    }
    // A run keeps the lease of its first leased part; other parts' leases are lost (they expire and fail the run).
    await queryRunner.query(`UPDATE "scan_runs" SET
      "lease_id" = (SELECT "lease_id" FROM "scan_run_jobs" j WHERE j."run_id" = "scan_runs"."id" AND j."status" = 'Leased' ORDER BY j."part_index" LIMIT 1),
      "lease_expires_at" = (SELECT "lease_expires_at" FROM "scan_run_jobs" j WHERE j."run_id" = "scan_runs"."id" AND j."status" = 'Leased' ORDER BY j."part_index" LIMIT 1),
      "lease_node_id" = (SELECT "lease_node_id" FROM "scan_run_jobs" j WHERE j."run_id" = "scan_runs"."id" AND j."status" = 'Leased' ORDER BY j."part_index" LIMIT 1),
      "lease_node_name" = (SELECT "lease_node_name" FROM "scan_run_jobs" j WHERE j."run_id" = "scan_runs"."id" AND j."status" = 'Leased' ORDER BY j."part_index" LIMIT 1)`);
    await queryRunner.query(
      `CREATE INDEX "ix_scan_runs_lease_expires_at" ON "scan_runs" ("status", "lease_expires_at")`,
    );
    await queryRunner.query(`DROP TABLE "scan_run_jobs"`);
  }
}
