import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Key Vault secrets data plane (every version of every secret, its value sealed) and the scanning side's Key Vault
 * connections and credentials (references to secrets, never values).
 */
export class KeyVaultAndScanCredentials1764500000041 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "key_vault_secrets" (
      "id" varchar PRIMARY KEY NOT NULL,
      "vault" varchar NOT NULL COLLATE NOCASE,
      "name" varchar NOT NULL COLLATE NOCASE,
      "version" varchar NOT NULL,
      "value" varchar NOT NULL,
      "content_type" varchar,
      "tags" text,
      "enabled" boolean NOT NULL DEFAULT 1,
      "not_before" integer,
      "expires" integer,
      "created" integer NOT NULL,
      "updated" integer NOT NULL,
      "seq" integer NOT NULL
    )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_key_vault_secrets_version" ON "key_vault_secrets" ("vault", "name", "version")`,
    );
    await queryRunner.query(`CREATE TABLE "scan_key_vault_connections" (
      "name" varchar PRIMARY KEY NOT NULL COLLATE NOCASE,
      "base_url" varchar NOT NULL,
      "vault" varchar NOT NULL,
      "description" varchar,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await queryRunner.query(`CREATE TABLE "scan_credentials" (
      "name" varchar PRIMARY KEY NOT NULL COLLATE NOCASE,
      "kind" varchar NOT NULL,
      "description" varchar,
      "type_properties" text,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scan_credentials"`);
    await queryRunner.query(`DROP TABLE "scan_key_vault_connections"`);
    await queryRunner.query(`DROP TABLE "key_vault_secrets"`);
  }
}
