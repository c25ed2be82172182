import 'reflect-metadata';
import type { AtlasEntityDef, AtlasTypeDefHeader, AtlasTypesDef } from '@purview-emulator/contracts';
import { atlasError, DataMapHttp, startDataMapHttp } from '../testing/datamap-http';
import { MODEL } from './testing/contoso-model';

const V = 'api-version=2023-09-01';
const TYPES = '/datamap/api/atlas/v2/types';
const LEGACY = '/catalog/api/atlas/v2/types';

/**
 * The Type operations over HTTP through the whole app (real tokens, guards, error filter); the entity routes they
 * govern and deleting a model in use are in typedef-entities.http.spec.ts. Storage is not needed: Azurite's ports
 * point nowhere.
 */
describe('type definitions over HTTP', () => {
  let dm: DataMapHttp;
  let http: DataMapHttp['http'];
  const curator = (): Record<string, string> => dm.curator;
  const reader = (): Record<string, string> => dm.reader;

  beforeAll(async () => {
    dm = await startDataMapHttp();
    http = dm.http;
  });

  afterAll(() => dm?.close());

  describe('built-in types', () => {
    it('lists them with derived sub types and relationship attributes; term templates only when asked', async () => {
      const all = (await http.get(`${TYPES}/typedefs?${V}`).set(reader()).expect(200)).body as AtlasTypesDef;
      expect(Object.keys(all).sort()).toEqual([
        'businessMetadataDefs',
        'classificationDefs',
        'entityDefs',
        'enumDefs',
        'relationshipDefs',
        'structDefs',
      ]);
      const dataSet = all.entityDefs!.find((d) => d.name === 'DataSet') as AtlasEntityDef;
      expect(dataSet).toMatchObject({
        category: 'ENTITY',
        superTypes: ['Asset'],
        typeVersion: '1.0',
        version: 1,
        lastModifiedTS: '1',
      });
      expect(dataSet.subTypes).toEqual(expect.arrayContaining(['azure_blob_path', 'column', 'tabular_schema', 'Path']));
      expect(dataSet.relationshipAttributeDefs!.map((r) => r.name)).toEqual(
        expect.arrayContaining(['inputToProcesses', 'outputFromProcesses']),
      );
      expect(all.classificationDefs!.map((d) => d.name)).toEqual(
        expect.arrayContaining(['MICROSOFT.PERSONAL.EMAIL', 'MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER']),
      );
      const withTemplates = (
        await http.get(`${TYPES}/typedefs?${V}&includeTermTemplate=true`).set(reader()).expect(200)
      ).body as AtlasTypesDef;
      expect(withTemplates.termTemplateDefs).toEqual([]);
    });

    it('filters by category (any case), and refuses an unknown one with ATLAS-400-00-015', async () => {
      const entities = (await http.get(`${TYPES}/typedefs?type=entity`).set(reader()).expect(200))
        .body as AtlasTypesDef;
      expect(entities.entityDefs!.length).toBeGreaterThan(10);
      expect([entities.enumDefs, entities.classificationDefs, entities.relationshipDefs]).toEqual([[], [], []]);
      expect((await http.get(`${TYPES}/typedefs?type=PRIMITIVE`).set(reader()).expect(200)).body.entityDefs).toEqual(
        [],
      );
      const bad = await http.get(`${TYPES}/typedefs?type=COLOUR`).set(reader()).expect(400);
      expect(bad.body).toEqual(atlasError('ATLAS-400-00-015', /^Type Category COLOUR is invalid/));
    });

    it('lists headers', async () => {
      const headers = (
        await http
          .get(`${LEGACY}/typedefs/headers?api-version=2022-08-01-preview&type=RELATIONSHIP`)
          .set(reader())
          .expect(200)
      ).body as AtlasTypeDefHeader[];
      expect(headers).toContainEqual({
        category: 'RELATIONSHIP',
        guid: expect.any(String),
        name: 'process_dataset_outputs',
      });
      expect(new Set(headers.map((h) => h.category))).toEqual(new Set(['RELATIONSHIP']));
    });

    it('answers a primitive with ATLAS-400-00-024 and unknown names and guids with 404s', async () => {
      expect((await http.get(`${TYPES}/typedef/name/string`).set(reader()).expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-024', 'PRIMITIVE is a System-type'),
      );
      expect((await http.get(`${TYPES}/typedef/name/no_such_type`).set(reader()).expect(404)).body).toEqual(
        atlasError('ATLAS-404-00-001', 'Given typename no_such_type was invalid'),
      );
      expect(
        (await http.get(`${TYPES}/typedef/guid/00000000-0000-0000-0000-000000000000`).set(reader()).expect(404)).body,
      ).toEqual(atlasError('ATLAS-404-00-002'));
      // A type of another category is not found by the category's own route.
      expect((await http.get(`${TYPES}/classificationdef/name/DataSet`).set(reader()).expect(404)).body.errorCode).toBe(
        'ATLAS-404-00-001',
      );
    });

    it('cannot be changed or deleted', async () => {
      expect(
        (
          await http
            .put(`${TYPES}/typedefs`)
            .set(curator())
            .send({ entityDefs: [{ name: 'DataSet', superTypes: ['Asset'] }] })
            .expect(400)
        ).body,
      ).toEqual(atlasError('ATLAS-400-00-024', 'DataSet is a System-type'));
      expect(
        (await http.delete(`${TYPES}/typedef/name/MICROSOFT.PERSONAL.EMAIL`).set(curator()).expect(400)).body.errorCode,
      ).toBe('ATLAS-400-00-024');
    });
  });

  describe('a user model', () => {
    let created: AtlasTypesDef;

    it('is created in one POST, every category answered as stored', async () => {
      created = (await http.post(`${TYPES}/typedefs?${V}`).set(curator()).send(MODEL).expect(200)).body;
      expect(created.entityDefs!.map((d) => d.name)).toEqual(['contoso_db', 'contoso_table']);
      expect(created.entityDefs![1]).toMatchObject({
        category: 'ENTITY',
        version: 1,
        description: 'contoso_table',
        createdBy: expect.any(String),
        relationshipAttributeDefs: [expect.objectContaining({ name: 'db', relationshipTypeName: 'contoso_db_tables' })],
      });
      expect(created.entityDefs![1].attributeDefs![0]).toEqual({
        name: 'rowCount',
        typeName: 'long',
        isOptional: false,
        cardinality: 'SINGLE',
        valuesMinCount: 1,
        valuesMaxCount: 1,
        isUnique: false,
        isIndexable: false,
        includeInNotification: false,
      });
      expect(created.businessMetadataDefs![0]).toMatchObject({ category: 'BUSINESS_METADATA', name: 'contoso_ops' });
      expect(created.termTemplateDefs![0]).toMatchObject({ category: 'TERM_TEMPLATE', name: 'Contoso KPI' });
      expect(created.enumDefs![0].elementDefs).toEqual([
        { value: 'Gold', ordinal: 0 },
        { value: 'Silver', ordinal: 1 },
      ]);
    });

    it('is read back by every category route, by name and by guid, under both prefixes', async () => {
      const routes: [string, string, string][] = [
        ['enumdef', 'contoso_tier', created.enumDefs![0].guid!],
        ['structdef', 'contoso_window', created.structDefs![0].guid!],
        ['classificationdef', 'CONTOSO.CONFIDENTIAL', created.classificationDefs![0].guid!],
        ['entitydef', 'contoso_table', created.entityDefs![1].guid!],
        ['relationshipdef', 'contoso_db_tables', created.relationshipDefs![0].guid!],
        ['businessmetadatadef', 'contoso_ops', created.businessMetadataDefs![0].guid!],
        ['typedef', 'contoso_db', created.entityDefs![0].guid!],
      ];
      for (const [route, name, guid] of routes) {
        for (const prefix of [TYPES, LEGACY]) {
          expect(
            (
              await http
                .get(`${prefix}/${route}/name/${encodeURIComponent(name)}`)
                .set(reader())
                .expect(200)
            ).body,
          ).toMatchObject({ name, guid });
          expect((await http.get(`${prefix}/${route}/guid/${guid}`).set(reader()).expect(200)).body).toMatchObject({
            name,
            guid,
          });
        }
      }
      expect((await http.get(`${TYPES}/entitydef/name/contoso_db`).set(reader()).expect(200)).body.subTypes).toEqual(
        [],
      );
    });

    it('serves term templates at /datamap/api/types/termtemplatedef (api-version required) and the legacy catalog path', async () => {
      const guid = created.termTemplateDefs![0].guid!;
      expect(
        (await http.get(`/datamap/api/types/termtemplatedef/name/Contoso%20KPI?${V}`).set(reader()).expect(200)).body,
      ).toMatchObject({ guid, category: 'TERM_TEMPLATE' });
      expect(
        (await http.get(`/datamap/api/types/termtemplatedef/guid/${guid}?${V}`).set(reader()).expect(200)).body.name,
      ).toBe('Contoso KPI');
      const noVersion = await http
        .get('/datamap/api/types/termtemplatedef/name/Contoso%20KPI')
        .set(reader())
        .expect(400);
      expect(noVersion.headers['x-ms-error-code']).toBe('MissingApiVersionParameter');
      expect((await http.get(`${LEGACY}/termtemplatedef/guid/${guid}`).set(reader()).expect(200)).body.name).toBe(
        'Contoso KPI',
      );
      expect(
        (await http.get(`/datamap/api/types/termtemplatedef/name/contoso_db?${V}`).set(reader()).expect(404)).body
          .errorCode,
      ).toBe('ATLAS-404-00-001');
      expect(
        (await http.get(`${TYPES}/typedefs?type=term_template`).set(reader()).expect(200)).body.termTemplateDefs.map(
          (d: { name: string }) => d.name,
        ),
      ).toEqual(['Contoso KPI']);
    });

    it('refuses a second POST of a type that exists with ATLAS-409-00-001', async () => {
      const again = await http.post(`${TYPES}/typedefs`).set(curator()).send({ enumDefs: MODEL.enumDefs }).expect(409);
      expect(again.body).toEqual(atlasError('ATLAS-409-00-001', 'Given type contoso_tier already exists'));
    });

    it('writes nothing when one definition of a POST is invalid', async () => {
      const body = {
        entityDefs: [
          { name: 'contoso_view', superTypes: ['DataSet'] },
          { name: 'contoso_broken', superTypes: ['DataSet'], attributeDefs: [{ name: 'x', typeName: 'array<nope>' }] },
        ],
      };
      expect((await http.post(`${TYPES}/typedefs`).set(curator()).send(body).expect(400)).body).toEqual(
        atlasError('ATLAS-400-00-001', 'Unknown type array<nope> for contoso_broken.x'),
      );
      await http.get(`${TYPES}/typedef/name/contoso_view`).set(reader()).expect(404);
    });

    it('refuses malformed bodies and names in the Atlas shape, never echoing a huge name', async () => {
      expect(
        (
          await http
            .post(`${TYPES}/typedefs`)
            .set(curator())
            .send({ entityDefs: [{ superTypes: ['DataSet'] }] })
            .expect(400)
        ).body.errorCode,
      ).toBe('ATLAS-400-00-01A');
      const huge = await http
        .post(`${TYPES}/typedefs`)
        .set(curator())
        .send({ entityDefs: [{ name: 'x'.repeat(1_000_000) }] })
        .expect(400);
      expect(huge.body.errorCode).toBe('ATLAS-400-00-019');
      expect(huge.body.errorMessage.length).toBeLessThan(400);
    });

    it('is updated with PUT: attributes are added, the version moves on', async () => {
      const table = MODEL.entityDefs![1];
      const body = {
        entityDefs: [
          {
            ...table,
            attributeDefs: [...table.attributeDefs!, { name: 'comment', typeName: 'string', isOptional: true }],
          },
        ],
      };
      const updated = (await http.put(`${TYPES}/typedefs`).set(curator()).send(body).expect(200)).body as AtlasTypesDef;
      expect(updated.entityDefs![0]).toMatchObject({
        name: 'contoso_table',
        version: 2,
        lastModifiedTS: '2',
        guid: created.entityDefs![1].guid,
      });
      expect(
        (await http.get(`${TYPES}/entitydef/name/contoso_table`).set(reader()).expect(200)).body.attributeDefs.map(
          (a: { name: string }) => a.name,
        ),
      ).toContain('comment');
      expect(
        (
          await http
            .put(`${TYPES}/typedefs`)
            .set(curator())
            .send({ entityDefs: [{ name: 'never_created' }] })
            .expect(400)
        ).body,
      ).toEqual(atlasError('ATLAS-400-00-029', 'Given typename never_created was invalid'));
      expect(
        (
          await http
            .put(`${TYPES}/typedefs`)
            .set(curator())
            .send({ entityDefs: [{ ...table, attributeDefs: [] }] })
            .expect(400)
        ).body.errorCode,
      ).toBe('ATLAS-400-00-00D');
    });

    it('takes reads from a Data Reader and writes only from a Data Curator', async () => {
      const forbidden = await http
        .post(`${TYPES}/typedefs`)
        .set(reader())
        .send({ enumDefs: [{ name: 'readers_enum', elementDefs: [{ value: 'A' }] }] })
        .expect(403);
      expect(forbidden.body.errorMessage).toContain('Data Curator');
      await http.put(`${TYPES}/typedefs`).set(reader()).send(MODEL).expect(403);
      await http.delete(`${TYPES}/typedef/name/contoso_tier`).set(reader()).expect(403);
      await http.get(`${TYPES}/typedefs`).expect(401);
    });
  });
});
