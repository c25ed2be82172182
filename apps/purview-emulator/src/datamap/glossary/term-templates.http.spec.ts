import 'reflect-metadata';
import type { AtlasGlossary, AtlasGlossaryTerm, AtlasTypesDef, QueryResult } from '@purview-emulator/contracts';
import { DataMapHttp, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const G = '/datamap/api/atlas/v2/glossary';

const TEMPLATES: AtlasTypesDef = {
  termTemplateDefs: [
    {
      name: 'KPI',
      attributeDefs: [
        { name: 'Owner team', typeName: 'string', isOptional: false },
        { name: 'Target', typeName: 'int', isOptional: true },
      ],
    },
  ],
};

/** Term `attributes` checked against term template defs, and the templates a term uses shown by search. */
describe('term templates on terms', () => {
  let dm: DataMapHttp;
  let glossary: AtlasGlossary;

  const create = (attributes: unknown, name = 'Margin') =>
    dm.http
      .post(`${G}/term?${V}`)
      .set(dm.curator)
      .send({ name, anchor: { glossaryGuid: glossary.guid }, attributes });

  beforeAll(async () => {
    dm = await startDataMapHttp();
    await dm.http.post(`/datamap/api/atlas/v2/types/typedefs?${V}`).set(dm.curator).send(TEMPLATES).expect(200);
    glossary = (await dm.http.post(`${G}?${V}`).set(dm.curator).send({ name: 'Finance' }).expect(200)).body;
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('refuses unknown templates and attributes, values of the wrong type and missing mandatory values', async () => {
    const unknownTemplate = await create({ Nope: { x: 1 } }).expect(404);
    expect(unknownTemplate.body).toMatchObject({ errorCode: 'ATLAS-404-00-001' });
    expect(unknownTemplate.body.errorMessage).toContain('Nope');
    const unknownAttribute = await create({ KPI: { 'Owner team': 'Finance', Colour: 'red' } }).expect(400);
    expect(unknownAttribute.body).toMatchObject({ errorCode: 'ATLAS-400-00-023' });
    const badValue = await create({ KPI: { 'Owner team': 'Finance', Target: 'high' } }).expect(404);
    expect(badValue.body).toMatchObject({ errorCode: 'ATLAS-404-00-007' });
    expect(badValue.body.errorMessage).toContain('KPI.Target');
    const missing = await create({ KPI: { Target: 5 } }).expect(404);
    expect(missing.body.errorMessage).toContain('KPI.Owner team');
    // Nothing was written by the refused requests.
    const terms = (await dm.http.get(`${G}/${glossary.guid}/terms?${V}`).set(dm.reader).expect(200)).body as unknown[];
    expect(terms).toEqual([]);
  });

  it('keeps valid values, and search lists the template of the term', async () => {
    const term = (await create({ KPI: { 'Owner team': 'Finance', Target: 40 } }).expect(200)).body as AtlasGlossaryTerm;
    expect(term.attributes).toEqual({ KPI: { 'Owner team': 'Finance', Target: 40 } });
    const found = (
      await dm.http
        .post(`/datamap/api/search/query?${V}`)
        .set(dm.reader)
        .send({ keywords: 'margin', facets: [{ facet: 'termTemplate' }] })
        .expect(200)
    ).body as QueryResult;
    expect(found.value.map((v) => [v.name, v.termTemplate])).toEqual([['Margin', ['KPI']]]);
    expect(found['@search.facets']).toEqual({ termTemplate: [{ count: 1, value: 'KPI' }] });
    // A term without attributes needs no template.
    await create(undefined, 'Plain').expect(200);
  });
});
