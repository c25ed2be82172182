import 'reflect-metadata';
import type { AtlasClassifications, AtlasEntity, EntityMutationResult, QueryResult } from '@purview-emulator/contracts';
import { DataMapHttp, atlasError, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const ENTITY = '/datamap/api/atlas/v2/entity';
const LEGACY = '/catalog/api/atlas/v2/entity';
const QN = 'mssql://contoso.database.windows.net/sales/dbo';

const MODEL = {
  enumDefs: [{ name: 'contoso_level', elementDefs: [{ value: 'Low' }, { value: 'High' }] }],
  classificationDefs: [
    {
      name: 'CONTOSO.PII',
      attributeDefs: [
        { name: 'level', typeName: 'contoso_level', isOptional: false },
        { name: 'note', typeName: 'string', isOptional: true },
      ],
    },
    { name: 'CONTOSO.DATASETS_ONLY', entityTypes: ['DataSet'] },
  ],
  entityDefs: [{ name: 'contoso_table', superTypes: ['DataSet'] }],
};

const PII = (level: string, extra: Record<string, unknown> = {}) => ({
  typeName: 'CONTOSO.PII',
  attributes: { level },
  ...extra,
});

/** The classification operations of the spec's Entity group through the whole app. */
describe('classifications over HTTP', () => {
  let t: DataMapHttp;
  const guids: Record<string, string> = {};
  const unique = (prefix: string, path: string, name: string): string =>
    `${prefix}/uniqueAttribute/type/contoso_table${path}?attr:qualifiedName=${encodeURIComponent(`${QN}/${name}`)}`;
  const classificationsOf = async (guid: string): Promise<AtlasClassifications> =>
    (await t.http.get(`${ENTITY}/guid/${guid}/classifications?${V}`).set(t.reader).expect(200))
      .body as AtlasClassifications;
  const namesOf = async (guid: string): Promise<string[]> =>
    (await classificationsOf(guid)).list.map((c) => c.typeName).sort();
  const classifiedAs = async (classification: string): Promise<string[]> =>
    (
      (
        await t.http
          .post(`/datamap/api/search/query?${V}`)
          .set(t.reader)
          .send({ filter: { classification } })
          .expect(200)
      ).body as QueryResult
    ).value.map((v) => v.id);

  beforeAll(async () => {
    t = await startDataMapHttp();
    await t.http.post(`/datamap/api/atlas/v2/types/typedefs?${V}`).set(t.curator).send(MODEL).expect(200);
    const entities = ['orders', 'customers', 'invoices'].map((name, i) => ({
      typeName: 'contoso_table',
      guid: `-${i + 1}`,
      attributes: { qualifiedName: `${QN}/${name}`, name },
    }));
    entities.push({ typeName: 'Process', guid: '-4', attributes: { qualifiedName: 'adf://copy', name: 'copy' } });
    const created = (await t.http.post(`${ENTITY}/bulk`).set(t.curator).send({ entities }).expect(200))
      .body as EntityMutationResult;
    Object.assign(guids, {
      orders: created.guidAssignments!['-1'],
      customers: created.guidAssignments!['-2'],
      invoices: created.guidAssignments!['-3'],
      process: created.guidAssignments!['-4'],
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('by guid', () => {
    it('adds classifications (204), stores propagate, and reads one and all in the spec`s shapes', async () => {
      const before = (await t.http.get(`${ENTITY}/guid/${guids.orders}/header`).set(t.reader).expect(200)).body as {
        lastModifiedTS: string;
      };
      await t.http
        .post(`${ENTITY}/guid/${guids.orders}/classifications`)
        .set(t.curator)
        .send([PII('High', { propagate: false }), { typeName: 'MICROSOFT.PERSONAL.EMAIL' }])
        .expect(204);
      const one = (
        await t.http.get(`${ENTITY}/guid/${guids.orders}/classification/CONTOSO.PII`).set(t.reader).expect(200)
      ).body;
      expect(one).toEqual({
        typeName: 'CONTOSO.PII',
        attributes: { level: 'High' },
        entityGuid: guids.orders,
        entityStatus: 'ACTIVE',
        propagate: false,
      });
      const all = await classificationsOf(guids.orders);
      expect(all).toEqual({
        list: [one, expect.objectContaining({ typeName: 'MICROSOFT.PERSONAL.EMAIL' })],
        pageSize: 2,
        sortType: 'NONE',
        startIndex: 0,
        totalCount: 2,
      });
      const header = (await t.http.get(`${ENTITY}/guid/${guids.orders}/header`).set(t.reader).expect(200)).body as {
        classificationNames: string[];
        lastModifiedTS: string;
      };
      expect(header.classificationNames).toEqual(['CONTOSO.PII', 'MICROSOFT.PERSONAL.EMAIL']);
      expect(Number(header.lastModifiedTS)).toBe(Number(before.lastModifiedTS) + 1);
      expect(await classifiedAs('CONTOSO.PII')).toEqual([guids.orders]);
    });

    it('refuses what Atlas refuses, changing nothing', async () => {
      const add = (guid: string, body: unknown) =>
        t.http
          .post(`${ENTITY}/guid/${guid}/classifications`)
          .set(t.curator)
          .send(body as object);
      expect((await add(guids.orders, [PII('Low')]).expect(400)).body).toEqual(
        atlasError(
          'ATLAS-400-00-01B',
          `instance ${guids.orders} already is associated with classification CONTOSO.PII`,
        ),
      );
      expect((await add(guids.customers, [{ typeName: 'NO.SUCH' }]).expect(404)).body).toEqual(
        atlasError('ATLAS-404-00-008', 'Given classification NO.SUCH was invalid'),
      );
      expect(
        (await add(guids.customers, [{ typeName: 'CONTOSO.PII', attributes: { note: 'x' } }]).expect(404)).body,
      ).toEqual(
        atlasError('ATLAS-404-00-007', /CONTOSO\.PII\.level: mandatory attribute value missing in type CONTOSO\.PII/),
      );
      expect((await add(guids.customers, [PII('Medium')]).expect(404)).body.errorMessage).toContain(
        'CONTOSO.PII.level=Medium: invalid value for type contoso_level',
      );
      expect((await add(guids.process, [{ typeName: 'CONTOSO.DATASETS_ONLY' }]).expect(400)).body.errorCode).toBe(
        'ATLAS-400-00-055',
      );
      expect((await add(guids.customers, []).expect(400)).body.errorCode).toBe('ATLAS-400-00-06F');
      expect((await add(guids.customers, { typeName: 'CONTOSO.PII' }).expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-01A', /array of AtlasClassification/),
      );
      expect((await add('nope', [PII('Low')]).expect(404)).body.errorCode).toBe('ATLAS-404-00-005');
      // A valid classification before an invalid one is not kept either.
      await add(guids.customers, [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }, { typeName: 'NO.SUCH' }]).expect(404);
      expect(await namesOf(guids.customers)).toEqual([]);
      await add(guids.customers, [PII('Low')])
        .set(t.reader)
        .expect(403);
    });

    it('validates classifications sent inside an entity body too', async () => {
      const body = {
        entity: {
          typeName: 'contoso_table',
          attributes: { qualifiedName: `${QN}/x`, name: 'x' },
          classifications: [{ typeName: 'CONTOSO.PII' }],
        },
      };
      expect((await t.http.post(ENTITY).set(t.curator).send(body).expect(404)).body.errorCode).toBe('ATLAS-404-00-007');
    });

    it('updates attributes and flags of classifications the entity has (PUT), refusing others', async () => {
      await t.http
        .put(`${ENTITY}/guid/${guids.orders}/classifications`)
        .set(t.curator)
        .send([{ typeName: 'CONTOSO.PII', attributes: { note: 'checked' } }])
        .expect(204);
      expect(
        (await t.http.get(`${ENTITY}/guid/${guids.orders}/classification/CONTOSO.PII`).set(t.reader).expect(200)).body,
      ).toMatchObject({
        attributes: { level: 'High', note: 'checked' },
        propagate: false,
      });
      const update = (body: unknown) =>
        t.http
          .put(`${ENTITY}/guid/${guids.orders}/classifications`)
          .set(t.curator)
          .send(body as object);
      expect((await update([{ typeName: 'CONTOSO.DATASETS_ONLY' }]).expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-06D', 'Classification CONTOSO.DATASETS_ONLY is not associated with entity'),
      );
      expect((await update([PII('Medium')]).expect(404)).body.errorCode).toBe('ATLAS-404-00-007');
      expect((await update([PII('Low', { entityGuid: guids.customers })]).expect(400)).body.errorCode).toBe(
        'ATLAS-400-00-06B',
      );
    });

    it('removes one (204); the entity and search forget it; removing what is not there is refused', async () => {
      await t.http
        .delete(`${LEGACY}/guid/${guids.orders}/classification/CONTOSO.PII?api-version=2022-03-01-preview`)
        .set(t.curator)
        .expect(204);
      expect(await namesOf(guids.orders)).toEqual(['MICROSOFT.PERSONAL.EMAIL']);
      expect(await classifiedAs('CONTOSO.PII')).toEqual([]);
      const again = await t.http
        .delete(`${ENTITY}/guid/${guids.orders}/classification/CONTOSO.PII`)
        .set(t.curator)
        .expect(400);
      expect(again.body.errorCode).toBe('ATLAS-400-00-06D');
      expect(
        (await t.http.get(`${ENTITY}/guid/${guids.orders}/classification/CONTOSO.PII`).set(t.reader).expect(404)).body
          .errorCode,
      ).toBe('ATLAS-404-00-008');
      const none = await t.http
        .delete(`${ENTITY}/guid/${guids.invoices}/classification/CONTOSO.PII`)
        .set(t.curator)
        .expect(404);
      expect(none.body).toEqual(
        atlasError('ATLAS-404-00-003', `No classifications associated with entity: ${guids.invoices}`),
      );
    });
  });

  describe('by unique attribute', () => {
    it('adds, updates and removes (Entity_AddClassificationsByUniqueAttribute, Entity_UpdateClassificationsByUniqueAttribute)', async () => {
      await t.http
        .post(unique(ENTITY, '/classifications', 'invoices'))
        .set(t.curator)
        .send([PII('Low')])
        .expect(204);
      await t.http
        .put(unique(LEGACY, '/classifications', 'invoices'))
        .set(t.curator)
        .send([PII('High')])
        .expect(204);
      const list = await classificationsOf(guids.invoices);
      expect(list.list).toEqual([
        expect.objectContaining({ typeName: 'CONTOSO.PII', attributes: { level: 'High' }, entityGuid: guids.invoices }),
      ]);
      await t.http
        .delete(unique(ENTITY, '/classification/CONTOSO.PII', 'invoices'))
        .set(t.curator)
        .expect(204);
      expect(await namesOf(guids.invoices)).toEqual([]);
    });

    it('answers 404 ATLAS-404-00-009 for an unknown entity and 400 without attr:qualifiedName', async () => {
      expect(
        (
          await t.http
            .post(unique(ENTITY, '/classifications', 'none'))
            .set(t.curator)
            .send([PII('Low')])
            .expect(404)
        ).body.errorCode,
      ).toBe('ATLAS-404-00-009');
      const noAttr = await t.http
        .post(`${ENTITY}/uniqueAttribute/type/contoso_table/classifications`)
        .set(t.curator)
        .send([PII('Low')])
        .expect(400);
      expect(noAttr.body.errorMessage).toContain('attr:qualifiedName');
    });
  });

  describe('in bulk', () => {
    it('associates one classification with several entities (Entity_AddClassificationToEntityByGuids), all or none', async () => {
      const body = (entityGuids: string[]) => ({
        classification: { typeName: 'MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER', attributes: {}, validityPeriods: [] },
        entityGuids,
      });
      const missing = await t.http
        .post(`${ENTITY}/bulk/classification`)
        .set(t.curator)
        .send(body([guids.customers, 'nope']))
        .expect(404);
      expect(missing.body.errorCode).toBe('ATLAS-404-00-005');
      expect(await namesOf(guids.customers)).toEqual([]);
      await t.http
        .post(`${ENTITY}/bulk/classification`)
        .set(t.curator)
        .send(body([guids.customers, guids.invoices]))
        .expect(204);
      expect(await namesOf(guids.customers)).toEqual(['MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER']);
      expect((await classificationsOf(guids.invoices)).list[0]).toMatchObject({
        typeName: 'MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER',
        validityPeriods: [],
      });
      expect(
        (await t.http.post(`${ENTITY}/bulk/classification`).set(t.curator).send({ entityGuids: [] }).expect(400)).body
          .errorCode,
      ).toBe('ATLAS-400-00-01A');
    });

    it('sets classifications (Entity_BulkSetClassifications): deletes, updates and adds per entity and reports each step', async () => {
      // customers has ABA_ROUTING_NUMBER; the header keeps none of it and asks for EMAIL and PII.
      const body = {
        guidHeaderMap: {
          [guids.customers]: {
            typeName: 'contoso_table',
            attributes: { qualifiedName: `${QN}/customers` },
            classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }, PII('Low')],
          },
          [guids.invoices]: {
            typeName: 'contoso_table',
            attributes: { qualifiedName: `${QN}/invoices` },
            classifications: [
              { typeName: 'MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER', attributes: {} },
              { typeName: 'CONTOSO.PII' },
            ],
          },
          missing: { typeName: 'contoso_table', attributes: { qualifiedName: `${QN}/none` }, classifications: [] },
          unknown: { typeName: 'no_such_type', attributes: { qualifiedName: 'x' } },
        },
      };
      const report = (await t.http.post(`${ENTITY}/bulk/setClassifications`).set(t.curator).send(body).expect(200))
        .body as string[];
      expect(report).toEqual([
        `Delete:${guids.customers}:contoso_table:qualifiedName -> MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER:(Done)`,
        `Add:${guids.customers}:contoso_table:qualifiedName -> MICROSOFT.PERSONAL.EMAIL, CONTOSO.PII:(Done)`,
        `Update:${guids.invoices}:contoso_table:qualifiedName -> MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER:(Done)`,
        // CONTOSO.PII without its mandatory level is not added.
        `Add:${guids.invoices}:contoso_table:qualifiedName -> CONTOSO.PII:(Partial)`,
        'Entity:contoso_table:qualifiedName:[Not found]:(Skipped)',
        'no_such_type: (Skipped)',
      ]);
      expect(await namesOf(guids.customers)).toEqual(['CONTOSO.PII', 'MICROSOFT.PERSONAL.EMAIL']);
      expect(await namesOf(guids.invoices)).toEqual(['MICROSOFT.FINANCIAL.US.ABA_ROUTING_NUMBER']);
      expect(
        (await t.http.post(`${ENTITY}/bulk/setClassifications`).set(t.curator).send({}).expect(400)).body.errorCode,
      ).toBe('ATLAS-400-00-01A');
      await t.http.post(`${ENTITY}/bulk/setClassifications`).set(t.reader).send(body).expect(403);
    });
  });

  it('leaves a deleted entity`s classifications readable but unchangeable', async () => {
    await t.http.delete(`${ENTITY}/guid/${guids.customers}`).set(t.curator).expect(200);
    const list = await classificationsOf(guids.customers);
    expect(list.list.map((c) => c.entityStatus)).toEqual(['DELETED', 'DELETED']);
    const refused = await t.http
      .post(`${ENTITY}/guid/${guids.customers}/classifications`)
      .set(t.curator)
      .send([{ typeName: 'CONTOSO.DATASETS_ONLY' }])
      .expect(404);
    expect(refused.body.errorCode).toBe('ATLAS-404-00-012');
    const entity = (await t.http.get(`${ENTITY}/guid/${guids.customers}`).set(t.reader).expect(200)).body as {
      entity: AtlasEntity;
    };
    expect(entity.entity.classifications.map((c) => c.typeName)).toEqual(['MICROSOFT.PERSONAL.EMAIL', 'CONTOSO.PII']);
  });
});
