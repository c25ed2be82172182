import { PurviewError } from '../../common/errors';
import {
  highlightsOf,
  keywordScore,
  keywordScoreSql,
  keywordWhereSql,
  matchesKeywords,
  scoreFromSql,
  tokenizeKeywords,
} from './search-keywords';
import { doc, sqliteWith } from './testing/search-fixtures';

const DOCS = [
  doc({ guid: 'a', name: 'sales.csv' }),
  doc({
    guid: 'b',
    name: 'archive',
    qualifiedName: 'https://acct.blob.core.windows.net/c/2024/sales/archive',
    description: 'Old ORDERS, 100% complete',
  }),
  doc({
    guid: 'c',
    name: 'Sales',
    typeName: 'azure_blob_container',
    qualifiedName: 'https://acct.blob.core.windows.net/sales',
  }),
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
    const matching = (keywords: string) =>
      DOCS.filter((d) => matchesKeywords(d, tokenizeKeywords(keywords))).map((d) => d.guid);
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
        const rows = await db.query<{ guid: string; score: number }[]>(
          `SELECT e.guid, (${score.sql}) AS score FROM datamap_entities e WHERE ${where.sql} ORDER BY e.guid`,
          [...score.params, ...where.params],
        );
        const expected = DOCS.filter((d) => matchesKeywords(d, tokens));
        expect(rows.map((r) => r.guid)).toEqual(expected.map((d) => d.guid));
        expect(rows.map((r) => scoreFromSql(r.score, tokens.length))).toEqual(
          expected.map((d) => keywordScore(d, tokens)),
        );
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
