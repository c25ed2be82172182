import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 3: auto-update and dispatcher per IR, remote access and upgrade state per node, the emulator clock. */
export class RuntimeFidelitySchema1764300000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    // Purview turns auto-update on by default ("PV-version").
    await queryRunner.query(
      `ALTER TABLE "integration_runtimes" ADD COLUMN "auto_update" varchar NOT NULL DEFAULT 'On'`,
    );
    await queryRunner.query(`ALTER TABLE "integration_runtimes" ADD COLUMN "dispatcher_node_id" varchar`);
    await queryRunner.query(
      `ALTER TABLE "integration_runtime_nodes" ADD COLUMN "remote_access_enabled" boolean NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE "integration_runtime_nodes" ADD COLUMN "remote_access_port" integer`);
    await queryRunner.query(
      `ALTER TABLE "integration_runtime_nodes" ADD COLUMN "upgrading" boolean NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(`ALTER TABLE "integration_runtime_nodes" ADD COLUMN "last_stop_time" varchar`);
    await queryRunner.query(
      `ALTER TABLE "integration_runtime_nodes" ADD COLUMN "last_update_result" varchar NOT NULL DEFAULT 'None'`,
    );
    await queryRunner.query(
      `CREATE TABLE "emulator_settings" ("key" varchar PRIMARY KEY NOT NULL, "value" text NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "emulator_settings"`);
    for (const column of [
      'remote_access_enabled',
      'remote_access_port',
      'upgrading',
      'last_stop_time',
      'last_update_result',
    ]) {
      await queryRunner.query(`ALTER TABLE "integration_runtime_nodes" DROP COLUMN "${column}"`);
    }
    await queryRunner.query(`ALTER TABLE "integration_runtimes" DROP COLUMN "dispatcher_node_id"`);
    await queryRunner.query(`ALTER TABLE "integration_runtimes" DROP COLUMN "auto_update"`);
  }
}
