import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentitySchema1764200000001 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "signing_keys" (
      "kid" varchar PRIMARY KEY NOT NULL,
      "algorithm" varchar NOT NULL,
      "private_jwk" text NOT NULL,
      "public_jwk" text NOT NULL,
      "created_at" varchar NOT NULL
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "signing_keys"`);
  }
}
