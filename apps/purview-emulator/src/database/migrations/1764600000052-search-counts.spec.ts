import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './index';
import { CLASSIFICATION_COUNTS, SearchCounts1764600000052, TYPE_COUNTS } from './1764600000052-search-counts';

const open = (file: string, migrations: typeof MIGRATIONS) =>
  new DataSource({
    type: 'better-sqlite3',
    database: file,
    migrations,
    migrationsTransactionMode: 'each',
    prepareDatabase: (db: { pragma(sql: string): unknown }) => void db.pragma('foreign_keys = ON'),
  });

const insert = (ds: DataSource, guid: string, typeName: string) =>
  ds.query(
    `INSERT INTO datamap_entities (guid, type_name, qualified_name, name, description, attributes, relationship_attributes,
       classifications, labels, status, create_time, update_time, created_by, updated_by, version, last_modified_ts, collection_id)
     VALUES (?, ?, ?, ?, NULL, '{}', '{}', '[]', '[]', 'ACTIVE', 1, 1, 'x', 'x', 0, '1', 'acct')`,
    [guid, typeName, `counts://${guid}`, guid],
  );
const classify = (ds: DataSource, guid: string, classification: string) =>
  ds.query(`INSERT INTO datamap_entity_classifications (guid, type_name) VALUES (?, ?)`, [guid, classification]);

/** The counts as kept, without empty rows, and as recomputed from the entity store: they must always agree. */
async function kept(ds: DataSource): Promise<{ types: unknown[]; classifications: unknown[] }> {
  return {
    types: await ds.query(`SELECT type_name, status, n FROM ${TYPE_COUNTS} WHERE n <> 0 ORDER BY 1, 2`),
    classifications: await ds.query(
      `SELECT type_name, status, classification, n FROM ${CLASSIFICATION_COUNTS} WHERE n <> 0 ORDER BY 1, 2, 3`,
    ),
  };
}
async function recomputed(ds: DataSource): Promise<{ types: unknown[]; classifications: unknown[] }> {
  return {
    types: await ds.query(
      `SELECT type_name, status, COUNT(*) AS n FROM datamap_entities GROUP BY type_name, status ORDER BY 1, 2`,
    ),
    classifications: await ds.query(
      `SELECT e.type_name, e.status, c.type_name AS classification, COUNT(*) AS n FROM datamap_entity_classifications c ` +
        `JOIN datamap_entities e ON e.guid = c.guid GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ),
  };
}

describe('migration SearchCounts1764600000052', () => {
  it('counts what a database already holds and stays equal to a recount through every kind of write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-counts-migration-'));
    const file = path.join(dir, 'purview.db');
    const old = open(
      file,
      MIGRATIONS.filter((m) => m !== SearchCounts1764600000052),
    );
    await old.initialize();
    await old.runMigrations();
    await insert(old, 'g1', 'azure_blob_path');
    await classify(old, 'g1', 'EMAIL');
    await old.destroy();

    const ds = open(file, MIGRATIONS);
    await ds.initialize();
    try {
      await ds.runMigrations();
      expect(await kept(ds)).toEqual(await recomputed(ds));
      expect((await kept(ds)).types).toEqual([{ type_name: 'azure_blob_path', status: 'ACTIVE', n: 1 }]);

      const steps: (() => Promise<unknown>)[] = [
        () => insert(ds, 'g2', 'azure_blob_path'),
        () => insert(ds, 'g3', 'DataSet'),
        () => classify(ds, 'g2', 'EMAIL'),
        () => classify(ds, 'g2', 'PHONE'),
        () => classify(ds, 'g3', 'PHONE'),
        () => ds.query(`DELETE FROM datamap_entity_classifications WHERE guid = 'g2' AND type_name = 'EMAIL'`),
        () => ds.query(`UPDATE datamap_entities SET status = 'DELETED' WHERE guid = 'g2'`),
        () => ds.query(`UPDATE datamap_entities SET type_name = 'DataSet' WHERE guid = 'g1'`),
        () => ds.query(`DELETE FROM datamap_entities WHERE guid = 'g3'`), // its classifications go by cascade
        () => ds.query(`UPDATE datamap_entities SET status = 'ACTIVE' WHERE guid = 'g2'`),
      ];
      for (const step of steps) {
        await step();
        expect(await kept(ds)).toEqual(await recomputed(ds));
      }
      expect((await kept(ds)).classifications).toEqual([
        { type_name: 'DataSet', status: 'ACTIVE', classification: 'EMAIL', n: 1 },
        { type_name: 'azure_blob_path', status: 'ACTIVE', classification: 'PHONE', n: 1 },
      ]);
      await ds.undoLastMigration();
    } finally {
      await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
