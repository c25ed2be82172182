import 'reflect-metadata';
import type { AtlasGlossary, AtlasGlossaryTerm, QueryResult } from '@purview-emulator/contracts';
import { DataMapHttp, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const G = '/datamap/api/atlas/v2/glossary';

/** Glossary terms as search hits: found by keyword, filtered and faceted as "Glossary terms", in step with writes. */
describe('glossary terms in search', () => {
  let dm: DataMapHttp;
  let glossary: AtlasGlossary;
  let revenue: AtlasGlossaryTerm;

  const search = async (body: Record<string, unknown>) =>
    (await dm.http.post(`/datamap/api/search/query?${V}`).set(dm.reader).send(body).expect(200)).body as QueryResult;
  const names = (result: QueryResult) => result.value.map((v) => `${v.objectType}:${v.name}`).sort();

  beforeAll(async () => {
    dm = await startDataMapHttp();
    await dm.http
      .post(`/datamap/api/atlas/v2/entity/bulk?${V}`)
      .set(dm.curator)
      .send({
        entities: ['revenue_2024.csv', 'orders.csv'].map((name, i) => ({
          typeName: 'azure_blob_path',
          guid: `-${i + 1}`,
          attributes: { qualifiedName: `https://contoso.blob.core.windows.net/sales/${name}`, name },
        })),
      })
      .expect(200);
    glossary = (await dm.http.post(`${G}?${V}`).set(dm.curator).send({ name: 'Sales' }).expect(200)).body;
    revenue = (
      await dm.http
        .post(`${G}/term?${V}`)
        .set(dm.curator)
        .send({
          name: 'Revenue',
          anchor: { glossaryGuid: glossary.guid },
          status: 'Approved',
          shortDescription: 'Income from sales',
          longDescription: 'Gross income before costs',
          abbreviation: 'REV',
          contacts: { Expert: [{ id: 'expert-1', info: 'Finance lead' }] },
        })
        .expect(200)
    ).body;
    await dm.http
      .post(`${G}/term?${V}`)
      .set(dm.curator)
      .send({ name: 'Order', anchor: { glossaryGuid: glossary.guid } })
      .expect(200);
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('finds a term by keyword, in the spec shape of a term hit, with highlights', async () => {
    const result = await search({ keywords: 'revenue' });
    expect(names(result)).toEqual(['Files:revenue_2024.csv', 'Glossary terms:Revenue']);
    // The name equal to the keyword ranks first.
    expect(result.value[0]).toEqual({
      '@search.score': 1,
      '@search.highlights': { name: ['<em>Revenue</em>'], qualifiedName: ['<em>Revenue</em>@Sales'] },
      objectType: 'Glossary terms',
      createTime: expect.any(Number),
      updateTime: expect.any(Number),
      id: revenue.guid,
      name: 'Revenue',
      qualifiedName: 'Revenue@Sales',
      entityType: 'AtlasGlossaryTerm',
      description: 'Income from sales',
      owner: null,
      classification: [],
      label: [],
      term: [],
      contact: [{ id: 'expert-1', info: 'Finance lead', contactType: 'Expert' }],
      assetType: [],
      glossaryType: 'AtlasGlossaryTerm',
      glossary: 'Sales',
      termStatus: 'Approved',
      termTemplate: [],
      longDescription: 'Gross income before costs',
    });
    expect(names(await search({ keywords: 'gross income' }))).toEqual(['Glossary terms:Revenue']);
    expect(names(await search({ keywords: 'REV' }))).toEqual(['Files:revenue_2024.csv', 'Glossary terms:Revenue']);
  });

  it('filters by objectType, entityType and glossaryType, and facets them', async () => {
    expect(names(await search({ filter: { objectType: 'Glossary terms' } }))).toEqual([
      'Glossary terms:Order',
      'Glossary terms:Revenue',
    ]);
    expect(names(await search({ filter: { kind: 'TypeFilter', typeName: 'AtlasGlossaryTerm' } }))).toHaveLength(2);
    expect(names(await search({ keywords: 'order', filter: { glossaryType: 'AtlasGlossaryTerm' } }))).toEqual([
      'Glossary terms:Order',
    ]);
    expect(names(await search({ keywords: 'order', filter: { not: { objectType: 'Glossary terms' } } }))).toEqual([
      'Files:orders.csv',
    ]);
    expect(names(await search({ keywords: 'order', filter: { entityType: 'azure_blob_path' } }))).toEqual([
      'Files:orders.csv',
    ]);
    const faceted = await search({
      facets: [{ facet: 'objectType' }, { facet: 'glossaryType' }, { facet: 'termStatus' }],
    });
    expect(faceted['@search.count']).toBe(4);
    expect(faceted['@search.facets']).toEqual({
      objectType: [
        { count: 2, value: 'Files' },
        { count: 2, value: 'Glossary terms' },
      ],
      glossaryType: [{ count: 2, value: 'AtlasGlossaryTerm' }],
      termStatus: [
        { count: 1, value: 'Approved' },
        { count: 1, value: 'Draft' },
      ],
    });
  });

  it('pages through entities and terms in one order, none twice, none missing', async () => {
    const seen: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await search({ limit: 1, continuationToken, orderby: [{ name: 'DESC' }] });
      expect(page['@search.count']).toBe(4);
      seen.push(...page.value.map((v) => v.name));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    expect(seen).toEqual(['revenue_2024.csv', 'Revenue', 'orders.csv', 'Order']);
    // The JS filter path (an attribute filter SQL does not run) merges terms the same way.
    const scanned = await search({
      filter: { or: [{ attributeName: 'termStatus', operator: 'eq', attributeValue: 'Approved' }, { id: 'x' }] },
    });
    expect(names(scanned)).toEqual(['Glossary terms:Revenue']);
  });

  it('suggests terms with entities, by the same levels, and honours the filter', async () => {
    const suggest = async (body: Record<string, unknown>) =>
      (await dm.http.post(`/datamap/api/search/suggest?${V}`).set(dm.reader).send(body).expect(200)).body as {
        value: { name: string; objectType: string; '@search.text': string }[];
      };
    const both = await suggest({ keywords: 'reven' });
    expect(both.value.map((v) => [v.objectType, v['@search.text']])).toEqual([
      ['Glossary terms', '<em>Reven</em>ue'],
      ['Files', '<em>reven</em>ue_2024.csv'],
    ]);
    const files = await suggest({ keywords: 'reven', filter: { objectType: 'Files' } });
    expect(files.value.map((v) => v.name)).toEqual(['revenue_2024.csv']);
    expect((await suggest({ keywords: 'reven', limit: 1 })).value.map((v) => v.name)).toEqual(['Revenue']);
  });

  it('autocompletes from term names with entity names, and honours the filter and the keywords before', async () => {
    const autocomplete = async (body: Record<string, unknown>) =>
      (
        (await dm.http.post(`/datamap/api/search/autocomplete?${V}`).set(dm.reader).send(body).expect(200)).body as {
          value: { text: string; queryPlusText: string }[];
        }
      ).value;
    expect((await autocomplete({ keywords: 'Reven' })).map((v) => v.text)).toEqual(['revenue', 'revenue_2024.csv']);
    expect((await autocomplete({ keywords: 'ord' })).map((v) => v.text)).toEqual(['order', 'orders.csv']);
    const files = await autocomplete({ keywords: 'reven', filter: { objectType: 'Files' } });
    expect(files.map((v) => v.text)).toEqual(['revenue_2024.csv']);
    const terms = await autocomplete({ keywords: 'gross reven', filter: { objectType: 'Glossary terms' } });
    expect(terms).toEqual([{ text: 'revenue', queryPlusText: 'gross revenue' }]);
  });

  it('follows glossary writes at once: a renamed term is found by its new name, a deleted glossary is gone', async () => {
    await dm.http.put(`${G}/term/${revenue.guid}/partial?${V}`).set(dm.curator).send({ name: 'Turnover' }).expect(200);
    expect(names(await search({ keywords: 'turnover' }))).toEqual(['Glossary terms:Turnover']);
    await dm.http.delete(`${G}/${glossary.guid}?${V}`).set(dm.curator).expect(204);
    expect(names(await search({ filter: { objectType: 'Glossary terms' } }))).toEqual([]);
  });
});
