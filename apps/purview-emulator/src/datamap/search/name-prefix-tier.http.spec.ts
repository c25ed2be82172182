import type { QueryResult } from '@purview-emulator/contracts';
import { DataSource } from 'typeorm';
import { BLOB_BASE as BASE, DataMapHttp, blobEntity as blob, startDataMapHttp } from '../testing/datamap-http';
import { INACTIVE_COUNT_SQL, INACTIVE_LOOKUPS, keywordCountSql } from './name-prefix-tier';
import { keywordWhereSql } from './search-keywords';

const V = 'api-version=2023-09-01';
const ATLAS = '/datamap/api/atlas/v2';

/**
 * A single broad keyword reads its page from the name index and its count from the full-text index (name-prefix-tier):
 * the answers must be those of ranking every match, which a faceted query (never on that path) still does.
 */
describe('broad keyword search (name prefix tier) over HTTP', () => {
  let t: DataMapHttp;
  const guidOf: Record<string, string> = {};

  const search = async (body: Record<string, unknown>) =>
    (await t.http.post(`/datamap/api/search/query?${V}`).set(t.reader).send(body).expect(200)).body as QueryResult;
  /** Every page of a query, following continuationToken. */
  const all = async (body: Record<string, unknown>) => {
    const names: string[] = [];
    const counts: number[] = [];
    let token: string | undefined;
    do {
      const page = await search({ ...body, ...(token ? { continuationToken: token } : {}) });
      names.push(...page.value.map((v) => `${v.name} ${v['@search.score']}`));
      counts.push(page['@search.count']);
      token = page.continuationToken;
    } while (token);
    return { names, counts };
  };

  beforeAll(async () => {
    t = await startDataMapHttp();
    const entities = [
      blob('a/Sales'),
      blob('b/sales'),
      blob('c/SALES_2024.csv'),
      blob('d/sales_2023.csv'),
      blob('e/sales_eu.parquet'),
      blob('f/sales_gone.csv'),
      blob('g/Sales_us.json'),
      blob('h/presales.csv'),
      blob('i/wholesales.csv'),
      blob('sales/report.csv'),
      blob('j/notes.txt', { description: 'sales notes' }),
      blob('k/other.csv'),
    ];
    const created = await t.http.post(`${ATLAS}/entity/bulk`).set(t.curator).send({ entities }).expect(200);
    for (const h of (
      created.body as {
        mutatedEntities: { CREATE: { guid: string; qualifiedName?: string; attributes: { qualifiedName: string } }[] };
      }
    ).mutatedEntities.CREATE)
      guidOf[h.attributes.qualifiedName.slice(BASE.length + 1)] = h.guid;
    // Soft-deleted entities stay in the entity store and in the full-text index: the counts must leave them out.
    await t.http.delete(`${ATLAS}/entity/guid/${guidOf['f/sales_gone.csv']}`).set(t.curator).expect(200);
    await t.http.delete(`${ATLAS}/entity/guid/${guidOf['i/wholesales.csv']}`).set(t.curator).expect(200);
  });
  afterAll(() => t.close());

  it('ranks exact names, then prefixes by name, then the rest, and counts active matches only', async () => {
    const result = await search({ keywords: 'sales', limit: 3 });
    expect(result['@search.count']).toBe(9);
    expect(result['@search.count.approximate']).toBe(false);
    expect(result.value.map((v) => v.name)).toEqual([
      expect.stringMatching(/^sales$/i),
      expect.stringMatching(/^sales$/i),
      'sales_2023.csv',
    ]);
    expect(result.value[0]['@search.score']).toBe(1);
    expect(result.continuationToken).toEqual(expect.any(String));
  });

  it('pages exactly as ranking every match does, at every page size', async () => {
    for (const limit of [1, 2, 3, 5, 50]) {
      const fast = await all({ keywords: 'sales', limit });
      const ranked = await all({ keywords: 'SALES', limit, facets: [{ facet: 'entityType' }] });
      expect(fast.names).toEqual(ranked.names);
      expect(new Set([...fast.counts, ...ranked.counts])).toEqual(new Set([9]));
    }
    const { names } = await all({ keywords: 'sales', limit: 4 });
    expect(names.map((n) => n.split(' ')[0])).toEqual([
      ...names.slice(0, 2).map((n) => n.split(' ')[0]), // Sales and sales, by guid
      'sales_2023.csv',
      'SALES_2024.csv',
      'sales_eu.parquet',
      'Sales_us.json',
      'presales.csv', // name contains
      'report.csv', // qualifiedName
      'notes.txt', // description
    ]);
  });

  it('counts the active matches whichever way it subtracts the inactive ones', async () => {
    const db = t.app.get(DataSource);
    const count = async (q: { sql: string; params: unknown[] }) =>
      Number((await db.query<{ n: number }[]>(q.sql, q.params))[0].n);
    const where = keywordWhereSql(['sales']);
    const truth = await count({
      sql: `SELECT COUNT(*) AS n FROM datamap_entities e WHERE e.status = 'ACTIVE' AND ${where.sql}`,
      params: where.params,
    });
    const inactive = await count(INACTIVE_COUNT_SQL);
    expect([truth, inactive]).toEqual([9, 2]);
    expect(await count(keywordCountSql('sales', inactive))).toBe(truth); // a lookup per inactive entity
    expect(await count(keywordCountSql('sales', INACTIVE_LOOKUPS + 1))).toBe(truth); // one pass over the matches
    expect(await count(keywordCountSql('sales', 0))).toBe(truth + 2); // none to subtract: the index's own count
  });
});
