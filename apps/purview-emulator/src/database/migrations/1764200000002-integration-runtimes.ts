import { MigrationInterface, QueryRunner } from 'typeorm';

export class IntegrationRuntimesSchema1764200000002 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "integration_runtimes" (
      "id" varchar PRIMARY KEY NOT NULL,
      "name" varchar NOT NULL,
      "kind" varchar NOT NULL,
      "description" text,
      "auth_key1" varchar NOT NULL,
      "auth_key2" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    // Names are case-insensitive in Purview, as in ADF.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_integration_runtimes_name" ON "integration_runtimes" ("name" COLLATE NOCASE)`,
    );
    await queryRunner.query(`CREATE TABLE "integration_runtime_nodes" (
      "id" varchar PRIMARY KEY NOT NULL,
      "integration_runtime_id" varchar NOT NULL REFERENCES "integration_runtimes" ("id") ON DELETE CASCADE,
      "node_name" varchar NOT NULL,
      "machine_name" varchar NOT NULL,
      "credential_hash" varchar NOT NULL,
      "registered_with" varchar NOT NULL,
      "version" varchar NOT NULL,
      "os" varchar,
      "cores" integer NOT NULL,
      "memory_mb" integer NOT NULL,
      "register_time" varchar NOT NULL,
      "last_connect_ms" integer,
      "last_start_time" varchar,
      "running_jobs" integer NOT NULL DEFAULT 0,
      "available_memory_mb" real,
      "cpu_utilization" real,
      "relay_connected" boolean,
      "concurrent_jobs_limit" integer,
      "max_concurrent_jobs" integer NOT NULL
    )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_ir_nodes_name" ON "integration_runtime_nodes" ("integration_runtime_id", "node_name" COLLATE NOCASE)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "integration_runtime_nodes"`);
    await queryRunner.query(`DROP TABLE "integration_runtimes"`);
  }
}
