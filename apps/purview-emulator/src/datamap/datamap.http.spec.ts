import type { EntityMutationResult, QueryResult } from '@purview-emulator/contracts';
import { createTestApp, TestApp } from '../testing/test-app';
import { DataMapService } from './datamap.service';
import { SearchService } from './search.service';

const BASE = 'https://acct.blob.core.windows.net';
const ATLAS = '/datamap/api/atlas/v2';
const SEARCH = '/datamap/api/search/query?api-version=2023-09-01';

/** The data map through the whole emulator app (parsers, guards, URL rewriting), as a client with a token calls it. */
describe('data map over HTTP', () => {
  let testApp: TestApp;
  let app: TestApp['app'];
  let http: TestApp['api'];

  beforeAll(async () => {
    testApp = await createTestApp();
    app = testApp.app;
    http = testApp.api;

    // A small scanned estate: a container, 30 files (some classified), a schema.
    await app.get(DataMapService).upsertAssets(
      [
        { typeName: 'azure_blob_container', attributes: { qualifiedName: `${BASE}/data`, name: 'data' } },
        ...Array.from({ length: 30 }, (_, i) => ({
          typeName: 'azure_blob_path',
          attributes: {
            qualifiedName: `${BASE}/data/file${String(i).padStart(2, '0')}.${i % 3 === 0 ? 'csv' : 'json'}`,
            name: `file${String(i).padStart(2, '0')}.${i % 3 === 0 ? 'csv' : 'json'}`,
            size: i * 10,
          },
          relationshipAttributes: {
            parent: { typeName: 'azure_blob_container', uniqueAttributes: { qualifiedName: `${BASE}/data` } },
          },
          classifications: i % 5 === 0 ? [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }] : [],
        })),
        {
          typeName: 'tabular_schema',
          attributes: { qualifiedName: `${BASE}/data/file00.csv#__tabular_schema`, name: 'file00.csv' },
        },
      ],
      { updatedBy: 'scanner' },
    );
  });

  afterAll(async () => {
    await testApp?.close();
  });

  describe('Atlas entities', () => {
    let fileGuid: string;

    it('creates an entity with POST /entity and assigns temporary guids', async () => {
      const response = await http
        .post(`${ATLAS}/entity`)
        .send({
          entity: {
            typeName: 'azure_blob_path',
            guid: '-100',
            attributes: {
              qualifiedName: `${BASE}/data/manual.txt`,
              name: 'manual.txt',
              description: 'Hand-made sample',
            },
            relationshipAttributes: {
              parent: { typeName: 'azure_blob_container', uniqueAttributes: { qualifiedName: `${BASE}/data` } },
            },
          },
          referredEntities: {},
        })
        .expect(200);
      const body = response.body as EntityMutationResult;
      fileGuid = body.guidAssignments!['-100'];
      expect(body.mutatedEntities?.CREATE?.[0]).toMatchObject({
        guid: fileGuid,
        typeName: 'azure_blob_path',
        displayText: 'manual.txt',
        status: 'ACTIVE',
        lastModifiedTS: '1',
      });
      expect(response.headers['x-ms-request-id']).toBeDefined();
    });

    it('reads it by guid (data map and legacy catalog prefixes), with referred entities', async () => {
      const body = (await http.get(`${ATLAS}/entity/guid/${fileGuid}`).expect(200)).body;
      expect(body.entity).toMatchObject({
        guid: fileGuid,
        attributes: { name: 'manual.txt' },
        collectionId: 'emulator',
      });
      const parentGuid = body.entity.relationshipAttributes.parent.guid as string;
      expect(body.referredEntities[parentGuid]).toMatchObject({
        typeName: 'azure_blob_container',
        attributes: { name: 'data' },
      });
      const legacy = (await http.get(`/catalog/api/atlas/v2/entity/guid/${fileGuid}?minExtInfo=true`).expect(200)).body;
      expect(legacy.referredEntities).toEqual({});
      const header = (await http.get(`/catalog/api/atlas/v2/entity/guid/${fileGuid}/header`).expect(200)).body;
      expect(header).toMatchObject({
        guid: fileGuid,
        displayText: 'manual.txt',
        classificationNames: [],
        meaningNames: [],
      });
    });

    it('reads by unique attribute (query key attr:qualifiedName)', async () => {
      const qn = `${BASE}/data/file00.csv`;
      const body = (
        await http
          .get(`${ATLAS}/entity/uniqueAttribute/type/azure_blob_path?attr:qualifiedName=${encodeURIComponent(qn)}`)
          .expect(200)
      ).body;
      expect(body.entity).toMatchObject({
        typeName: 'azure_blob_path',
        attributes: { qualifiedName: qn },
        classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }],
      });
      const missing = await http
        .get(
          `${ATLAS}/entity/uniqueAttribute/type/azure_blob_path?attr:qualifiedName=${encodeURIComponent(`${BASE}/nope`)}`,
        )
        .expect(404);
      expect(missing.body).toEqual({
        requestId: expect.any(String),
        errorCode: 'ATLAS-404-00-009',
        errorMessage: expect.stringContaining(`${BASE}/nope`),
      });
      const noAttr = await http.get(`${ATLAS}/entity/uniqueAttribute/type/azure_blob_path`).expect(400);
      expect(noAttr.body).toMatchObject({
        errorCode: 'ATLAS-400-00-001',
        errorMessage: expect.stringContaining('attr:qualifiedName'),
      });
    });

    it('reads several with GET /entity/bulk?guid=a&guid=b', async () => {
      const parent = (await http.get(`${ATLAS}/entity/guid/${fileGuid}`)).body.entity.relationshipAttributes.parent
        .guid as string;
      const body = (await http.get(`${ATLAS}/entity/bulk?guid=${fileGuid}&guid=${parent}`).expect(200)).body;
      expect(body.entities.map((e: { guid: string }) => e.guid)).toEqual([fileGuid, parent]);
      const single = (await http.get(`${ATLAS}/entity/bulk?guid=${fileGuid}`).expect(200)).body;
      expect(single.entities).toHaveLength(1);
      const unknown = await http
        .get(`${ATLAS}/entity/bulk?guid=${fileGuid}&guid=00000000-0000-0000-0000-000000000000`)
        .expect(404);
      expect(unknown.body.errorCode).toBe('ATLAS-404-00-005');
    });

    it('updates by qualifiedName and creates in bulk', async () => {
      const update = (
        await http
          .post(`${ATLAS}/entity`)
          .send({
            entity: {
              typeName: 'azure_blob_path',
              attributes: { qualifiedName: `${BASE}/data/manual.txt`, name: 'manual.txt', owner: 'bob' },
            },
          })
          .expect(200)
      ).body;
      expect(update.mutatedEntities.UPDATE[0]).toMatchObject({ guid: fileGuid, lastModifiedTS: '2' });
      const bulk = (
        await http
          .post(`${ATLAS}/entity/bulk`)
          .send({
            entities: [1, 2].map((i) => ({
              typeName: 'azure_blob_path',
              guid: `-${i}`,
              attributes: { qualifiedName: `${BASE}/bulk/${i}`, name: `bulk${i}` },
            })),
          })
          .expect(200)
      ).body;
      expect(Object.keys(bulk.guidAssignments)).toEqual(['-1', '-2']);
    });

    it('writes into a collection through the legacy catalog collection routes', async () => {
      const body = (
        await http
          .post('/catalog/api/collections/finance/entity')
          .send({
            entity: {
              typeName: 'azure_blob_path',
              attributes: { qualifiedName: `${BASE}/fin/report.csv`, name: 'report.csv' },
            },
          })
          .expect(200)
      ).body as EntityMutationResult;
      const guid = body.mutatedEntities!.CREATE![0].guid;
      expect((await http.get(`${ATLAS}/entity/guid/${guid}`).expect(200)).body.entity.collectionId).toBe('finance');
      const found = (
        await http
          .post(SEARCH)
          .send({ filter: { collectionId: 'Finance' } })
          .expect(200)
      ).body as QueryResult;
      expect(found.value.map((v) => v.id)).toEqual([guid]);
      await http.delete(`${ATLAS}/entity/guid/${guid}`).expect(200);
    });

    it('validates bodies with Atlas 400s', async () => {
      const noName = await http
        .post(`${ATLAS}/entity`)
        .send({ entity: { typeName: 'azure_blob_path', attributes: { qualifiedName: 'x' } } })
        .expect(400);
      expect(noName.body).toEqual({
        requestId: expect.any(String),
        errorCode: 'ATLAS-400-00-01A',
        errorMessage: 'entity.attributes.name is required (a non-empty string) for an entity of type azure_blob_path.',
      });
      const noType = await http
        .post(`${ATLAS}/entity`)
        .send({ entity: { attributes: { qualifiedName: 'x', name: 'x' } } })
        .expect(400);
      expect(noType.body.errorMessage).toContain('typeName');
      await http.post(`${ATLAS}/entity/bulk`).send({ entities: [] }).expect(400);
      const badRef = await http
        .post(`${ATLAS}/entity`)
        .send({
          entity: {
            typeName: 't',
            attributes: { qualifiedName: 'x', name: 'x' },
            relationshipAttributes: { parent: { guid: 'missing-guid' } },
          },
        })
        .expect(404);
      expect(badRef.body.errorCode).toBe('ATLAS-404-00-005');
    });

    it('soft-deletes with DELETE /entity/guid/{guid} and answers 404 for unknown guids', async () => {
      const deleted = (await http.delete(`${ATLAS}/entity/guid/${fileGuid}`).expect(200)).body;
      expect(deleted.mutatedEntities.DELETE[0]).toMatchObject({ guid: fileGuid, status: 'DELETED' });
      expect((await http.get(`${ATLAS}/entity/guid/${fileGuid}`).expect(200)).body.entity.status).toBe('DELETED');
      const missing = await http.get(`${ATLAS}/entity/guid/does-not-exist`).expect(404);
      expect(missing.body).toEqual({
        requestId: missing.headers['x-ms-request-id'],
        errorCode: 'ATLAS-404-00-005',
        errorMessage: 'Given instance guid does-not-exist is invalid/not found',
      });
      await http.delete(`${ATLAS}/entity/guid/does-not-exist`).expect(404);
    });
  });

  describe('search', () => {
    const query = (body: unknown, url = SEARCH) => http.post(url).send(body as object);

    it('returns everything for * with counts, paging and a continuation token', async () => {
      const first = (await query({ keywords: '*', limit: 10 }).expect(200)).body as QueryResult;
      expect(first['@search.count']).toBe(32 + 2); // 32 scanned + 2 bulk-created, the deleted one excluded
      expect(first.value).toHaveLength(10);
      expect(first.continuationToken).toBeDefined();
      const names: string[] = first.value.map((v) => v.name);
      let token = first.continuationToken;
      while (token) {
        const page = (await query({ keywords: null, limit: 10, continuationToken: token }).expect(200))
          .body as QueryResult;
        names.push(...page.value.map((v) => v.name));
        token = page.continuationToken;
      }
      expect(names).toHaveLength(34);
      expect([...names]).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      const typo = (await query({ limit: 10, continuousToken: first.continuationToken }).expect(200))
        .body as QueryResult;
      expect(typo.value[0].name).toBe(names[10]);
    });

    it('renders result values like Purview', async () => {
      const body = (await query({ keywords: 'file00.csv' }).expect(200)).body as QueryResult;
      const hit = body.value.find((v) => v.entityType === 'azure_blob_path')!;
      expect(hit).toMatchObject({
        name: 'file00.csv',
        qualifiedName: `${BASE}/data/file00.csv`,
        objectType: 'Files',
        assetType: ['Azure Blob Storage'],
        classification: ['MICROSOFT.PERSONAL.EMAIL'],
        label: [],
        term: [],
        contact: [],
        description: null,
        owner: null,
        '@search.highlights': { name: ['<em>file00.csv</em>'] },
      });
      expect(hit['@search.score']).toBe(1);
      // The file and its schema are both named file00.csv: exact name matches, score 1.
      expect(body.value.map((v) => [v.entityType, v['@search.score']]).sort()).toEqual([
        ['azure_blob_path', 1],
        ['tabular_schema', 1],
      ]);
    });

    it('filters in both grammars and computes facets', async () => {
      const plain = (
        await query({
          filter: { and: [{ entityType: 'azure_blob_path' }, { classification: 'MICROSOFT.PERSONAL.EMAIL' }] },
          facets: [
            { facet: 'classification' },
            { facet: 'entityType' },
            { facet: 'assetType' },
            { facet: 'objectType' },
          ],
        }).expect(200)
      ).body as QueryResult;
      expect(plain['@search.count']).toBe(6);
      expect(plain['@search.facets']).toEqual({
        classification: [{ value: 'MICROSOFT.PERSONAL.EMAIL', count: 6 }],
        entityType: [{ value: 'azure_blob_path', count: 6 }],
        assetType: [{ value: 'Azure Blob Storage', count: 6 }],
        objectType: [{ value: 'Files', count: 6 }],
      });
      const tagged = (
        await query(
          {
            filter: {
              kind: 'AndFilter',
              and: [
                { kind: 'TypeFilter', typeName: 'azure_blob_path' },
                { kind: 'ClassificationFilter', classification: 'MICROSOFT.PERSONAL.EMAIL' },
              ],
            },
          },
          '/catalog/api/search/query',
        ).expect(200)
      ).body as QueryResult;
      expect(tagged.value.map((v) => v.id)).toEqual(plain.value.map((v) => v.id));
    });

    it('runs attribute filters SQL cannot express in JS, with paging and facets over all matches', async () => {
      app.get(SearchService).chunkSize = 4; // walk the matches in many keyset chunks
      const filter = {
        and: [{ fileExtension: 'json' }, { attributeName: 'size', operator: 'ge', attributeValue: 100 }],
      };
      const all = (
        await query({ filter, facets: [{ facet: 'classification' }], orderby: [{ name: 'DESC' }] }).expect(200)
      ).body as QueryResult;
      // files 10..29 that are not multiples of 3: 14 of them
      expect(all['@search.count']).toBe(14);
      expect(all.value[0].name).toBe('file29.json');
      expect(all['@search.facets']!.classification).toEqual([{ value: 'MICROSOFT.PERSONAL.EMAIL', count: 3 }]);
      const page2 = (
        await query({
          filter,
          limit: 5,
          orderby: [{ name: 'DESC' }],
          continuationToken: (await query({ filter, limit: 5, orderby: [{ name: 'DESC' }] })).body.continuationToken,
        }).expect(200)
      ).body as QueryResult;
      expect(page2.value.map((v) => v.name)).toEqual(all.value.slice(5, 10).map((v) => v.name));
      const byTime = (await query({ filter, orderby: [{ updateTime: 'DESC' }, { createTime: 'ASC' }] }).expect(200))
        .body as QueryResult;
      expect(new Set(byTime.value.map((v) => v.id))).toEqual(new Set(all.value.map((v) => v.id)));
      const withKeywords = (await query({ keywords: 'file2 JSON', filter, limit: 3 }).expect(200)).body as QueryResult;
      expect(withKeywords['@search.count']).toBe(7); // file20..29 minus 21, 24, 27
      expect(withKeywords.value.map((v) => v.name)).toEqual(['file20.json', 'file22.json', 'file23.json']);
    });

    it('answers 400 in the Atlas shape for bad requests', async () => {
      const tooMany = await query({ limit: 1001 }).expect(400);
      expect(tooMany.body).toEqual({
        requestId: expect.any(String),
        errorCode: 'ATLAS-400-00-001',
        errorMessage: expect.stringContaining('limit'),
      });
      const unknownKey = await query({ filter: { and: [{ entityType: 'x' }, { colour: 'red' }] } }).expect(400);
      expect(unknownKey.body.errorMessage).toContain(`'colour'`);
      const unknownKind = await query({ filter: { kind: 'ColourFilter' } }).expect(400);
      expect(unknownKind.body.errorMessage).toContain('ColourFilter');
    });
  });
});
