import { MigrationInterface, QueryRunner } from 'typeorm';

/** The partial index of entities search leaves out (status other than ACTIVE: soft-deleted, purged-pending). */
export const INACTIVE_ENTITIES_INDEX = 'ix_datamap_entities_inactive';

/**
 * Broad keyword search counts its matches from the full-text index, which holds every entity row, and subtracts the
 * inactive ones: this index lists those few without reading the wide entity rows of every match. Partial, so the
 * planner never picks it for the `status = 'ACTIVE'` queries search and the entity API run.
 */
export class SearchInactiveEntities1764700000031 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "${INACTIVE_ENTITIES_INDEX}" ON "datamap_entities" ("status", "name") WHERE status <> 'ACTIVE'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "${INACTIVE_ENTITIES_INDEX}"`);
  }
}
