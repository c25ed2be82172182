import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../../database/migrations';
import { FLUSH_PENDING_SQL } from '../../../database/migrations/1764800000011-search-index-pending';
import { SearchDocument } from '../search-document';

/** An in-memory SQLite with the data map schema holding `docs`, to check the SQL against the JS semantics. */
export async function sqliteWith(docs: SearchDocument[]): Promise<DataSource> {
  const ds = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    // The whole schema: the search index's triggers read the business metadata table too.
    migrations: MIGRATIONS,
  });
  await ds.initialize();
  await ds.runMigrations();
  for (const d of docs) {
    await ds.query(
      `INSERT INTO datamap_entities (guid, type_name, qualified_name, name, description, attributes, relationship_attributes, classifications, labels, status,
         create_time, update_time, created_by, updated_by, version, last_modified_ts, collection_id, source_details)
       VALUES (?, ?, ?, ?, ?, ?, '{}', ?, ?, 'ACTIVE', ?, ?, 'test', 'test', 0, '1', ?, NULL)`,
      [
        d.guid,
        d.typeName,
        d.qualifiedName,
        d.name,
        d.description,
        JSON.stringify(d.attributes),
        JSON.stringify(d.classifications.map((typeName) => ({ typeName }))),
        JSON.stringify(d.labels),
        d.createTime,
        d.updateTime,
        d.collectionId,
      ],
    );
    for (const c of d.classifications)
      await ds.query(`INSERT INTO datamap_entity_classifications (guid, type_name) VALUES (?, ?)`, [d.guid, c]);
  }
  // What SearchIndex does at the end of each transaction: index the entity rows the triggers queued.
  for (const statement of FLUSH_PENDING_SQL) await ds.query(statement);
  return ds;
}

export function doc(partial: Partial<SearchDocument> & Pick<SearchDocument, 'guid' | 'name'>): SearchDocument {
  const qualifiedName = partial.qualifiedName ?? `https://acct.blob.core.windows.net/c/${partial.name}`;
  return {
    typeName: 'azure_blob_path',
    qualifiedName,
    description: null,
    classifications: [],
    labels: [],
    collectionId: 'emulator',
    createTime: 1_000,
    updateTime: 2_000,
    ...partial,
    attributes: { qualifiedName, name: partial.name, ...(partial.attributes ?? {}) },
  };
}
