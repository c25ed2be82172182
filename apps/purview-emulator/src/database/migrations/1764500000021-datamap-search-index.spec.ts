import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './index';
import { DataMapSearchIndex1764500000021 } from './1764500000021-datamap-search-index';
import { SearchBusinessMetadata1764600000051 } from './1764600000051-search-business-metadata';

function open(file: string, migrations: typeof MIGRATIONS): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: file,
    migrations,
    migrationsTransactionMode: 'each',
  });
}

const insert = (
  ds: DataSource,
  guid: string,
  name: string,
  extra: { classifications?: string; labels?: string } = {},
) =>
  ds.query(
    `INSERT INTO datamap_entities (guid, type_name, qualified_name, name, description, attributes, relationship_attributes,
       classifications, labels, status, create_time, update_time, created_by, updated_by, version, last_modified_ts, collection_id)
     VALUES (?, 'DataSet', ?, ?, 'kept in the vault', '{}', '{}', ?, ?, 'ACTIVE', 1, 1, 'x', 'x', 0, '1', 'acct')`,
    [guid, `bench://${name}`, name, extra.classifications ?? '[]', extra.labels ?? '[]'],
  );

const matching = async (ds: DataSource, query: string): Promise<string[]> =>
  (
    await ds.query<{ guid: string }[]>(
      `SELECT e.guid FROM datamap_entities e WHERE e.rowid IN (SELECT rowid FROM datamap_search_fts WHERE datamap_search_fts MATCH ?) ORDER BY e.guid`,
      [query],
    )
  ).map((r) => r.guid);

describe('migration DataMapSearchIndex1764500000021', () => {
  it('indexes the entities a database already holds, and keeps the index in step with later writes', async () => {
    // Up to the later migration that recreates this one's triggers (it goes with it); later ones change them again.
    const upTo = MIGRATIONS.slice(0, MIGRATIONS.indexOf(SearchBusinessMetadata1764600000051) + 1);
    const before = upTo.filter(
      (m) => m !== DataMapSearchIndex1764500000021 && m !== SearchBusinessMetadata1764600000051,
    );
    expect(before).toHaveLength(upTo.length - 2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-index-migration-'));
    const file = path.join(dir, 'purview.db');
    const old = open(file, before);
    await old.initialize();
    await old.runMigrations();
    await insert(old, 'g1', 'orders_2024.csv', { classifications: '[{"typeName":"MICROSOFT.PERSONAL.EMAIL"}]' });
    await insert(old, 'g2', 'returns.csv', { labels: '["finance"]' });
    await old.destroy();
    // Upgrade: the new migration runs on a database that already has entities.
    const ds = open(file, upTo);
    await ds.initialize();
    try {
      await ds.runMigrations();
      expect(await matching(ds, '"rders_20"')).toEqual(['g1']);
      expect(await matching(ds, '"personal.email"')).toEqual(['g1']);
      expect(await matching(ds, '"financ"')).toEqual(['g2']);
      expect(await matching(ds, '"the vault"')).toEqual(['g1', 'g2']);

      await insert(ds, 'g3', 'invoices.csv');
      await ds.query(`UPDATE datamap_entities SET name = 'shipments.csv' WHERE guid = 'g2'`);
      await ds.query(`UPDATE datamap_entities SET status = 'DELETED' WHERE guid = 'g1'`); // soft delete: still indexed
      await ds.query(`DELETE FROM datamap_entities WHERE guid = 'g3'`);
      expect(await matching(ds, '"invoices"')).toEqual([]);
      expect(await matching(ds, 'name : "returns"')).toEqual([]);
      expect(await matching(ds, '"shipments"')).toEqual(['g2']);
      expect(await matching(ds, '"orders"')).toEqual(['g1']);
      const [counts] = await ds.query<{ a: number; b: number }[]>(
        `SELECT (SELECT COUNT(*) FROM datamap_search_fts) AS a, (SELECT COUNT(*) FROM datamap_entities) AS b`,
      );
      expect(counts.a).toBe(counts.b);
    } finally {
      await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
