import 'reflect-metadata';
import { atlasError, DataMapHttp, startDataMapHttp } from '../testing/datamap-http';
import { MODEL } from './testing/contoso-model';

const TYPES = '/datamap/api/atlas/v2/types';
const LEGACY = '/catalog/api/atlas/v2/types';
const ENTITY = '/datamap/api/atlas/v2/entity';
const QN = 'mssql://contoso.database.windows.net/sales/dbo';

/** Entities of a user model's types over HTTP through the whole app, and deleting the model (types in use refused). */
describe('a user model in use, over HTTP', () => {
  let dm: DataMapHttp;
  const http = () => dm.http;
  const curator = (): Record<string, string> => dm.curator;
  const reader = (): Record<string, string> => dm.reader;

  beforeAll(async () => {
    dm = await startDataMapHttp();
    await http().post(`${TYPES}/typedefs`).set(curator()).send(MODEL).expect(200);
  });

  afterAll(async () => {
    await dm?.close();
  });

  describe('entities of user types', () => {
    const tableEntity = (name: string, attributes: Record<string, unknown> = { rowCount: 5 }) => ({
      typeName: 'contoso_table',
      attributes: { qualifiedName: `${QN}/${name}`, name, ...attributes },
    });

    it('refuses an entity of an unknown type with ATLAS-400-00-014', async () => {
      const response = await http()
        .post(ENTITY)
        .set(curator())
        .send({ entity: { typeName: 'contoso_nothing', attributes: { qualifiedName: 'q', name: 'n' } } })
        .expect(400);
      expect(response.body).toEqual(
        atlasError('ATLAS-400-00-014', 'Type ENTITY with name contoso_nothing does not exist'),
      );
    });

    it('checks mandatory attributes and value types, writing nothing of a bulk that fails', async () => {
      const missing = await http()
        .post(ENTITY)
        .set(curator())
        .send({ entity: tableEntity('orders', {}) })
        .expect(404);
      expect(missing.body).toEqual(
        atlasError(
          'ATLAS-404-00-007',
          'Invalid instance creation/updation parameters passed : [contoso_table.rowCount: mandatory attribute value missing in type contoso_table] (entity)',
        ),
      );
      const bulk = { entities: [tableEntity('fine'), tableEntity('wrong', { rowCount: 5, tier: 'Platinum' })] };
      expect((await http().post(`${ENTITY}/bulk`).set(curator()).send(bulk).expect(404)).body.errorMessage).toContain(
        'contoso_table.tier=Platinum: invalid value for type contoso_tier',
      );
      await http()
        .get(`${ENTITY}/uniqueAttribute/type/contoso_table?attr:qualifiedName=${encodeURIComponent(`${QN}/fine`)}`)
        .set(reader())
        .expect(404);
      const classified = { entity: { ...tableEntity('c'), classifications: [{ typeName: 'CONTOSO.NOT_DEFINED' }] } };
      expect((await http().post(ENTITY).set(curator()).send(classified).expect(404)).body.errorCode).toBe(
        'ATLAS-404-00-008',
      );
    });

    it('creates valid entities, and keeps their types from being deleted while they are active', async () => {
      const body = {
        entity: {
          ...tableEntity('orders', { rowCount: '42', tier: 'Gold', retention: { days: 30 } }),
          classifications: [{ typeName: 'CONTOSO.CONFIDENTIAL' }],
        },
      };
      const guid = (await http().post(ENTITY).set(curator()).send(body).expect(200)).body.mutatedEntities.CREATE[0]
        .guid as string;
      const inUse = await http()
        .delete(`${TYPES}/typedefs`)
        .set(curator())
        .send({ entityDefs: [{ name: 'contoso_table' }], relationshipDefs: [{ name: 'contoso_db_tables' }] })
        .expect(409);
      expect(inUse.body).toEqual(
        atlasError(
          'ATLAS-409-00-002',
          `Given type contoso_table has references: 1 active entities of this type, e.g. ${guid} (${QN}/orders)`,
        ),
      );
      const classifiedWith = await http()
        .delete(`${TYPES}/typedef/name/CONTOSO.CONFIDENTIAL`)
        .set(curator())
        .expect(409);
      expect(classifiedWith.body.errorMessage).toContain(guid);
      await http().delete(`${ENTITY}/guid/${guid}`).set(curator()).expect(200);
      await http().delete(`${TYPES}/typedef/name/CONTOSO.CONFIDENTIAL`).set(curator()).expect(204);
    });
  });

  describe('deleting', () => {
    it('refuses types other types still use, naming them', async () => {
      expect((await http().delete(`${TYPES}/typedef/name/contoso_db`).set(curator()).expect(409)).body).toEqual(
        atlasError('ATLAS-409-00-005', 'Given type contoso_db has associated relationshipDefs: contoso_db_tables'),
      );
      expect((await http().delete(`${TYPES}/typedef/name/contoso_tier`).set(curator()).expect(409)).body).toEqual(
        atlasError('ATLAS-409-00-002', 'Given type contoso_tier has references: contoso_table (attribute type)'),
      );
      expect(
        (await http().delete(`${TYPES}/typedef/name/no_such_type`).set(curator()).expect(404)).body.errorCode,
      ).toBe('ATLAS-404-00-001');
      expect(
        (
          await http()
            .delete(`${TYPES}/typedefs`)
            .set(curator())
            .send({ entityDefs: [{ guid: 'not-a-type' }] })
            .expect(404)
        ).body.errorCode,
      ).toBe('ATLAS-404-00-002');
      expect((await http().delete(`${TYPES}/typedefs`).set(curator()).send({}).expect(400)).body.errorCode).toBe(
        'ATLAS-400-00-01A',
      );
    });

    it('deletes a model together in one request, all or nothing', async () => {
      // The built-in DataSet in the same request makes it fail whole: nothing is deleted.
      await http()
        .delete(`${TYPES}/typedefs`)
        .set(curator())
        .send({
          entityDefs: [{ name: 'contoso_db' }, { name: 'DataSet' }],
          relationshipDefs: [{ name: 'contoso_db_tables' }],
        })
        .expect(400);
      await http().get(`${TYPES}/relationshipdef/name/contoso_db_tables`).set(reader()).expect(200);
      const everything = { ...MODEL, classificationDefs: [] };
      await http().delete(`${LEGACY}/typedefs`).set(curator()).send(everything).expect(204);
      for (const name of [
        'contoso_db',
        'contoso_table',
        'contoso_tier',
        'contoso_window',
        'contoso_db_tables',
        'contoso_ops',
      ])
        await http().get(`${TYPES}/typedef/name/${name}`).set(reader()).expect(404);
      expect(
        (await http().get(`${TYPES}/typedefs?includeTermTemplate=true`).set(reader()).expect(200)).body
          .termTemplateDefs,
      ).toEqual([]);
    });
  });
});
