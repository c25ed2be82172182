import 'reflect-metadata';
import type {
  AtlasEntity,
  AtlasEntityWithExtInfo,
  AtlasTypesDef,
  BulkImportResult,
  EntityMutationResult,
} from '@purview-emulator/contracts';
import { BulkImportResultSchema } from '@purview-emulator/contracts';
import { DataMapHttp, atlasError, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const ENTITY = '/datamap/api/atlas/v2/entity';
const LEGACY = '/catalog/api/atlas/v2/entity';
const QN1 = 'mssql://contoso/sales/dbo/orders';
const QN2 = 'mssql://contoso/sales/dbo/customers';

const on = (types: string[]): Record<string, string> => ({ applicableEntityTypes: JSON.stringify(types) });

/** Business metadata defs as the Purview portal creates them (Type_BulkCreateBusinessMetadataDefs' options). */
const MODEL: AtlasTypesDef = {
  enumDefs: [{ name: 'contoso_tier', elementDefs: [{ value: 'Gold' }, { value: 'Silver' }] }],
  entityDefs: [{ name: 'contoso_table', superTypes: ['DataSet'] }],
  businessMetadataDefs: [
    {
      name: 'contoso_ops',
      attributeDefs: [
        {
          name: 'owner_team',
          typeName: 'string',
          isOptional: true,
          options: { ...on(['DataSet']), maxStrLength: '20' },
        },
        { name: 'reviewed', typeName: 'boolean', isOptional: true, options: on(['DataSet']) },
        { name: 'row_limit', typeName: 'int', isOptional: true, options: on(['contoso_table']) },
        {
          name: 'tags',
          typeName: 'array<string>',
          isOptional: true,
          options: { ...on(['DataSet']), maxStrLength: '10' },
        },
        { name: 'tier', typeName: 'contoso_tier', isOptional: true, options: on(['DataSet']) },
        { name: 'job_only', typeName: 'string', isOptional: true, options: { ...on(['Process']), maxStrLength: '50' } },
      ],
    },
    {
      name: 'contoso_gov',
      attributeDefs: [
        { name: 'steward', typeName: 'string', isOptional: false, options: { ...on(['DataSet']), maxStrLength: '50' } },
      ],
    },
    {
      name: 'contoso_jobs',
      attributeDefs: [
        { name: 'schedule', typeName: 'string', isOptional: true, options: { ...on(['Process']), maxStrLength: '50' } },
      ],
    },
  ],
};

/** Business metadata over HTTP through the whole app: per entity, per business metadata, and the CSV import. */
describe('entity business metadata over HTTP', () => {
  let dm: DataMapHttp;
  const guids: Record<string, string> = {};

  const entityOf = async (guid: string): Promise<AtlasEntity> =>
    ((await dm.http.get(`${ENTITY}/guid/${guid}?${V}`).set(dm.reader).expect(200)).body as AtlasEntityWithExtInfo)
      .entity;
  const bmOf = async (guid: string): Promise<unknown> => (await entityOf(guid)).businessAttributes;

  beforeAll(async () => {
    dm = await startDataMapHttp();
    await dm.http.post(`/datamap/api/atlas/v2/types/typedefs?${V}`).set(dm.curator).send(MODEL).expect(200);
    const entities = [QN1, QN2].map((qualifiedName, i) => ({
      typeName: 'contoso_table',
      guid: `-${i + 1}`,
      attributes: { qualifiedName, name: qualifiedName.split('/').pop() },
    }));
    const created = (await dm.http.post(`${ENTITY}/bulk?${V}`).set(dm.curator).send({ entities }).expect(200))
      .body as EntityMutationResult;
    guids.orders = created.guidAssignments!['-1'];
    guids.customers = created.guidAssignments!['-2'];
  });

  afterAll(async () => {
    await dm?.close();
  });

  describe('per entity', () => {
    it('adds values (Entity_AddOrUpdate_BusinessMetadata), normalized to their types, and stamps the entity', async () => {
      const before = await entityOf(guids.orders);
      expect(before.businessAttributes).toBeUndefined();
      const body = {
        contoso_ops: { owner_team: 'Sales Ops', reviewed: 'true', row_limit: '42', tags: ['pii', 'gold'], tier: 1 },
      };
      await dm.http.post(`${ENTITY}/guid/${guids.orders}/businessmetadata?${V}`).set(dm.curator).send(body).expect(204);
      const after = await entityOf(guids.orders);
      expect(after.businessAttributes).toEqual({
        contoso_ops: { owner_team: 'Sales Ops', reviewed: true, row_limit: 42, tags: ['pii', 'gold'], tier: 'Silver' },
      });
      expect(after.updateTime).toBeGreaterThanOrEqual(before.updateTime);
      // Bulk reads carry them too; an entity without any has no businessAttributes.
      const bulk = (
        await dm.http.get(`${ENTITY}/bulk?guid=${guids.orders}&guid=${guids.customers}&${V}`).set(dm.reader).expect(200)
      ).body as { entities: AtlasEntity[] };
      expect(bulk.entities.map((e) => e.businessAttributes)).toEqual([after.businessAttributes, undefined]);
    });

    it('updates one business metadata (Entity_AddOrUpdate_BusinessAttribute), merging; null removes a value', async () => {
      await dm.http
        .post(`${ENTITY}/guid/${guids.orders}/businessmetadata/contoso_ops?${V}`)
        .set(dm.curator)
        .send({ owner_team: 'Finance', tier: null })
        .expect(204);
      expect(await bmOf(guids.orders)).toEqual({
        contoso_ops: { owner_team: 'Finance', reviewed: true, row_limit: 42, tags: ['pii', 'gold'] },
      });
    });

    it('replaces everything with isOverwrite=true', async () => {
      await dm.http
        .post(`${ENTITY}/guid/${guids.orders}/businessmetadata?isOverwrite=true&${V}`)
        .set(dm.curator)
        .send({ contoso_gov: { steward: 'ada@contoso.com' } })
        .expect(204);
      expect(await bmOf(guids.orders)).toEqual({ contoso_gov: { steward: 'ada@contoso.com' } });
    });

    it('removes named attributes (Entity_RemoveBusinessAttribute) or a whole business metadata, under both prefixes', async () => {
      await dm.http
        .post(`${LEGACY}/guid/${guids.orders}/businessmetadata/contoso_ops?api-version=2022-08-01-preview`)
        .set(dm.curator)
        .send({ owner_team: 'Finance', reviewed: false })
        .expect(204);
      await dm.http
        .delete(`${ENTITY}/guid/${guids.orders}/businessmetadata/contoso_ops?${V}`)
        .set(dm.curator)
        .send({ owner_team: 'ignored value' })
        .expect(204);
      expect(await bmOf(guids.orders)).toEqual({
        contoso_gov: { steward: 'ada@contoso.com' },
        contoso_ops: { reviewed: false },
      });
      await dm.http
        .delete(`${LEGACY}/guid/${guids.orders}/businessmetadata`)
        .set(dm.curator)
        .send({ contoso_ops: {}, contoso_jobs: {} })
        .expect(204);
      expect(await bmOf(guids.orders)).toEqual({ contoso_gov: { steward: 'ada@contoso.com' } });
    });

    it('refuses values against the def with Atlas codes, writing nothing', async () => {
      const post = (body: unknown, query = '') =>
        dm.http
          .post(`${ENTITY}/guid/${guids.orders}/businessmetadata?${V}${query}`)
          .set(dm.curator)
          .send(body as object);
      expect((await post({ contoso_ops: { owner_team: 'ok', shoe_size: 44 } }).expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-023', 'Attribute shoe_size not found for type contoso_ops'),
      );
      expect((await post({ contoso_ops: { row_limit: 'many' } }).expect(404)).body).toEqual(
        atlasError(
          'ATLAS-404-00-007',
          'Invalid instance creation/updation parameters passed : [contoso_table.contoso_ops.row_limit=many: invalid value for type int]',
        ),
      );
      expect((await post({ contoso_ops: { owner_team: 'x'.repeat(21) } }).expect(404)).body.errorMessage).toContain(
        'contoso_table.contoso_ops.owner_team:  Business attribute-value exceeds maximum length limit',
      );
      expect(
        (await post({ contoso_ops: { tags: ['fine', 'much-too-long'] } }).expect(404)).body.errorMessage,
      ).toContain('exceeds maximum length limit');
      expect((await post({ contoso_ops: { tier: 'Bronze' } }).expect(404)).body.errorMessage).toContain(
        'tier=Bronze: invalid value for type contoso_tier',
      );
      // applicableEntityTypes: a Process-only attribute, a Process-only business metadata, one that does not exist.
      expect((await post({ contoso_ops: { job_only: 'x' } }).expect(400)).body.errorCode).toBe('ATLAS-400-00-095');
      expect((await post({ contoso_jobs: { schedule: 'daily' } }).expect(404)).body.errorMessage).toContain(
        'contoso_jobs: invalid business-metadata for entity type contoso_table',
      );
      expect((await post({ no_such_bm: { a: 1 } }).expect(404)).body.errorCode).toBe('ATLAS-404-00-007');
      // A mandatory attribute may not be left without a value when overwriting.
      expect((await post({ contoso_gov: {} }, '&isOverwrite=true').expect(404)).body.errorMessage).toContain(
        'contoso_table.contoso_gov.steward: mandatory business-metadata attribute value missing in type contoso_table',
      );
      expect(await bmOf(guids.orders)).toEqual({ contoso_gov: { steward: 'ada@contoso.com' } });
    });

    it('refuses empty or malformed bodies with ATLAS-400-00-01A, unknown guids with ATLAS-404-00-005, readers with 403', async () => {
      expect(
        (
          await dm.http
            .post(`${ENTITY}/guid/${guids.orders}/businessmetadata?${V}`)
            .set(dm.curator)
            .send({})
            .expect(400)
        ).body,
      ).toEqual(atlasError('ATLAS-400-00-01A', 'invalid parameters: businessAttributes is null/empty'));
      expect(
        (await dm.http.delete(`${ENTITY}/guid/${guids.orders}/businessmetadata?${V}`).set(dm.curator).expect(400)).body
          .errorCode,
      ).toBe('ATLAS-400-00-01A');
      expect(
        (
          await dm.http
            .post(`${ENTITY}/guid/${guids.orders}/businessmetadata?${V}`)
            .set(dm.curator)
            .send({ contoso_ops: 'x' })
            .expect(400)
        ).body.errorCode,
      ).toBe('ATLAS-400-00-01A');
      expect(
        (
          await dm.http
            .post(`${ENTITY}/guid/${guids.orders}/businessmetadata/contoso_ops?${V}`)
            .set(dm.curator)
            .send(['x'])
            .expect(400)
        ).body.errorCode,
      ).toBe('ATLAS-400-00-01A');
      expect(
        (
          await dm.http
            .post(`${ENTITY}/guid/nope/businessmetadata?${V}`)
            .set(dm.curator)
            .send({ contoso_ops: { reviewed: true } })
            .expect(404)
        ).body.errorCode,
      ).toBe('ATLAS-404-00-005');
      await dm.http
        .post(`${ENTITY}/guid/${guids.orders}/businessmetadata?${V}`)
        .set(dm.reader)
        .send({ contoso_ops: { reviewed: true } })
        .expect(403);
    });
  });

  it('keeps a business metadata def that entities use from being deleted (409 ATLAS-409-00-002)', async () => {
    await dm.http
      .post(`/datamap/api/atlas/v2/types/typedefs?${V}`)
      .set(dm.curator)
      .send({
        businessMetadataDefs: [
          {
            name: 'contoso_tmp',
            attributeDefs: [
              {
                name: 'note',
                typeName: 'string',
                isOptional: true,
                options: { ...on(['DataSet']), maxStrLength: '50' },
              },
            ],
          },
        ],
      })
      .expect(200);
    await dm.http
      .post(`${ENTITY}/guid/${guids.customers}/businessmetadata/contoso_tmp?${V}`)
      .set(dm.curator)
      .send({ note: 'temporary' })
      .expect(204);
    const refused = await dm.http
      .delete(`/datamap/api/atlas/v2/types/typedef/name/contoso_tmp?${V}`)
      .set(dm.curator)
      .expect(409);
    expect(refused.body).toEqual(
      atlasError(
        'ATLAS-409-00-002',
        `Given type contoso_tmp has references: 1 active entities carry its attributes, e.g. ${guids.customers} (${QN2})`,
      ),
    );
    await dm.http
      .delete(`${ENTITY}/guid/${guids.customers}/businessmetadata/contoso_tmp?${V}`)
      .set(dm.curator)
      .send({})
      .expect(204);
    await dm.http.delete(`/datamap/api/atlas/v2/types/typedef/name/contoso_tmp?${V}`).set(dm.curator).expect(204);
  });

  describe('CSV import', () => {
    const upload = (csv: string, fileName = 'bm.csv', prefix = ENTITY) =>
      dm.http.post(`${prefix}/businessmetadata/import?${V}`).set(dm.curator).attach('file', Buffer.from(csv), fileName);

    it('serves the template (Entity_GetSampleBusinessMetadataTemplate) to a Data Reader', async () => {
      const response = await dm.http
        .get(`${ENTITY}/businessmetadata/import/template?${V}`)
        .set(dm.reader)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done(null, text));
        })
        .expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/octet-stream/);
      expect(response.body).toBe(
        'EntityType,EntityUniqueAttributeValue,BusinessAttributeName,BusinessAttributeValue,EntityUniqueAttributeName[optional]',
      );
    });

    it('applies the good lines and reports each bad line with its reason (Entity_ImportBusinessMetadata)', async () => {
      const csv = [
        'EntityType,EntityUniqueAttributeValue,BusinessAttributeName,BusinessAttributeValue,EntityUniqueAttributeName[optional]',
        `contoso_table,${QN2},contoso_ops.owner_team,Data Platform`,
        `contoso_table,${QN2},contoso_ops.tags,pii|gold,qualifiedName`,
        `contoso_table,${QN1},contoso_ops.row_limit,not-a-number`,
        `contoso_table,mssql://contoso/nowhere,contoso_ops.owner_team,x`,
        `no_such_type,${QN1},contoso_ops.owner_team,x`,
        `contoso_table,${QN1},contoso_ops.shoe_size,44`,
        `contoso_table,${QN1}`,
        '',
        `contoso_table,"${QN1}",contoso_ops.row_limit,7`,
      ].join('\r\n');
      const result = (await upload(csv).expect(200)).body as BulkImportResult;
      expect(BulkImportResultSchema.parse(result)).toEqual(result);
      expect(result.successImportInfoList).toEqual([
        {
          parentObjectName: guids.customers,
          childObjectName: '{contoso_ops={owner_team=Data Platform, tags=[pii, gold]}}',
          importStatus: 'SUCCESS',
          remarks: '',
        },
        {
          parentObjectName: guids.orders,
          childObjectName: '{contoso_gov={steward=ada@contoso.com}, contoso_ops={row_limit=7}}',
          importStatus: 'SUCCESS',
          remarks: '',
        },
      ]);
      expect(result.failedImportInfoList.map((f) => f.remarks)).toEqual([
        'Line #4: contoso_table.contoso_ops.row_limit=not-a-number: invalid value for type int',
        'Line #5: no contoso_table entity found with qualifiedName=mssql://contoso/nowhere',
        "Line #6: invalid entity-type 'no_such_type'",
        "Line #7: invalid business-metadata 'contoso_ops.shoe_size' for entity type 'contoso_table'",
        `Line #8: missing fields. [contoso_table, ${QN1}]`,
      ]);
      expect(result.failedImportInfoList.every((f) => f.importStatus === 'FAILED' && f.parentObjectName === '')).toBe(
        true,
      );
      expect(await bmOf(guids.customers)).toEqual({
        contoso_ops: { owner_team: 'Data Platform', tags: ['pii', 'gold'] },
      });
      expect(await bmOf(guids.orders)).toEqual({
        contoso_gov: { steward: 'ada@contoso.com' },
        contoso_ops: { row_limit: 7 },
      });
    });

    it('works under the legacy prefix', async () => {
      const result = (
        await upload(`header\ncontoso_table,${QN2},contoso_ops.reviewed,TRUE\n`, 'legacy.CSV', LEGACY).expect(200)
      ).body as BulkImportResult;
      expect(result).toEqual({
        failedImportInfoList: [],
        successImportInfoList: [
          expect.objectContaining({ parentObjectName: guids.customers, importStatus: 'SUCCESS' }),
        ],
      });
      expect(await bmOf(guids.customers)).toMatchObject({ contoso_ops: { reviewed: true } });
    });

    it('refuses files Atlas refuses: not .csv, no data rows, malformed CSV, no file field, not multipart', async () => {
      expect((await upload('a,b,c,d', 'bm.xlsx').expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-098', /^The provided file type: bm.xlsx is not supported/),
      );
      expect((await upload('only,a,header\n').expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-09B', 'No data found in the uploaded file'),
      );
      expect((await upload('h\n"unclosed,quote,x,y\n').expect(400)).body.errorCode).toBe('ATLAS-400-00-09C');
      const noFile = await dm.http
        .post(`${ENTITY}/businessmetadata/import?${V}`)
        .set(dm.curator)
        .field('other', 'x')
        .expect(400);
      expect(noFile.body.errorCode).toBe('ATLAS-400-00-01A');
      const json = await dm.http
        .post(`${ENTITY}/businessmetadata/import?${V}`)
        .set(dm.curator)
        .send({ file: 'x' })
        .expect(400);
      expect(json.body.errorCode).toBe('ATLAS-400-00-01A');
      await dm.http
        .post(`${ENTITY}/businessmetadata/import?${V}`)
        .set(dm.reader)
        .attach('file', Buffer.from('h\na,b,c,d'), 'bm.csv')
        .expect(403);
    });
  });
});
