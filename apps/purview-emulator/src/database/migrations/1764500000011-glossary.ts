import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The business glossary (see datamap/glossary/glossary.records.ts): glossaries, categories and terms in one table of
 * nodes (a category or term belongs to its glossary, deleted with it), the links between them (related terms, term
 * categorizations) and term assignments to data map entities.
 */
export class Glossary1764500000011 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "glossary_nodes" (
      "guid" varchar PRIMARY KEY NOT NULL,
      "kind" varchar NOT NULL,
      "glossary_guid" varchar REFERENCES "glossary_nodes" ("guid") ON DELETE CASCADE,
      "parent_guid" varchar REFERENCES "glossary_nodes" ("guid") ON DELETE SET NULL,
      "name" varchar NOT NULL,
      "qualified_name" varchar NOT NULL,
      "status" varchar,
      "anchor_relation_guid" varchar,
      "parent_relation_guid" varchar,
      "doc" text NOT NULL,
      "created_by" varchar NOT NULL,
      "updated_by" varchar NOT NULL,
      "create_time" integer NOT NULL,
      "update_time" integer NOT NULL,
      "version" integer NOT NULL
    )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_glossary_nodes_qualified_name" ON "glossary_nodes" ("kind", "qualified_name")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_glossary_nodes_glossary" ON "glossary_nodes" ("glossary_guid", "kind")`);
    await queryRunner.query(`CREATE INDEX "ix_glossary_nodes_parent" ON "glossary_nodes" ("parent_guid")`);
    await queryRunner.query(`CREATE TABLE "glossary_links" (
      "relation_guid" varchar PRIMARY KEY NOT NULL,
      "kind" varchar NOT NULL,
      "from_guid" varchar NOT NULL REFERENCES "glossary_nodes" ("guid") ON DELETE CASCADE,
      "from_attr" varchar NOT NULL,
      "to_guid" varchar NOT NULL REFERENCES "glossary_nodes" ("guid") ON DELETE CASCADE,
      "to_attr" varchar NOT NULL,
      "doc" text NOT NULL
    )`);
    await queryRunner.query(`CREATE INDEX "ix_glossary_links_from" ON "glossary_links" ("from_guid")`);
    await queryRunner.query(`CREATE INDEX "ix_glossary_links_to" ON "glossary_links" ("to_guid")`);
    await queryRunner.query(`CREATE TABLE "glossary_term_assignments" (
      "relation_guid" varchar PRIMARY KEY NOT NULL,
      "term_guid" varchar NOT NULL REFERENCES "glossary_nodes" ("guid") ON DELETE CASCADE,
      "entity_guid" varchar NOT NULL,
      "attributes" text NOT NULL,
      "create_time" integer NOT NULL
    )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_glossary_term_assignments" ON "glossary_term_assignments" ("term_guid", "entity_guid")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_glossary_term_assignments_entity" ON "glossary_term_assignments" ("entity_guid")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "glossary_term_assignments"`);
    await queryRunner.query(`DROP TABLE "glossary_links"`);
    await queryRunner.query(`DROP TABLE "glossary_nodes"`);
  }
}
