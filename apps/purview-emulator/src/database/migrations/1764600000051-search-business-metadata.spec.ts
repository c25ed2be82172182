import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './index';
import { SearchBusinessMetadata1764600000051 } from './1764600000051-search-business-metadata';

const open = (file: string, migrations: typeof MIGRATIONS) =>
  new DataSource({ type: 'better-sqlite3', database: file, migrations, migrationsTransactionMode: 'each' });

const matching = async (ds: DataSource, query: string): Promise<string[]> =>
  (
    await ds.query<{ guid: string }[]>(
      `SELECT e.guid FROM datamap_entities e WHERE e.rowid IN (SELECT rowid FROM datamap_search_fts WHERE datamap_search_fts MATCH ?) ORDER BY e.guid`,
      [query],
    )
  ).map((r) => r.guid);

describe('migration SearchBusinessMetadata1764600000051', () => {
  it('indexes the business metadata values a database already holds, follows later writes, and goes back down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-bm-migration-'));
    const file = path.join(dir, 'purview.db');
    // Up to this migration: a later one (SearchIndexPending1764800000011) changes its triggers.
    const upTo = MIGRATIONS.slice(0, MIGRATIONS.indexOf(SearchBusinessMetadata1764600000051) + 1);
    const old = open(file, upTo.slice(0, -1));
    await old.initialize();
    await old.runMigrations();
    for (const guid of ['g1', 'g2'])
      await old.query(
        `INSERT INTO datamap_entities (guid, type_name, qualified_name, name, description, attributes, relationship_attributes,
           classifications, labels, status, create_time, update_time, created_by, updated_by, version, last_modified_ts, collection_id)
         VALUES (?, 'DataSet', ?, ?, NULL, '{}', '{}', '[]', '[]', 'ACTIVE', 1, 1, 'x', 'x', 0, '1', 'acct')`,
        [guid, `bm://${guid}`, `asset_${guid}`],
      );
    await old.query(`INSERT INTO datamap_entity_business_attributes VALUES ('g1', 'ops', 'team', '"Treasury"')`);
    await old.destroy();

    const ds = open(file, upTo);
    await ds.initialize();
    try {
      await ds.runMigrations();
      expect(await matching(ds, '"treasury"')).toEqual(['g1']);
      await ds.query(
        `INSERT INTO datamap_entity_business_attributes VALUES ('g2', 'ops', 'regions', '["Westeurope",7]')`,
      );
      await ds.query(`UPDATE datamap_entity_business_attributes SET value = '"Logistics"' WHERE guid = 'g1'`);
      expect(await matching(ds, '"westeurope"')).toEqual(['g2']);
      expect(await matching(ds, '"logistics"')).toEqual(['g1']);
      expect(await matching(ds, '"treasury"')).toEqual([]);
      await ds.query(`DELETE FROM datamap_entity_business_attributes WHERE guid = 'g2'`);
      expect(await matching(ds, '"westeurope"')).toEqual([]);
      expect(await matching(ds, `"asset_g2"`)).toEqual(['g2']);

      await ds.undoLastMigration();
      expect(await matching(ds, '"logistics"')).toEqual([]);
      expect(await matching(ds, `"asset_g1"`)).toEqual(['g1']);
    } finally {
      await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
