import 'reflect-metadata';
import type { EntityMutationResult } from '@purview-emulator/contracts';
import { DATAMAP_2023_09_01, Definitions, contractViolations, enumOf } from '@purview-emulator/testing';
import { ACCOUNT, DataMapHttp, startDataMapHttp } from './testing/datamap-http';

const V = 'api-version=2023-09-01';
const ATLAS = '/datamap/api/atlas/v2';

/**
 * What the emulator sends beyond the 2023-09-01 definitions because the real service does, with where that was seen
 * (../shared/reference/recorded-behaviour.md): `collectionId` on search and suggest hits (a recorded suggest hit),
 * and the `BUSINESS_METADATA` type category, which the spec's `TypeCategory` omits but Atlas's own `TypeCategory`
 * (apache/atlas intg/.../model/TypeCategory.java) has and Purview answers for business metadata defs.
 */
const UNDECLARED: Record<string, readonly string[]> = {
  SearchResultValue: ['collectionId'],
  SuggestResultValue: ['collectionId'],
  // The parent of a hierarchical term, as pyapacheatlas sends it (`parentTerm: {termGuid}`), read back.
  AtlasGlossaryTerm: ['parentTerm'],
};
const TypeCategory = DATAMAP_2023_09_01.TypeCategory;
const DEFINITIONS: Definitions = {
  ...DATAMAP_2023_09_01,
  TypeCategory: enumOf(...(TypeCategory.kind === 'enum' ? TypeCategory.values : []), 'BUSINESS_METADATA'),
};

/**
 * Every data map response checked against the public 2023-09-01 definitions (libs/testing's
 * `DATAMAP_2023_09_01`): a user's flow of types, entities, classifications, labels, business metadata,
 * relationships, lineage, collections, search and the glossary, with each answer checked against the definition its operation
 * declares. A property the spec does not declare, a wrong type or an enum value it does not list fails the test.
 */
describe('data map responses against the 2023-09-01 definitions', () => {
  let dm: DataMapHttp;
  const guids: Record<string, string> = {};

  const conforms = (definition: string, body: unknown): void => {
    expect(contractViolations(DEFINITIONS, definition, body, { undeclared: UNDECLARED })).toEqual([]);
  };
  const get = async (path: string, definition: string): Promise<unknown> => {
    const res = await dm.http.get(`${ATLAS}${path}${path.includes('?') ? '&' : '?'}${V}`).set(dm.reader);
    expect(res.status).toBe(200);
    conforms(definition, res.body);
    return res.body;
  };

  beforeAll(async () => {
    dm = await startDataMapHttp({ account: ACCOUNT });
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('types: create, list, headers, and each category by name and guid', async () => {
    const model = {
      enumDefs: [
        {
          name: 'ct_tier',
          elementDefs: [
            { value: 'Gold', ordinal: 1 },
            { value: 'Silver', ordinal: 2 },
          ],
        },
      ],
      structDefs: [{ name: 'ct_point', attributeDefs: [{ name: 'x', typeName: 'int', isOptional: true }] }],
      classificationDefs: [
        { name: 'ct_secret', attributeDefs: [{ name: 'level', typeName: 'int', isOptional: true }] },
      ],
      entityDefs: [
        {
          name: 'ct_table',
          superTypes: ['DataSet'],
          attributeDefs: [{ name: 'tier', typeName: 'ct_tier', isOptional: true, cardinality: 'SINGLE' }],
        },
        { name: 'ct_job', superTypes: ['Process'] },
      ],
      relationshipDefs: [
        {
          name: 'ct_table_copy',
          relationshipCategory: 'ASSOCIATION',
          endDef1: { type: 'ct_table', name: 'copies', cardinality: 'SET' },
          endDef2: { type: 'ct_table', name: 'copyOf', cardinality: 'SINGLE' },
        },
      ],
      businessMetadataDefs: [
        {
          name: 'ct_ops',
          attributeDefs: [
            {
              name: 'team',
              typeName: 'string',
              isOptional: true,
              options: { applicableEntityTypes: '["DataSet"]', maxStrLength: '50' },
            },
          ],
        },
      ],
    };
    const created = await dm.http.post(`${ATLAS}/types/typedefs?${V}`).set(dm.curator).send(model).expect(200);
    conforms('AtlasTypesDef', created.body);

    await get('/types/typedefs', 'AtlasTypesDef');
    await get('/types/typedefs?type=entity', 'AtlasTypesDef');
    const headers = (await dm.http.get(`${ATLAS}/types/typedefs/headers?${V}`).set(dm.reader).expect(200)).body;
    conforms('AtlasTypeDefHeader[]', headers);

    const table = (await get('/types/entitydef/name/ct_table', 'AtlasEntityDef')) as { guid: string };
    await get(`/types/entitydef/guid/${table.guid}`, 'AtlasEntityDef');
    await get('/types/typedef/name/ct_table', 'AtlasTypeDef');
    await get(`/types/typedef/guid/${table.guid}`, 'AtlasTypeDef');
    await get('/types/entitydef/name/DataSet', 'AtlasEntityDef');
    await get('/types/classificationdef/name/ct_secret', 'AtlasClassificationDef');
    await get('/types/classificationdef/name/MICROSOFT.PERSONAL.EMAIL', 'AtlasClassificationDef');
    await get('/types/enumdef/name/ct_tier', 'AtlasEnumDef');
    await get('/types/structdef/name/ct_point', 'AtlasStructDef');
    await get('/types/relationshipdef/name/ct_table_copy', 'AtlasRelationshipDef');
    await get('/types/businessmetadatadef/name/ct_ops', 'AtlasBusinessMetadataDef');
  });

  it('entities: create with temporary guids, read single, bulk, by unique attribute and header', async () => {
    const entities = ['orders', 'orders_copy'].map((name, i) => ({
      typeName: 'ct_table',
      guid: `-${i + 1}`,
      attributes: { qualifiedName: `ct://sales/${name}`, name, tier: 'Gold', description: `the ${name} table` },
      classifications: i === 0 ? [{ typeName: 'ct_secret', attributes: { level: 2 } }] : undefined,
      labels: ['finance'],
      businessAttributes: { ct_ops: { team: 'Sales' } },
    }));
    const job = {
      typeName: 'ct_job',
      guid: '-3',
      attributes: {
        qualifiedName: 'ct://jobs/copy',
        name: 'copy',
        inputs: [{ guid: '-1' }],
        outputs: [{ typeName: 'ct_table', uniqueAttributes: { qualifiedName: 'ct://sales/orders_copy' } }],
      },
    };
    const res = await dm.http
      .post(`${ATLAS}/entity/bulk?${V}`)
      .set(dm.curator)
      .send({ entities: [...entities, job] })
      .expect(200);
    conforms('EntityMutationResult', res.body);
    const assigned = (res.body as EntityMutationResult).guidAssignments!;
    [guids.orders, guids.copy, guids.job] = [assigned['-1'], assigned['-2'], assigned['-3']];

    await get(`/entity/guid/${guids.orders}`, 'AtlasEntityWithExtInfo');
    await get(`/entity/guid/${guids.job}`, 'AtlasEntityWithExtInfo');
    await get(`/entity/guid/${guids.orders}?minExtInfo=true&ignoreRelationships=true`, 'AtlasEntityWithExtInfo');
    await get(`/entity/bulk?guid=${guids.orders}&guid=${guids.job}`, 'AtlasEntitiesWithExtInfo');
    await get(
      `/entity/uniqueAttribute/type/ct_table?attr:qualifiedName=${encodeURIComponent('ct://sales/orders')}`,
      'AtlasEntityWithExtInfo',
    );
    await get(`/entity/guid/${guids.orders}/header`, 'AtlasEntityHeader');

    const partial = await dm.http
      .put(`${ATLAS}/entity/guid/${guids.orders}?name=description&${V}`)
      .set(dm.curator)
      .send(JSON.stringify('orders of the sales team'))
      .set('content-type', 'application/json')
      .expect(200);
    conforms('EntityMutationResult', partial.body);
  });

  it('classifications: one, all, and bulk set', async () => {
    await get(`/entity/guid/${guids.orders}/classification/ct_secret`, 'AtlasClassification');
    await get(`/entity/guid/${guids.orders}/classifications`, 'AtlasClassifications');
    const set = await dm.http
      .post(`${ATLAS}/entity/bulk/setClassifications?${V}`)
      .set(dm.curator)
      .send({ guidHeaderMap: { [guids.copy]: { typeName: 'ct_table', classifications: [{ typeName: 'ct_secret' }] } } })
      .expect(200);
    conforms('string[]', set.body);
  });

  it('relationships and lineage', async () => {
    const created = await dm.http
      .post(`${ATLAS}/relationship?${V}`)
      .set(dm.curator)
      .send({
        typeName: 'ct_table_copy',
        end1: { guid: guids.orders, typeName: 'ct_table' },
        end2: { guid: guids.copy, typeName: 'ct_table' },
      })
      .expect(200);
    conforms('AtlasRelationship', created.body);
    await get(`/relationship/guid/${(created.body as { guid: string }).guid}`, 'AtlasRelationshipWithExtInfo');

    await get(`/lineage/${guids.orders}?direction=BOTH&depth=3`, 'AtlasLineageInfo');
    await get(
      `/lineage/uniqueAttribute/type/ct_table?attr:qualifiedName=${encodeURIComponent('ct://sales/orders_copy')}&direction=INPUT`,
      'AtlasLineageInfo',
    );
    const next = await dm.http
      .get(`/datamap/api/lineage/${guids.orders}/next?direction=OUTPUT&offset=0&limit=10&${V}`)
      .set(dm.reader)
      .expect(200);
    conforms('AtlasLineageInfo', next.body);
  });

  it('business metadata import, collections and search', async () => {
    const csv = `EntityType,EntityUniqueAttributeValue,BusinessAttributeName,BusinessAttributeValue\nct_table,ct://sales/orders,ct_ops.team,Finance\nct_table,ct://sales/none,ct_ops.team,Finance\n`;
    const imported = await dm.http
      .post(`${ATLAS}/entity/businessmetadata/import?${V}`)
      .set(dm.curator)
      .attach('file', Buffer.from(csv), 'bm.csv')
      .expect(200);
    conforms('BulkImportResult', imported.body);

    const moved = await dm.http
      .post(`/datamap/api/entity/moveTo?collectionId=${ACCOUNT}&${V}`)
      .set(dm.curator)
      .send({ entityGuids: [guids.copy] })
      .expect(200);
    conforms('EntityMutationResult', moved.body);

    const search = await dm.http
      .post(`/datamap/api/search/query?${V}`)
      .set(dm.reader)
      .send({ keywords: 'orders', limit: 1, facets: [{ facet: 'entityType', count: 10 }, { facet: 'classification' }] })
      .expect(200);
    conforms('QueryResult', search.body);
    const filtered = await dm.http
      .post(`/datamap/api/search/query?${V}`)
      .set(dm.reader)
      .send({ keywords: '*', filter: { and: [{ entityType: 'ct_table' }, { classification: 'ct_secret' }] } })
      .expect(200);
    conforms('QueryResult', filtered.body);
    // No facets asked: the real service sends `@search.facets` as null, not absent (recorded-behaviour.md).
    expect(filtered.body).toHaveProperty(['@search.facets'], null);
    expect(Object.keys(search.body['@search.facets'] as object).sort()).toEqual(['classification', 'entityType']);
  });

  it('glossary: glossaries, categories, terms with hierarchy and relations, assignments', async () => {
    const G = `${ATLAS}/glossary`;
    const post = async (path: string, body: object, definition: string): Promise<Record<string, unknown>> => {
      const res = await dm.http.post(`${G}${path}?${V}`).set(dm.curator).send(body);
      expect(res.status).toBe(200);
      conforms(definition, res.body);
      return res.body as Record<string, unknown>;
    };
    const glossary = await post('', { name: 'ct_glossary', shortDescription: 's', language: 'en' }, 'AtlasGlossary');
    const anchor = { glossaryGuid: glossary.guid };
    const parentCategory = await post('/category', { name: 'ct_parent', anchor }, 'AtlasGlossaryCategory');
    const [category] = (await post(
      '/categories',
      [{ name: 'ct_child', anchor, parentCategory: { categoryGuid: parentCategory.guid } }],
      'AtlasGlossaryCategory[]',
    )) as unknown as { guid: string }[];
    const parent = await post('/term', { name: 'ct_term', anchor, status: 'Approved' }, 'AtlasGlossaryTerm');
    const [child] = (await post(
      '/terms?includeTermHierarchy=true',
      [
        {
          name: 'ct_term_child',
          anchor,
          parentTerm: { termGuid: parent.guid },
          synonyms: [{ termGuid: parent.guid }],
          categories: [{ categoryGuid: category.guid }],
          resources: [{ displayName: 'r', url: 'https://r' }],
          contacts: { Expert: [{ id: 'e', info: 'i' }] },
        },
      ],
      'AtlasGlossaryTerm[]',
    )) as unknown as { guid: string }[];
    const assigned = await dm.http
      .post(`${G}/terms/${child.guid}/assignedEntities?${V}`)
      .set(dm.curator)
      .send([{ guid: guids.orders, relationshipAttributes: { attributes: { confidence: 100 } } }])
      .expect(204);
    expect(assigned.body).toEqual({});

    await get('/glossary', 'AtlasGlossary[]');
    await get(`/glossary/${String(glossary.guid)}`, 'AtlasGlossary');
    await get(`/glossary/${String(glossary.guid)}/detailed`, 'AtlasGlossaryExtInfo');
    await get(`/glossary/${String(glossary.guid)}/categories`, 'AtlasGlossaryCategory[]');
    await get(`/glossary/${String(glossary.guid)}/categories/headers`, 'AtlasRelatedCategoryHeader[]');
    await get(`/glossary/${String(glossary.guid)}/terms`, 'AtlasGlossaryTerm[]');
    await get(`/glossary/${String(glossary.guid)}/terms/headers`, 'AtlasRelatedTermHeader[]');
    await get(`/glossary/category/${category.guid}`, 'AtlasGlossaryCategory');
    await get(`/glossary/category/${category.guid}/related`, 'map<AtlasRelatedCategoryHeader[]>');
    await get(`/glossary/category/${category.guid}/terms`, 'AtlasRelatedTermHeader[]');
    await get(`/glossary/term/${child.guid}?includeTermHierarchy=true`, 'AtlasGlossaryTerm');
    await get(`/glossary/terms/${child.guid}/related`, 'map<AtlasRelatedTermHeader[]>');
    await get(`/glossary/terms/${child.guid}/assignedEntities`, 'AtlasRelatedObjectId[]');
    const entity = (await get(`/entity/guid/${guids.orders}`, 'AtlasEntityWithExtInfo')) as {
      entity: { meanings?: unknown[] };
    };
    expect(entity.entity.meanings).toHaveLength(1);
    const header = (await get(`/entity/guid/${guids.orders}/header`, 'AtlasEntityHeader')) as { meanings: unknown[] };
    expect(header.meanings).toHaveLength(1);
    const put = await dm.http
      .put(`${G}/term/${child.guid}/partial?${V}`)
      .set(dm.curator)
      .send({ status: 'Alert' })
      .expect(200);
    conforms('AtlasGlossaryTerm', put.body);
    const glossaryPut = await dm.http
      .put(`${G}/${String(glossary.guid)}/partial?${V}`)
      .set(dm.curator)
      .send({ usage: 'u' })
      .expect(200);
    conforms('AtlasGlossary', glossaryPut.body);
    const missing = await dm.http.get(`${G}/term/nope?${V}`).set(dm.reader).expect(404);
    conforms('AtlasErrorResponse', missing.body);
  });

  it('errors: unknown type, unknown guid, bad parameters', async () => {
    const errors = await Promise.all([
      dm.http
        .post(`${ATLAS}/entity?${V}`)
        .set(dm.curator)
        .send({ entity: { typeName: 'no_such_type', attributes: { qualifiedName: 'x', name: 'x' } } }),
      dm.http.get(`${ATLAS}/entity/guid/00000000-0000-0000-0000-000000000000?${V}`).set(dm.reader),
      dm.http.get(`${ATLAS}/lineage/${guids.orders}?direction=SIDEWAYS&${V}`).set(dm.reader),
      dm.http.get(`${ATLAS}/types/entitydef/name/no_such_type?${V}`).set(dm.reader),
    ]);
    expect(errors.map((e) => e.status)).toEqual([400, 404, 400, 404]);
    for (const e of errors) conforms('AtlasErrorResponse', e.body);
  });
});
