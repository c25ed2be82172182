import type { AutoCompleteResult, CatalogBrowseResult, QueryResult, SuggestResult } from '@purview-emulator/contracts';
import { DATAMAP_2023_09_01, contractViolations } from '@purview-emulator/testing';
import {
  BLOB_BASE as BASE,
  DataMapHttp,
  atlasError,
  blobEntity as blob,
  startDataMapHttp,
} from './testing/datamap-http';
import { DataSource } from 'typeorm';
import { SearchIndex } from './search/search-index';

const V = 'api-version=2023-09-01';
const ATLAS = '/datamap/api/atlas/v2';

/** Suggest, autocomplete and browse, and the search index kept in step with entity writes, over HTTP. */
describe('discovery over HTTP', () => {
  let t: DataMapHttp;
  const guids: Record<string, string> = {};

  const post = (path: string, body: unknown, headers = t.reader) =>
    t.http
      .post(path)
      .set(headers)
      .send(body as object);
  const search = async (body: unknown) =>
    (await post(`/datamap/api/search/query?${V}`, body).expect(200)).body as QueryResult;

  beforeAll(async () => {
    t = await startDataMapHttp();
    const entities = [
      blob('sales'),
      blob('sales/2024'),
      blob('sales/2024/orders_2024.csv', { description: 'Customer orders of 2024' }),
      blob('sales/2024/returns_2024.csv'),
      blob('sales/2024/orders_summary.parquet'),
      blob('hr/employees.csv', { description: 'Staff list' }),
    ];
    const created = await post(`${ATLAS}/entity/bulk`, { entities }, t.curator).expect(200);
    for (const h of (created.body as { mutatedEntities: { CREATE: { guid: string; attributes: { name: string } }[] } })
      .mutatedEntities.CREATE)
      guids[h.attributes.name] = h.guid;
  });
  afterAll(() => t.close());

  describe('search index', () => {
    it('finds an entity at once after it is written, renamed, classified and deleted (no wait)', async () => {
      const created = await post(`${ATLAS}/entity`, { entity: blob('tmp/zebrafish_x1.csv') }, t.curator).expect(200);
      const guid = (created.body as { mutatedEntities: { CREATE: { guid: string }[] } }).mutatedEntities.CREATE[0].guid;
      expect((await search({ keywords: 'zebrafish' })).value.map((v) => v.id)).toEqual([guid]);

      await post(
        `${ATLAS}/entity`,
        { entity: blob('tmp/zebrafish_x1.csv', { name: 'quokka_x1.csv' }) },
        t.curator,
      ).expect(200);
      expect((await search({ keywords: 'zebrafish_x1' })).value.map((v) => v.name)).toEqual(['quokka_x1.csv']); // qualifiedName
      expect((await search({ keywords: 'quokka' })).value.map((v) => v.id)).toEqual([guid]);

      await post(`${ATLAS}/entity/guid/${guid}/labels`, ['pelican_label'], t.curator).expect(204);
      expect((await search({ keywords: 'pelican' })).value.map((v) => v.id)).toEqual([guid]);

      await t.http.delete(`${ATLAS}/entity/guid/${guid}`).set(t.curator).expect(200);
      expect((await search({ keywords: 'quokka' }))['@search.count']).toBe(0);
    });

    it('ranks an exact name first, then a name match, then qualifiedName, then description', async () => {
      const hits = (await search({ keywords: 'orders' })).value.map((v) => v.name);
      expect(hits).toEqual(['orders_2024.csv', 'orders_summary.parquet']);
      const ranked = (await search({ keywords: '2024' })).value.map((v) => v.name);
      expect(ranked[0]).toBe('2024'); // exact name
      expect(ranked.slice(1, 3).sort()).toEqual(['orders_2024.csv', 'returns_2024.csv']); // name contains
      expect(ranked.slice(3)).toEqual(['orders_summary.parquet']); // qualifiedName only
      expect((await search({ keywords: 'customer' })).value.map((v) => v.name)).toEqual(['orders_2024.csv']);
    });

    it('filters contains/prefix through the index, short values included', async () => {
      const contains = await search({
        filter: { attributeName: 'name', operator: 'contains', attributeValue: 'ORDERS' },
      });
      expect(contains.value.map((v) => v.name).sort()).toEqual(['orders_2024.csv', 'orders_summary.parquet']);
      const short = await search({
        filter: { attributeName: 'qualifiedName', operator: 'contains', attributeValue: 'hr' },
      });
      expect(short.value.map((v) => v.name)).toEqual(['employees.csv']);
      const prefix = await search({ filter: { attributeName: 'name', operator: 'prefix', attributeValue: 'ret' } });
      expect(prefix.value.map((v) => v.name)).toEqual(['returns_2024.csv']);
    });

    it('filters by the timerange attribute operator and checks taxonomySetting', async () => {
      const recent = await search({
        keywords: 'employees',
        filter: { attributeName: 'updateTime', operator: 'timerange', attributeValue: 'LAST_24H' },
      });
      expect(recent.value.map((v) => v.name)).toEqual(['employees.csv']);
      const ancient = await search({
        keywords: 'employees',
        filter: { attributeName: 'createTime', operator: 'TIMERANGE', attributeValue: { from: 0, to: 1000 } },
      });
      expect(ancient['@search.count']).toBe(0);
      const taxonomySetting = { assetTypes: ['Azure Blob Storage'], facet: { count: 10, sort: { count: 'desc' } } };
      expect((await search({ keywords: 'employees', taxonomySetting })).value.map((v) => v.name)).toEqual([
        'employees.csv',
      ]);
      const res = await post(`/datamap/api/search/query?${V}`, { taxonomySetting: { assetTypes: 'x' } }).expect(400);
      expect(res.body).toEqual(atlasError('ATLAS-400-00-001', /taxonomySetting.*assetTypes must be an array/));
    });

    it('answers keywords of 60,000 characters with a 400, not a crash', async () => {
      const res = await post(`/datamap/api/search/query?${V}`, { keywords: 'a'.repeat(60_000) }).expect(400);
      expect(res.body).toEqual(atlasError('ATLAS-400-00-001', /at most 32766/));
    });

    it('shows its state and rebuilds from the entity store (GET /_emulator/search/index, POST index:rebuild)', async () => {
      const state = await t.http.get('/_emulator/search/index').set(t.reader).expect(200);
      expect(state.body).toMatchObject({ state: 'current', tokenizer: 'trigram' });
      expect(state.body.indexedRows).toBe(state.body.entityRows);
      await t.http.post('/_emulator/search/index:rebuild').set(t.reader).expect(403);
      const emptyIndex = () =>
        t.app.get(DataSource).query(`INSERT INTO datamap_search_fts (datamap_search_fts) VALUES ('delete-all')`);
      await emptyIndex();
      expect((await t.http.get('/_emulator/search/index').set(t.reader).expect(200)).body.state).toBe('stale');
      expect((await search({ keywords: 'employees' })).value).toEqual([]);
      await t.app.get(SearchIndex).onModuleInit(); // what a start does
      expect((await t.http.get('/_emulator/search/index').set(t.reader).expect(200)).body).toMatchObject({
        state: 'current',
        lastRebuild: { reason: 'stale at start', rows: state.body.entityRows },
      });
      expect((await search({ keywords: 'employees' })).value.map((v) => v.name)).toEqual(['employees.csv']);
      await emptyIndex();
      expect((await t.http.get('/_emulator/search/index').set(t.reader).expect(200)).body.state).toBe('stale');
      expect((await search({ keywords: 'employees' })).value).toEqual([]);
      const rebuilt = await t.http.post('/_emulator/search/index:rebuild').set(t.curator).expect(200);
      expect(rebuilt.body).toMatchObject({
        state: 'current',
        lastRebuild: { reason: 'requested', rows: state.body.entityRows },
      });
      expect((await search({ keywords: 'employees' })).value.map((v) => v.name)).toEqual(['employees.csv']);
    });
  });

  it('finds a write made outside any transaction: a search indexes what the triggers queued before it reads', async () => {
    await t.app.get(DataSource).query(
      `INSERT INTO datamap_entities (guid, type_name, qualified_name, name, description, attributes, relationship_attributes,
         classifications, labels, status, create_time, update_time, created_by, updated_by, version, last_modified_ts, collection_id)
       VALUES ('outside-tx', 'DataSet', 'raw://outside_transaction.csv', 'outside_transaction.csv', NULL, '{}', '{}', '[]',
         '[]', 'ACTIVE', 1, 1, 'x', 'x', 0, '1', 'emulator')`,
    );
    const [{ queued }] = await t.app
      .get(DataSource)
      .query<{ queued: number }[]>(`SELECT COUNT(*) AS queued FROM datamap_search_fts_pending`);
    expect(queued).toBe(1);
    expect((await search({ keywords: 'outside_trans' })).value.map((v) => v.name)).toEqual(['outside_transaction.csv']);
    await t.app.get(DataSource).query(`DELETE FROM datamap_entities WHERE guid = 'outside-tx'`);
    expect((await search({ keywords: 'outside_trans' })).value).toEqual([]);
  });

  describe('suggest', () => {
    it('suggests entities whose name contains the keywords, the match marked in @search.text', async () => {
      for (const path of [
        '/datamap/api/search/suggest?' + V,
        '/catalog/api/search/suggest?api-version=2022-03-01-preview',
      ]) {
        const res = (await post(path, { keywords: 'ord' }).expect(200)).body as SuggestResult;
        expect(res.value.map((v) => v['@search.text'])).toEqual([
          '<em>ord</em>ers_2024.csv',
          '<em>ord</em>ers_summary.parquet',
        ]);
        expect(res.value[0]).toMatchObject({
          id: guids['orders_2024.csv'],
          entityType: 'azure_blob_path',
          assetType: ['Azure Blob Storage'],
        });
      }
      const limited = (await post(`/datamap/api/search/suggest?${V}`, { keywords: 'csv', limit: 1 }).expect(200))
        .body as SuggestResult;
      expect(limited.value).toHaveLength(1);
      const filtered = (
        await post(`/datamap/api/search/suggest?${V}`, {
          keywords: '2024',
          filter: { attributeName: 'name', operator: 'prefix', attributeValue: 'ret' },
        }).expect(200)
      ).body as SuggestResult;
      expect(filtered.value.map((v) => v.name)).toEqual(['returns_2024.csv']);
    });

    it('rejects missing, empty or over-long keywords and a bad limit with 400', async () => {
      for (const body of [
        {},
        { keywords: '' },
        { keywords: 'x'.repeat(101) },
        { keywords: 'a', limit: 0 },
        { keywords: 'a', limit: 101 },
      ]) {
        await post(`/datamap/api/search/suggest?${V}`, body).expect(400);
        await post(`/datamap/api/search/autocomplete?${V}`, body).expect(400);
      }
      await post('/datamap/api/search/suggest', { keywords: 'a' }).expect(400); // api-version required
    });

    it('needs a data map reader role', async () => {
      await t.http.post(`/datamap/api/search/suggest?${V}`).set(t.admin).send({ keywords: 'ord' }).expect(403);
      await t.http.post(`/datamap/api/search/autocomplete?${V}`).send({ keywords: 'ord' }).expect(401);
    });
  });

  it('answers suggest and autocomplete in the 2023-09-01 shapes (collectionId on hits, as the real service sends)', async () => {
    const undeclared = { undeclared: { SuggestResultValue: ['collectionId'] } };
    const suggested = await post(`/datamap/api/search/suggest?${V}`, { keywords: 'csv' }).expect(200);
    expect(suggested.body.value.length).toBeGreaterThan(0);
    expect(contractViolations(DATAMAP_2023_09_01, 'SuggestResult', suggested.body, undeclared)).toEqual([]);
    const completed = await post(`/datamap/api/search/autocomplete?${V}`, { keywords: 'emp' }).expect(200);
    expect(completed.body.value).toEqual([{ text: 'employees.csv', queryPlusText: 'employees.csv' }]);
    expect(contractViolations(DATAMAP_2023_09_01, 'AutoCompleteResult', completed.body)).toEqual([]);
  });

  describe('autocomplete', () => {
    it('completes the last keyword from words of matching names, with the query before it', async () => {
      const res = (await post(`/datamap/api/search/autocomplete?${V}`, { keywords: 'Ord' }).expect(200))
        .body as AutoCompleteResult;
      expect(res.value).toEqual([
        { text: 'orders_2024.csv', queryPlusText: 'orders_2024.csv' },
        { text: 'orders_summary.parquet', queryPlusText: 'orders_summary.parquet' },
      ]);
      const context = (
        await post(`/catalog/api/search/autocomplete?api-version=2022-03-01-preview`, {
          keywords: 'customer ord',
        }).expect(200)
      ).body as AutoCompleteResult;
      expect(context.value).toEqual([{ text: 'orders_2024.csv', queryPlusText: 'customer orders_2024.csv' }]);
      const none = (await post(`/datamap/api/search/autocomplete?${V}`, { keywords: 'ord ' }).expect(200))
        .body as AutoCompleteResult;
      expect(none.value).toEqual([]);
    });
  });

  describe('browse (legacy catalog)', () => {
    const browse = async (body: unknown) =>
      (await post('/catalog/api/browse?api-version=2022-03-01-preview', body).expect(200)).body as CatalogBrowseResult;

    it('lists an entity type by name, with paging and isLeaf', async () => {
      const all = await browse({ entityType: 'azure_blob_path' });
      expect(all['@search.count']).toBe(6);
      expect(all.value).toHaveLength(6);
      const page = await browse({ entityType: 'azure_blob_path', limit: 2, offset: 1 });
      expect(page.value.map((v) => v.name)).toEqual(all.value.slice(1, 3).map((v) => v.name));
      const sales = all.value.find((v) => v.name === 'sales')!;
      expect(sales).toMatchObject({
        id: guids.sales,
        isLeaf: false,
        path: `${BASE}/sales`,
        qualifiedName: `${BASE}/sales`,
        owner: [],
      });
      expect(all.value.find((v) => v.name === 'employees.csv')!.isLeaf).toBe(true);
    });

    it('lists the entities one level below a path', async () => {
      expect((await browse({ path: `${BASE}/sales` })).value.map((v) => v.name)).toEqual(['2024']);
      const below = await browse({ path: `${BASE}/sales/2024/` });
      expect(below.value.map((v) => v.name)).toEqual(['orders_2024.csv', 'orders_summary.parquet', 'returns_2024.csv']);
      expect(below.value.every((v) => v.isLeaf)).toBe(true);
    });

    it('rejects a body without entityType or path, and bad paging, with 400', async () => {
      const res = await post('/catalog/api/browse', {}).expect(400);
      expect(res.body).toEqual(atlasError('ATLAS-400-00-001', /entityType .* or a path/));
      await post('/catalog/api/browse', { entityType: 'azure_blob_path', limit: 0 }).expect(400);
      await post('/catalog/api/browse', { entityType: 'azure_blob_path', offset: -1 }).expect(400);
    });
  });
});
