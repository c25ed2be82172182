import { MigrationInterface, QueryRunner } from 'typeorm';

/** Injected faults (see faults/fault.entity.ts). */
export class EmulatorFaults1764500000061 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "emulator_faults" (
      "id" varchar PRIMARY KEY NOT NULL,
      "spec" text NOT NULL,
      "remaining" integer,
      "expires_at" varchar,
      "created_at" varchar NOT NULL,
      "fired" integer NOT NULL DEFAULT 0
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "emulator_faults"`);
  }
}
