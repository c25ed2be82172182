import 'reflect-metadata';
import type { AtlasEntity, EntityMutationResult, QueryResult } from '@purview-emulator/contracts';
import { DataMapHttp, atlasError, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const ENTITY = '/datamap/api/atlas/v2/entity';
const LEGACY = '/catalog/api/atlas/v2/entity';
const QN = 'mssql://contoso.database.windows.net/sales/dbo';

const MODEL = {
  enumDefs: [{ name: 'contoso_tier', elementDefs: [{ value: 'Gold' }, { value: 'Silver' }] }],
  entityDefs: [
    {
      name: 'contoso_table',
      superTypes: ['DataSet'],
      attributeDefs: [
        { name: 'rowCount', typeName: 'long', isOptional: true },
        { name: 'tier', typeName: 'contoso_tier', isOptional: true },
        { name: 'tags', typeName: 'array<string>', isOptional: true },
      ],
    },
    { name: 'contoso_copy', superTypes: ['Process'] },
  ],
};

const table = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  typeName: 'contoso_table',
  attributes: { qualifiedName: `${QN}/${name}`, name, ...extra },
});

/** Every Entity operation of the 2023-09-01 spec through the whole app: shapes, Atlas error codes, roles. */
describe('entities over HTTP', () => {
  let t: DataMapHttp;
  const guids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startDataMapHttp();
    await t.http.post(`/datamap/api/atlas/v2/types/typedefs?${V}`).set(t.curator).send(MODEL).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  const uniqueUrl = (prefix: string, typeName: string, qn: string): string =>
    `${prefix}/uniqueAttribute/type/${typeName}?attr:qualifiedName=${encodeURIComponent(qn)}`;
  const getEntity = async (
    guid: string,
    query = '',
  ): Promise<{ entity: AtlasEntity; referredEntities: Record<string, AtlasEntity> }> =>
    (await t.http.get(`${ENTITY}/guid/${guid}${query}`).set(t.reader).expect(200)).body as {
      entity: AtlasEntity;
      referredEntities: Record<string, AtlasEntity>;
    };

  describe('create and update', () => {
    it('creates in bulk with temporary guids resolved across the batch, also in a process`s inputs and outputs', async () => {
      const body = {
        entities: [
          // The process comes first and refers to tables defined after it.
          {
            typeName: 'contoso_copy',
            guid: '-3',
            attributes: {
              qualifiedName: 'adf://copy',
              name: 'copy',
              inputs: [{ guid: '-1' }],
              outputs: [{ guid: '-2', typeName: 'contoso_table' }],
            },
          },
          { ...table('orders'), guid: '-1' },
          { ...table('orders_copy'), guid: '-2' },
        ],
      };
      const result = (await t.http.post(`${ENTITY}/bulk?${V}`).set(t.curator).send(body).expect(200))
        .body as EntityMutationResult;
      expect(Object.keys(result.guidAssignments!).sort()).toEqual(['-1', '-2', '-3']);
      expect(result.mutatedEntities!.CREATE!.map((h) => h.typeName).sort()).toEqual([
        'contoso_copy',
        'contoso_table',
        'contoso_table',
      ]);
      Object.assign(guids, {
        orders: result.guidAssignments!['-1'],
        copyOut: result.guidAssignments!['-2'],
        process: result.guidAssignments!['-3'],
      });
      const process = (await getEntity(guids.process)).entity;
      expect(process.attributes.inputs).toEqual([
        { guid: guids.orders, typeName: 'contoso_table', uniqueAttributes: { qualifiedName: `${QN}/orders` } },
      ]);
      expect((process.attributes.outputs as { guid: string }[])[0].guid).toBe(guids.copyOut);
    });

    it('creates an entity with its referredEntities (Entity_Create shape), temporary guid keys included', async () => {
      const body = {
        entity: {
          typeName: 'contoso_copy',
          guid: '-20',
          attributes: { qualifiedName: 'adf://load', name: 'load', inputs: [{ guid: '-21' }], outputs: [] },
        },
        referredEntities: { '-21': table('customers') },
      };
      const result = (await t.http.post(`${ENTITY}?${V}`).set(t.curator).send(body).expect(200))
        .body as EntityMutationResult;
      expect(result.mutatedEntities!.CREATE).toHaveLength(2);
      guids.customers = result.guidAssignments!['-21'];
      const load = await getEntity(result.guidAssignments!['-20']);
      expect((load.entity.attributes.inputs as { guid: string }[])[0].guid).toBe(guids.customers);
    });

    it('reads object-id attributes back as Atlas object ids, whether sent by guid or by unique attributes', async () => {
      const customersId = { typeName: 'contoso_table', uniqueAttributes: { qualifiedName: `${QN}/customers` } };
      const body = {
        entities: [
          table('customers_eu'),
          {
            typeName: 'contoso_copy',
            attributes: {
              qualifiedName: 'adf://split',
              name: 'split',
              inputs: [{ guid: guids.customers }],
              outputs: [{ typeName: 'contoso_table', uniqueAttributes: { qualifiedName: `${QN}/customers_eu` } }],
            },
          },
        ],
      };
      const result = (await t.http.post(`${ENTITY}/bulk?${V}`).set(t.curator).send(body).expect(200))
        .body as EntityMutationResult;
      const created = result.mutatedEntities!.CREATE!;
      const eu = created.find((e) => e.typeName === 'contoso_table')!.guid;
      const split = await getEntity(created.find((e) => e.typeName === 'contoso_copy')!.guid);
      expect(split.entity.attributes.inputs).toEqual([{ guid: guids.customers, ...customersId }]);
      expect(split.entity.attributes.outputs).toEqual([
        { guid: eu, typeName: 'contoso_table', uniqueAttributes: { qualifiedName: `${QN}/customers_eu` } },
      ]);
    });

    it('updates by qualifiedName (unique per type) and reports UPDATE; the same qualifiedName of another type is another entity', async () => {
      const update = (
        await t.http
          .post(ENTITY)
          .set(t.curator)
          .send({ entity: table('orders', { rowCount: 10, tier: 'Gold' }) })
          .expect(200)
      ).body as EntityMutationResult;
      expect(update.mutatedEntities!.UPDATE![0]).toMatchObject({
        guid: guids.orders,
        typeName: 'contoso_table',
        status: 'ACTIVE',
      });
      const other = (
        await t.http
          .post(ENTITY)
          .set(t.curator)
          .send({ entity: { typeName: 'DataSet', attributes: { qualifiedName: `${QN}/orders`, name: 'orders' } } })
          .expect(200)
      ).body as EntityMutationResult;
      expect(other.mutatedEntities!.CREATE![0].guid).not.toBe(guids.orders);
    });

    it('changes nothing when one entity of a bulk create fails validation', async () => {
      const body = { entities: [table('a1'), table('a2'), table('a3', { rowCount: 'many' })] };
      const refused = await t.http.post(`${ENTITY}/bulk`).set(t.curator).send(body).expect(404);
      expect(refused.body).toEqual(
        atlasError('ATLAS-404-00-007', /contoso_table\.rowCount=many: invalid value for type long.*entities\[2\]/),
      );
      const found = await t.http
        .get(
          `${ENTITY}/bulk/uniqueAttribute/type/contoso_table?attr_1:qualifiedName=${encodeURIComponent(`${QN}/a1`)}&attr_2:qualifiedName=${encodeURIComponent(`${QN}/a2`)}`,
        )
        .set(t.reader)
        .expect(200);
      expect(found.body.entities).toEqual([]);
    });

    it('refuses unknown types, dangling temporary guids and Data Readers', async () => {
      const unknown = await t.http
        .post(ENTITY)
        .set(t.curator)
        .send({ entity: { typeName: 'no_such_type', attributes: { qualifiedName: 'x', name: 'x' } } })
        .expect(400);
      expect(unknown.body).toEqual(atlasError('ATLAS-400-00-014', 'Type ENTITY with name no_such_type does not exist'));
      const dangling = await t.http
        .post(`${ENTITY}/bulk`)
        .set(t.curator)
        .send({
          entities: [
            { typeName: 'contoso_copy', attributes: { qualifiedName: 'p', name: 'p', inputs: [{ guid: '-99' }] } },
          ],
        })
        .expect(400);
      expect(dangling.body).toEqual(atlasError('ATLAS-400-00-01A', /temporary guid -99/));
      await t.http
        .post(ENTITY)
        .set(t.reader)
        .send({ entity: table('nope') })
        .expect(403);
    });
  });

  describe('reads', () => {
    it('gets by guid, honouring minExtInfo and ignoreRelationships, and the header', async () => {
      const full = await getEntity(guids.orders);
      expect(full.entity).toMatchObject({
        guid: guids.orders,
        typeName: 'contoso_table',
        status: 'ACTIVE',
        attributes: { rowCount: 10, tier: 'Gold' },
      });
      expect(full.entity.relationshipAttributes).toEqual(expect.any(Object));
      expect((await getEntity(guids.orders, '?ignoreRelationships=true')).entity.relationshipAttributes).toEqual({});
      expect((await getEntity(guids.orders, '?minExtInfo=true')).referredEntities).toEqual({});
      const header = (
        await t.http
          .get(`${LEGACY}/guid/${guids.orders}/header?api-version=2022-03-01-preview`)
          .set(t.reader)
          .expect(200)
      ).body;
      expect(header).toMatchObject({
        guid: guids.orders,
        typeName: 'contoso_table',
        displayText: 'orders',
        classificationNames: [],
        status: 'ACTIVE',
      });
    });

    it('gets in bulk by guids and by unique attributes (attr_N:qualifiedName), and one by unique attribute', async () => {
      const bulk = (
        await t.http.get(`${ENTITY}/bulk?guid=${guids.orders}&guid=${guids.customers}&${V}`).set(t.reader).expect(200)
      ).body as { entities: AtlasEntity[] };
      expect(bulk.entities.map((e) => e.guid)).toEqual([guids.orders, guids.customers]);
      const byNames = (
        await t.http
          .get(
            `${ENTITY}/bulk/uniqueAttribute/type/contoso_table?attr_0:qualifiedName=${encodeURIComponent(`${QN}/customers`)}&attr_1:qualifiedName=${encodeURIComponent(`${QN}/orders`)}`,
          )
          .set(t.reader)
          .expect(200)
      ).body as { entities: AtlasEntity[] };
      expect(byNames.entities.map((e) => e.guid)).toEqual([guids.customers, guids.orders]);
      const one = (
        await t.http
          .get(uniqueUrl(ENTITY, 'contoso_table', `${QN}/orders`))
          .set(t.reader)
          .expect(200)
      ).body as { entity: AtlasEntity };
      expect(one.entity.guid).toBe(guids.orders);
      expect(
        (
          await t.http
            .get(uniqueUrl(ENTITY, 'contoso_table', `${QN}/none`))
            .set(t.reader)
            .expect(404)
        ).body,
      ).toEqual(
        atlasError(
          'ATLAS-404-00-009',
          `Instance contoso_table with unique attribute {qualifiedName=${QN}/none} does not exist`,
        ),
      );
      expect(
        (await t.http.get(`${ENTITY}/bulk?guid=${guids.orders}&guid=nope`).set(t.reader).expect(404)).body,
      ).toEqual(atlasError('ATLAS-404-00-005', 'Given instance guid nope is invalid/not found'));
    });
  });

  describe('partial updates', () => {
    it('updates one attribute by guid (PUT entity/guid/{guid}?name=) and reports PARTIAL_UPDATE', async () => {
      const result = (
        await t.http
          .put(`${ENTITY}/guid/${guids.orders}?name=rowCount&${V}`)
          .set(t.curator)
          .send(JSON.stringify(42))
          .type('json')
          .expect(200)
      ).body as EntityMutationResult;
      expect(result.mutatedEntities!.PARTIAL_UPDATE![0]).toMatchObject({
        guid: guids.orders,
        typeName: 'contoso_table',
      });
      expect(result.partialUpdatedEntities![0].guid).toBe(guids.orders);
      const described = await t.http
        .put(`${LEGACY}/guid/${guids.orders}?name=description&api-version=2022-08-01-preview`)
        .set(t.curator)
        .send(JSON.stringify('Orders by day'))
        .type('json')
        .expect(200);
      expect((described.body as EntityMutationResult).mutatedEntities!.PARTIAL_UPDATE).toHaveLength(1);
      expect((await getEntity(guids.orders)).entity.attributes).toMatchObject({
        rowCount: 42,
        description: 'Orders by day',
        tier: 'Gold',
        name: 'orders',
      });
    });

    it('refuses what Atlas refuses: unknown attribute, collections, wrong value, no name, unknown guid, readers', async () => {
      const put = (guid: string, query: string, value: unknown) =>
        t.http.put(`${ENTITY}/guid/${guid}${query}`).set(t.curator).send(JSON.stringify(value)).type('json');
      expect((await put(guids.orders, '?name=colour', 'red').expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-023', 'Attribute colour not found for type contoso_table'),
      );
      expect((await put(guids.orders, '?name=tags', ['a']).expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-027', 'contoso_table.tags : attribute update not supported'),
      );
      expect((await put(guids.orders, '?name=tier', 'Platinum').expect(404)).body).toEqual(
        atlasError('ATLAS-404-00-007', /contoso_table\.tier=Platinum: invalid value for type contoso_tier/),
      );
      expect((await put(guids.orders, '?name=name', '').expect(400)).body.errorCode).toBe('ATLAS-400-00-075');
      expect((await put(guids.orders, '', 1).expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-001', /query parameter name/),
      );
      expect((await put('nope', '?name=rowCount', 1).expect(404)).body.errorCode).toBe('ATLAS-404-00-005');
      await t.http.put(`${ENTITY}/guid/${guids.orders}?name=rowCount`).set(t.reader).send('1').type('json').expect(403);
    });

    it('updates by unique attribute: the body`s attributes overlay the entity`s (Entity_PartialUpdateByUniqueAttributes)', async () => {
      const url = uniqueUrl(ENTITY, 'contoso_table', `${QN}/customers`);
      const result = (
        await t.http
          .put(url)
          .set(t.curator)
          .send({
            entity: { typeName: 'contoso_table', attributes: { rowCount: 7, tier: 'Silver' } },
            referredEntities: {},
          })
          .expect(200)
      ).body as EntityMutationResult;
      expect(result.mutatedEntities!.PARTIAL_UPDATE![0].guid).toBe(guids.customers);
      expect((await getEntity(guids.customers)).entity.attributes).toMatchObject({
        name: 'customers',
        qualifiedName: `${QN}/customers`,
        rowCount: 7,
        tier: 'Silver',
      });
      expect(
        (
          await t.http
            .put(uniqueUrl(ENTITY, 'contoso_table', `${QN}/none`))
            .set(t.curator)
            .send({ entity: {} })
            .expect(404)
        ).body.errorCode,
      ).toBe('ATLAS-404-00-009');
      expect(
        (
          await t.http
            .put(url)
            .set(t.curator)
            .send({ entity: { typeName: 'DataSet', attributes: {} } })
            .expect(400)
        ).body.errorCode,
      ).toBe('ATLAS-400-00-010');
      expect(
        (
          await t.http
            .put(url)
            .set(t.curator)
            .send({ entity: { attributes: { rowCount: 'x' } } })
            .expect(404)
        ).body.errorCode,
      ).toBe('ATLAS-404-00-007');
      expect(
        (
          await t.http
            .put(`${ENTITY}/uniqueAttribute/type/contoso_table`)
            .set(t.curator)
            .send({ entity: {} })
            .expect(400)
        ).body.errorMessage,
      ).toContain('attr:qualifiedName');
    });
  });

  describe('deletes', () => {
    const search = async (keywords: string): Promise<string[]> =>
      (
        (await t.http.post(`/datamap/api/search/query?${V}`).set(t.reader).send({ keywords }).expect(200))
          .body as QueryResult
      ).value.map((v) => v.id);

    it('soft-deletes by unique attribute: a GET still returns it DELETED, search no longer shows it, updates are refused', async () => {
      expect(await search('customers')).toContain(guids.customers);
      const deleted = (
        await t.http
          .delete(uniqueUrl(ENTITY, 'contoso_table', `${QN}/customers`))
          .set(t.curator)
          .expect(200)
      ).body as EntityMutationResult;
      expect(deleted.mutatedEntities!.DELETE![0]).toMatchObject({ guid: guids.customers, status: 'DELETED' });
      expect((await getEntity(guids.customers)).entity.status).toBe('DELETED');
      expect(await search('customers')).not.toContain(guids.customers);
      const refused = await t.http
        .put(`${ENTITY}/guid/${guids.customers}?name=rowCount`)
        .set(t.curator)
        .send('1')
        .type('json')
        .expect(404);
      expect(refused.body).toEqual(
        atlasError('ATLAS-404-00-012', `Given instance guid ${guids.customers} has been deleted`),
      );
      // Deleting again changes nothing and reports nothing.
      expect((await t.http.delete(`${ENTITY}/guid/${guids.customers}`).set(t.curator).expect(200)).body).toEqual({});
    });

    it('deletes in bulk, all or nothing', async () => {
      const missing = await t.http.delete(`${ENTITY}/bulk?guid=${guids.orders}&guid=nope`).set(t.curator).expect(404);
      expect(missing.body.errorCode).toBe('ATLAS-404-00-005');
      expect((await getEntity(guids.orders)).entity.status).toBe('ACTIVE');
      const deleted = (
        await t.http.delete(`${LEGACY}/bulk?guid=${guids.orders}&guid=${guids.copyOut}`).set(t.curator).expect(200)
      ).body as EntityMutationResult;
      expect(deleted.mutatedEntities!.DELETE!.map((h) => h.guid).sort()).toEqual([guids.orders, guids.copyOut].sort());
      await t.http.delete(`${ENTITY}/guid/${guids.process}`).set(t.reader).expect(403);
    });
  });
});
