import { MigrationInterface, QueryRunner } from 'typeorm';

/** Managed virtual networks (`default`, `defaultv2`) and their managed private endpoints: records, no network. */
export class ManagedNetworksSchema1764600000011 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "scan_managed_virtual_networks" (
      "name" varchar PRIMARY KEY NOT NULL COLLATE NOCASE,
      "vnet_id" varchar NOT NULL,
      "alias" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await queryRunner.query(`CREATE TABLE "scan_managed_private_endpoints" (
      "network_name" varchar NOT NULL COLLATE NOCASE REFERENCES "scan_managed_virtual_networks" ("name"),
      "name" varchar NOT NULL COLLATE NOCASE,
      "private_link_resource_id" varchar NOT NULL,
      "group_id" varchar NOT NULL,
      "fqdns" text NOT NULL,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL,
      PRIMARY KEY ("network_name", "name")
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "scan_managed_private_endpoints"`);
    await queryRunner.query(`DROP TABLE "scan_managed_virtual_networks"`);
  }
}
