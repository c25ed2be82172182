import 'reflect-metadata';
import type { AtlasGlossary, AtlasGlossaryTerm, EntityMutationResult } from '@purview-emulator/contracts';
import { DataMapHttp, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const G = '/datamap/api/atlas/v2/glossary';

/** Search by glossary term: the `term` filter (with or without its glossary), the `term` facet, terms on hits. */
describe('search by glossary term', () => {
  let dm: DataMapHttp;
  let sales: AtlasGlossary;
  const guids: Record<string, string> = {};

  const createTerm = async (glossary: AtlasGlossary, name: string): Promise<AtlasGlossaryTerm> =>
    (
      await dm.http
        .post(`${G}/term?${V}`)
        .set(dm.curator)
        .send({ name, anchor: { glossaryGuid: glossary.guid } })
        .expect(200)
    ).body as AtlasGlossaryTerm;
  const assign = (term: AtlasGlossaryTerm, ...names: string[]) =>
    dm.http
      .post(`${G}/terms/${term.guid}/assignedEntities?${V}`)
      .set(dm.curator)
      .send(names.map((n) => ({ guid: guids[n] })))
      .expect(204);
  const search = async (body: Record<string, unknown>) =>
    (await dm.http.post(`/datamap/api/search/query?${V}`).set(dm.reader).send(body).expect(200)).body as {
      '@search.count': number;
      value: { name: string; term: { name: string; glossaryName: string; guid: string }[] }[];
      '@search.facets'?: Record<string, { value: string; count: number }[]>;
    };
  const names = (result: { value: { name: string }[] }) => result.value.map((v) => v.name).sort();

  beforeAll(async () => {
    dm = await startDataMapHttp();
    const created = (
      await dm.http
        .post(`/datamap/api/atlas/v2/entity/bulk?${V}`)
        .set(dm.curator)
        .send({
          entities: ['orders', 'invoices', 'customers'].map((name, i) => ({
            typeName: 'DataSet',
            guid: `-${i + 1}`,
            attributes: { qualifiedName: `https://contoso.example/${name}`, name },
          })),
        })
        .expect(200)
    ).body as EntityMutationResult;
    ['orders', 'invoices', 'customers'].forEach((n, i) => (guids[n] = created.guidAssignments![`-${i + 1}`]));
    sales = (await dm.http.post(`${G}?${V}`).set(dm.curator).send({ name: 'Sales' }).expect(200)).body;
    const finance = (await dm.http.post(`${G}?${V}`).set(dm.curator).send({ name: 'Finance' }).expect(200)).body;
    await assign(await createTerm(sales, 'Revenue'), 'orders', 'invoices');
    await assign(await createTerm(finance, 'Revenue'), 'customers');
    await assign(await createTerm(sales, 'Customer'), 'customers', 'orders');
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('filters by term name, and by term in one glossary', async () => {
    expect(names(await search({ filter: { term: 'Revenue' } }))).toEqual(['customers', 'invoices', 'orders']);
    expect(names(await search({ filter: { term: 'revenue', glossary: 'Sales' } }))).toEqual(['invoices', 'orders']);
    expect(
      names(
        await search({ filter: { and: [{ term: 'Customer' }, { not: { term: 'Revenue', glossary: 'Finance' } }] } }),
      ),
    ).toEqual(['orders']);
    expect((await search({ filter: { term: 'Nothing' } }))['@search.count']).toBe(0);
  });

  it('shows the terms of each hit and counts hits by term', async () => {
    const result = await search({ keywords: 'orders', facets: [{ facet: 'term' }] });
    expect(result.value.map((v) => v.name)).toEqual(['orders']);
    expect(result.value[0].term.map((t) => `${t.glossaryName}:${t.name}`).sort()).toEqual([
      'Sales:Customer',
      'Sales:Revenue',
    ]);
    const all = await search({ facets: [{ facet: 'term' }] });
    expect(all['@search.facets']!.term).toEqual([
      { value: 'Revenue', count: 3 },
      { value: 'Customer', count: 2 },
    ]);
  });

  it('follows the glossary at once: an assignment removed is gone from the next search', async () => {
    const terms = (await dm.http.get(`${G}/${sales.guid}/terms?${V}`).set(dm.reader).expect(200))
      .body as AtlasGlossaryTerm[];
    const revenue = terms.find((t) => t.name === 'Revenue')!;
    const assigned = (await dm.http.get(`${G}/terms/${revenue.guid}/assignedEntities?${V}`).set(dm.reader).expect(200))
      .body as { guid: string; relationshipGuid: string }[];
    const invoices = assigned.find((a) => a.guid === guids.invoices)!;
    await dm.http
      .delete(`${G}/terms/${revenue.guid}/assignedEntities?${V}`)
      .set(dm.curator)
      .send([{ guid: invoices.guid, relationshipGuid: invoices.relationshipGuid }])
      .expect(204);
    expect(names(await search({ filter: { term: 'Revenue', glossary: 'Sales' } }))).toEqual(['orders']);
  });
});
