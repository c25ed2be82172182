import { MigrationInterface, QueryRunner } from 'typeorm';

export const TYPE_COUNTS = 'datamap_search_type_counts';
export const CLASSIFICATION_COUNTS = 'datamap_search_classification_counts';

const bumpType = (type: string, status: string, by: '+' | '-') =>
  by === '+'
    ? `INSERT INTO "${TYPE_COUNTS}" (type_name, status, n) VALUES (${type}, ${status}, 1) ` +
      `ON CONFLICT (type_name, status) DO UPDATE SET n = n + 1;`
    : `UPDATE "${TYPE_COUNTS}" SET n = n - 1 WHERE type_name = ${type} AND status = ${status};`;

/** Moves the classifications of entity `guid` between (type, status) rows of the counts. */
const bumpClassificationsOf = (guid: string, type: string, status: string, by: '+' | '-') =>
  by === '+'
    ? `INSERT INTO "${CLASSIFICATION_COUNTS}" (type_name, status, classification, n) SELECT ${type}, ${status}, c.type_name, 1 ` +
      `FROM datamap_entity_classifications c WHERE c.guid = ${guid} ` +
      `ON CONFLICT (type_name, status, classification) DO UPDATE SET n = n + 1;`
    : `UPDATE "${CLASSIFICATION_COUNTS}" SET n = n - 1 WHERE type_name = ${type} AND status = ${status} ` +
      `AND classification IN (SELECT c.type_name FROM datamap_entity_classifications c WHERE c.guid = ${guid});`;

/** Recomputes both count tables from the entity store (this migration, and SearchIndex's rebuild). */
export const REBUILD_COUNTS_SQL = [
  `DELETE FROM "${TYPE_COUNTS}"`,
  `DELETE FROM "${CLASSIFICATION_COUNTS}"`,
  `INSERT INTO "${TYPE_COUNTS}" (type_name, status, n) SELECT type_name, status, COUNT(*) FROM datamap_entities GROUP BY type_name, status`,
  `INSERT INTO "${CLASSIFICATION_COUNTS}" (type_name, status, classification, n) ` +
    `SELECT e.type_name, e.status, c.type_name, COUNT(*) FROM datamap_entity_classifications c JOIN datamap_entities e ON e.guid = c.guid ` +
    `GROUP BY e.type_name, e.status, c.type_name`,
];

/**
 * Entity counts by (typeName, status) and classified entities by (typeName, status, classification), kept by triggers
 * in each write's own transaction: search answers the total and the entityType/objectType/assetType/classification
 * facets of queries that select by type alone (the whole catalog, `not entityType`…) from these few rows instead of
 * counting every entity. A classification row deleted by its entity's cascade finds no entity and changes nothing:
 * the entity's own delete trigger (BEFORE, while its classifications are still there) already took them off.
 */
export class SearchCounts1764600000052 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "${TYPE_COUNTS}" ("type_name" varchar NOT NULL, "status" varchar NOT NULL, "n" integer NOT NULL, ` +
        `PRIMARY KEY ("type_name", "status"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "${CLASSIFICATION_COUNTS}" ("type_name" varchar NOT NULL, "status" varchar NOT NULL, ` +
        `"classification" varchar NOT NULL, "n" integer NOT NULL, PRIMARY KEY ("type_name", "status", "classification"))`,
    );
    const triggers: [string, string][] = [
      [
        'tr_search_counts_entity_insert',
        `AFTER INSERT ON datamap_entities BEGIN ${bumpType('NEW.type_name', 'NEW.status', '+')} END`,
      ],
      [
        'tr_search_counts_entity_delete',
        `BEFORE DELETE ON datamap_entities BEGIN ${bumpType('OLD.type_name', 'OLD.status', '-')} ` +
          `${bumpClassificationsOf('OLD.guid', 'OLD.type_name', 'OLD.status', '-')} END`,
      ],
      [
        'tr_search_counts_entity_update',
        `AFTER UPDATE OF type_name, status ON datamap_entities WHEN OLD.type_name IS NOT NEW.type_name OR OLD.status IS NOT NEW.status BEGIN ` +
          `${bumpType('OLD.type_name', 'OLD.status', '-')} ${bumpType('NEW.type_name', 'NEW.status', '+')} ` +
          `${bumpClassificationsOf('NEW.guid', 'OLD.type_name', 'OLD.status', '-')} ` +
          `${bumpClassificationsOf('NEW.guid', 'NEW.type_name', 'NEW.status', '+')} END`,
      ],
      [
        'tr_search_counts_classification_insert',
        `AFTER INSERT ON datamap_entity_classifications BEGIN INSERT INTO "${CLASSIFICATION_COUNTS}" (type_name, status, classification, n) ` +
          `SELECT e.type_name, e.status, NEW.type_name, 1 FROM datamap_entities e WHERE e.guid = NEW.guid ` +
          `ON CONFLICT (type_name, status, classification) DO UPDATE SET n = n + 1; END`,
      ],
      [
        'tr_search_counts_classification_delete',
        `AFTER DELETE ON datamap_entity_classifications BEGIN UPDATE "${CLASSIFICATION_COUNTS}" SET n = n - 1 ` +
          `WHERE classification = OLD.type_name AND (type_name, status) = (SELECT e.type_name, e.status FROM datamap_entities e WHERE e.guid = OLD.guid); END`,
      ],
    ];
    for (const [name, body] of triggers) await queryRunner.query(`CREATE TRIGGER "${name}" ${body}`);
    for (const statement of REBUILD_COUNTS_SQL) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'entity_insert',
      'entity_delete',
      'entity_update',
      'classification_insert',
      'classification_delete',
    ])
      await queryRunner.query(`DROP TRIGGER "tr_search_counts_${name}"`);
    await queryRunner.query(`DROP TABLE "${CLASSIFICATION_COUNTS}"`);
    await queryRunner.query(`DROP TABLE "${TYPE_COUNTS}"`);
  }
}
