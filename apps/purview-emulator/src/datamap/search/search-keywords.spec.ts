import { DataSource } from 'typeorm';
import { DataMapSchema1764200000004 } from '../../database/migrations/1764200000004-datamap';
import { PurviewError } from '../../common/errors';
import { highlightsOf, keywordScore, keywordScoreSql, keywordWhereSql, matchesKeywords, scoreFromSql, tokenizeKeywords } from './search-keywords';
import { SearchDocument } from './search-document';

/** An in-memory SQLite with the data map schema holding `docs`, to check the SQL against the JS semantics. */
async function sqliteWith(docs: SearchDocument[]): Promise<DataSource> {
  const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: [DataMapSchema1764200000004] });
  await ds.initialize();
  await ds.runMigrations();
  for (const d of docs) {
    await ds.query(
      `INSERT INTO datamap_entities (guid, type_name, qualified_name, name, description, attributes, relationship_attributes, classifications, labels, status,
         create_time, update_time, created_by, updated_by, version, last_modified_ts, collection_id, source_details)
       VALUES (?, ?, ?, ?, ?, ?, '{}', ?, '[]', 'ACTIVE', ?, ?, 'test', 'test', 0, '1', ?, NULL)`,
      [d.guid, d.typeName, d.qualifiedName, d.name, d.description, JSON.stringify(d.attributes), JSON.stringify(d.classifications.map((typeName) => ({ typeName }))), d.createTime, d.updateTime, d.collectionId],
    );
    for (const c of d.classifications) await ds.query(`INSERT INTO datamap_entity_classifications (guid, type_name) VALUES (?, ?)`, [d.guid, c]);
  }
  return ds;
}

function doc(partial: Partial<SearchDocument> & Pick<SearchDocument, 'guid' | 'name'>): SearchDocument {
  const qualifiedName = partial.qualifiedName ?? `https://acct.blob.core.windows.net/c/${partial.name}`;
  return {
    typeName: 'azure_blob_path',
    qualifiedName,
    description: null,
    classifications: [],
    collectionId: 'emulator',
    createTime: 1_000,
    updateTime: 2_000,
    ...partial,
    attributes: { qualifiedName, name: partial.name, ...(partial.attributes ?? {}) },
  };
}

const DOCS = [
  doc({ guid: 'a', name: 'sales.csv' }),
  doc({ guid: 'b', name: 'archive', qualifiedName: 'https://acct.blob.core.windows.net/c/2024/sales/archive', description: 'Old ORDERS, 100% complete' }),
  doc({ guid: 'c', name: 'Sales', typeName: 'azure_blob_container', qualifiedName: 'https://acct.blob.core.windows.net/sales' }),
  doc({ guid: 'd', name: 'email', typeName: 'column', classifications: ['MICROSOFT.PERSONAL.EMAIL'] }),
  doc({ guid: 'e', name: 'my_file', qualifiedName: 'https://acct.blob.core.windows.net/c/my_file' }),
];

describe('search keywords', () => {
  it('tokenizes on whitespace; null, empty and * mean everything', () => {
    expect(tokenizeKeywords(null)).toEqual([]);
    expect(tokenizeKeywords(undefined)).toEqual([]);
    expect(tokenizeKeywords('  ')).toEqual([]);
    expect(tokenizeKeywords('*')).toEqual([]);
    expect(tokenizeKeywords(' sales  "csv" exa* SALES ')).toEqual(['sales', 'csv', 'exa']);
    expect(() => tokenizeKeywords(42)).toThrow(PurviewError);
    expect(() => tokenizeKeywords(Array.from({ length: 40 }, (_, i) => `t${i}`).join(' '))).toThrow(/at most/);
  });

  it('matches case-insensitively on name, qualifiedName, description and classification; every token must match', () => {
    const matching = (keywords: string) => DOCS.filter((d) => matchesKeywords(d, tokenizeKeywords(keywords))).map((d) => d.guid);
    expect(matching('SALES')).toEqual(['a', 'b', 'c']);
    expect(matching('sales csv')).toEqual(['a']);
    expect(matching('orders')).toEqual(['b']);
    expect(matching('personal.email')).toEqual(['d']);
    expect(matching('100%')).toEqual(['b']);
    expect(matching('_file')).toEqual(['e']);
    expect(matching('sales nothing')).toEqual([]);
    expect(matching('*')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('scores exact names above prefixes, prefixes above substrings, names above paths', () => {
    const tokens = tokenizeKeywords('sales');
    const [exact, prefix, path] = [DOCS[2], DOCS[0], DOCS[1]].map((d) => keywordScore(d, tokens));
    expect(exact).toBe(1);
    expect(prefix).toBeLessThan(exact);
    expect(path).toBeLessThan(prefix);
    expect(keywordScore(DOCS[0], [])).toBe(1);
  });

  it('agrees with its SQL twin on matches and scores', async () => {
    const db = await sqliteWith(DOCS);
    try {
      for (const keywords of ['sales', 'SALES csv', 'orders', 'email', '100%', '_file', 'x y']) {
        const tokens = tokenizeKeywords(keywords);
        const where = keywordWhereSql(tokens);
        const score = keywordScoreSql(tokens);
        const rows = (await db.query(`SELECT e.guid, (${score.sql}) AS score FROM datamap_entities e WHERE ${where.sql} ORDER BY e.guid`, [...score.params, ...where.params])) as { guid: string; score: number }[];
        const expected = DOCS.filter((d) => matchesKeywords(d, tokens));
        expect(rows.map((r) => r.guid)).toEqual(expected.map((d) => d.guid));
        expect(rows.map((r) => scoreFromSql(r.score, tokens.length))).toEqual(expected.map((d) => keywordScore(d, tokens)));
      }
    } finally {
      await db.destroy();
    }
  });

  it('highlights matches with <em>', () => {
    expect(highlightsOf(DOCS[1], tokenizeKeywords('sales orders'))).toEqual({
      qualifiedName: ['https://acct.blob.core.windows.net/c/2024/<em>sales</em>/archive'],
      description: ['Old <em>ORDERS</em>, 100% complete'],
    });
    expect(highlightsOf(DOCS[0], [])).toBeUndefined();
  });
});
