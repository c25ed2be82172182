import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './index';
import {
  FLUSH_PENDING_SQL,
  SEARCH_PENDING,
  SearchIndexPending1764800000011,
} from './1764800000011-search-index-pending';

const open = (file: string, migrations: typeof MIGRATIONS) =>
  new DataSource({ type: 'better-sqlite3', database: file, migrations, migrationsTransactionMode: 'each' });

const insert = (ds: DataSource, guid: string, name: string) =>
  ds.query(
    `INSERT INTO datamap_entities (guid, type_name, qualified_name, name, description, attributes, relationship_attributes,
       classifications, labels, status, create_time, update_time, created_by, updated_by, version, last_modified_ts, collection_id)
     VALUES (?, 'DataSet', ?, ?, NULL, '{}', '{}', '[]', '[]', 'ACTIVE', 1, 1, 'x', 'x', 0, '1', 'acct')`,
    [guid, `pending://${name}`, name],
  );

const matching = async (ds: DataSource, query: string): Promise<string[]> =>
  (
    await ds.query<{ guid: string }[]>(
      `SELECT e.guid FROM datamap_entities e WHERE e.rowid IN (SELECT rowid FROM datamap_search_fts WHERE datamap_search_fts MATCH ?) ORDER BY e.guid`,
      [query],
    )
  ).map((r) => r.guid);

const flush = async (ds: DataSource) => {
  for (const statement of FLUSH_PENDING_SQL) await ds.query(statement);
};

/** Rows in the index and in the entity store: equal whenever the queue is empty. */
const counts = async (ds: DataSource) =>
  (
    await ds.query<{ indexed: number; entities: number }[]>(
      `SELECT (SELECT COUNT(*) FROM datamap_search_fts) AS indexed, (SELECT COUNT(*) FROM datamap_entities) AS entities`,
    )
  )[0];

describe('migration SearchIndexPending1764800000011', () => {
  it('queues entity writes for the index, which one flush brings up to date, and goes back down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-pending-migration-'));
    const file = path.join(dir, 'purview.db');
    const old = open(
      file,
      MIGRATIONS.filter((m) => m !== SearchIndexPending1764800000011),
    );
    await old.initialize();
    await old.runMigrations();
    await insert(old, 'g1', 'orders.csv');
    await insert(old, 'g2', 'returns.csv');
    await old.destroy();

    const ds = open(file, MIGRATIONS);
    await ds.initialize();
    try {
      await ds.runMigrations();
      // What the older triggers indexed stays indexed.
      expect(await matching(ds, '"orders"')).toEqual(['g1']);

      await insert(ds, 'g3', 'invoices.csv');
      await ds.query(`UPDATE datamap_entities SET name = 'shipments.csv' WHERE guid = 'g2'`);
      await ds.query(`UPDATE datamap_entities SET version = 7 WHERE guid = 'g1'`); // not indexed text: not queued
      await ds.query(`INSERT INTO datamap_entity_business_attributes VALUES ('g1', 'ops', 'team', '"Treasury"')`);
      await insert(ds, 'g4', 'transient.csv');
      await ds.query(`DELETE FROM datamap_entities WHERE guid = 'g4'`); // never indexed: nothing to delete
      // Queued, not indexed yet: the index still answers as before the writes.
      expect(await ds.query(`SELECT entity_rowid, indexed FROM "${SEARCH_PENDING}" ORDER BY 1`)).toEqual([
        { entity_rowid: 1, indexed: 1 },
        { entity_rowid: 2, indexed: 1 },
        { entity_rowid: 3, indexed: 0 },
        { entity_rowid: 4, indexed: 0 },
      ]);
      expect(await matching(ds, '"invoices"')).toEqual([]);
      expect(await matching(ds, 'name : "returns"')).toEqual(['g2']);

      await flush(ds);
      expect(await ds.query(`SELECT * FROM "${SEARCH_PENDING}"`)).toEqual([]);
      expect(await matching(ds, '"invoices"')).toEqual(['g3']);
      expect(await matching(ds, 'name : "returns"')).toEqual([]);
      expect(await matching(ds, '"shipments"')).toEqual(['g2']);
      expect(await matching(ds, '"treasury"')).toEqual(['g1']);
      expect(await matching(ds, '"transient"')).toEqual([]);
      expect((await counts(ds)).indexed).toBe(3);

      // The highest rowid deleted and taken again by a new entity before a flush: the old document goes.
      await ds.query(`DELETE FROM datamap_entities WHERE guid = 'g3'`);
      await insert(ds, 'g5', 'receipts.csv');
      const [{ rowid }] = await ds.query<{ rowid: number }[]>(`SELECT rowid FROM datamap_entities WHERE guid = 'g5'`);
      expect(rowid).toBe(3);
      await ds.query(`DELETE FROM datamap_entity_business_attributes WHERE guid = 'g1'`);
      await flush(ds);
      expect(await matching(ds, '"invoices"')).toEqual([]);
      expect(await matching(ds, '"receipts"')).toEqual(['g5']);
      expect(await matching(ds, '"treasury"')).toEqual([]);
      const settled = await counts(ds);
      expect(settled.indexed).toBe(settled.entities);

      // Down: the queue is flushed and the triggers write the index row by row again.
      await insert(ds, 'g6', 'ledger.csv');
      await ds.undoLastMigration();
      expect(await matching(ds, '"ledger"')).toEqual(['g6']);
      await insert(ds, 'g7', 'payroll.csv');
      expect(await matching(ds, '"payroll"')).toEqual(['g7']);
    } finally {
      await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
