import { MigrationInterface, QueryRunner } from 'typeorm';

/** The relay: one hybrid connection per integration runtime, with its SAS rules; gone with the IR (cascade). */
export class RelaySchema1764300000003 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "relay_hybrid_connections" (
      "integration_runtime_id" varchar PRIMARY KEY NOT NULL REFERENCES "integration_runtimes" ("id") ON DELETE CASCADE,
      "path" varchar NOT NULL,
      "enabled" boolean NOT NULL DEFAULT 1,
      "manage_key" varchar NOT NULL,
      "listen_key" varchar NOT NULL,
      "created_at" varchar NOT NULL
    )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_relay_hybrid_connections_path" ON "relay_hybrid_connections" ("path" COLLATE NOCASE)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "relay_hybrid_connections"`);
  }
}
