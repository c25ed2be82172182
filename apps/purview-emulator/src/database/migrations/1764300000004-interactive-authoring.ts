import { MigrationInterface, QueryRunner } from 'typeorm';

/** Interactive authoring per integration runtime: on or off, and when it switches itself off; gone with the IR. */
export class InteractiveAuthoringSchema1764300000004 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "interactive_authoring" (
      "integration_runtime_id" varchar PRIMARY KEY NOT NULL REFERENCES "integration_runtimes" ("id") ON DELETE CASCADE,
      "enabled" boolean NOT NULL,
      "auto_termination_minutes" integer NOT NULL,
      "enabled_at" varchar NOT NULL,
      "expires_at" varchar NOT NULL,
      "disabled_at" varchar
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "interactive_authoring"`);
  }
}
