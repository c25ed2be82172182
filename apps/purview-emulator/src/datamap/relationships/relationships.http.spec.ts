import { blobAssets, blobServiceAsset, containerAsset, storageAccountAsset } from '@purview-emulator/scan-engine';
import { AtlasRelationshipSchema, AtlasRelationshipWithExtInfoSchema } from '@purview-emulator/contracts';
import type { AtlasRelationship, EntityMutationResult } from '@purview-emulator/contracts';
import { DataMapService } from '../datamap.service';
import { DataMapHttp, startDataMapHttp, ACCOUNT } from '../testing/datamap-http';

const ATLAS = '/datamap/api/atlas/v2';
const LEGACY = '/catalog/api/atlas/v2';
const BASE = 'https://acct.blob.core.windows.net';
const FILE = `${BASE}/data/sales.csv`;

type Related = {
  guid: string;
  typeName: string;
  relationshipType: string;
  relationshipGuid: string;
  relationshipStatus: string;
  relationshipAttributes: { typeName: string };
};

describe('relationships over HTTP', () => {
  let t: DataMapHttp;
  const guids: Record<string, string> = {};

  const entity = async (guid: string): Promise<{ relationshipAttributes: Record<string, unknown> }> =>
    (await t.http.get(`${ATLAS}/entity/guid/${guid}`).set(t.reader).expect(200)).body.entity as {
      relationshipAttributes: Record<string, unknown>;
    };
  const create = (body: unknown) =>
    t.http
      .post(`${ATLAS}/relationship`)
      .set(t.curator)
      .send(body as object);

  beforeAll(async () => {
    t = await startDataMapHttp({ account: ACCOUNT });
    // A scanned file with a schema of two columns, written as the scanner writes it.
    const assets = [
      storageAccountAsset('acct'),
      blobServiceAsset('acct', BASE),
      containerAsset(BASE, 'data'),
      ...blobAssets({
        base: BASE,
        container: 'data',
        blobName: 'sales.csv',
        size: 10,
        lastModified: new Date(0),
        columns: ['id', 'email'],
      }),
    ];
    await t.app.get(DataMapService).upsertAssets(assets, { updatedBy: 'scanner' });
    const search = async (typeName: string, qualifiedName: string): Promise<string> =>
      (
        (
          await t.http
            .get(`${ATLAS}/entity/uniqueAttribute/type/${typeName}`)
            .query({ 'attr:qualifiedName': qualifiedName })
            .set(t.reader)
            .expect(200)
        ).body as { entity: { guid: string } }
      ).entity.guid;
    guids.container = await search('azure_blob_container', `${BASE}/data`);
    guids.file = await search('azure_blob_path', FILE);
    guids.schema = await search('tabular_schema', `${FILE}#__tabular_schema`);
    guids.id = await search('column', `${FILE}#__tabular_schema//id`);
    const created = await t.http
      .post(`${ATLAS}/entity/bulk`)
      .set(t.curator)
      .send({
        entities: [
          {
            typeName: 'column',
            guid: '-1',
            attributes: { qualifiedName: `${FILE}#__tabular_schema//extra`, name: 'extra' },
          },
          {
            typeName: 'tabular_schema',
            guid: '-2',
            attributes: { qualifiedName: `${BASE}/data/other.csv#__tabular_schema`, name: 'other' },
          },
        ],
      })
      .expect(200);
    const assigned = (created.body as EntityMutationResult).guidAssignments!;
    guids.extra = assigned['-1'];
    guids.otherSchema = assigned['-2'];
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('scanned assets', () => {
    it('carry Purview relationships, shown from both ends with their relationship guid', async () => {
      const file = await entity(guids.file);
      const container = file.relationshipAttributes.container as Related;
      expect(container).toMatchObject({
        guid: guids.container,
        typeName: 'azure_blob_container',
        relationshipType: 'blob_container_paths',
        relationshipStatus: 'ACTIVE',
        relationshipAttributes: { typeName: 'blob_container_paths' },
      });
      expect(file.relationshipAttributes.tabular_schema).toMatchObject({
        guid: guids.schema,
        relationshipType: 'tabular_schema_datasets',
      });
      // Declared relationship attributes without relationships answer empty, as Purview's do.
      expect(file.relationshipAttributes).toMatchObject({
        meanings: [],
        inputToProcesses: [],
        outputFromProcesses: [],
      });

      const schema = await entity(guids.schema);
      expect((schema.relationshipAttributes.columns as Related[]).map((c) => c.typeName)).toEqual(['column', 'column']);
      expect((schema.relationshipAttributes.associatedDataSets as Related[]).map((d) => d.guid)).toEqual([guids.file]);
      expect(((await entity(guids.container)).relationshipAttributes.paths as Related[]).map((p) => p.guid)).toEqual([
        guids.file,
      ]);

      const column = await entity(guids.id);
      const link = column.relationshipAttributes.composeSchema as Related;
      expect(link).toMatchObject({ guid: guids.schema, relationshipType: 'tabular_schema_columns' });
      const read = await t.http.get(`${ATLAS}/relationship/guid/${link.relationshipGuid}`).set(t.reader).expect(200);
      expect(read.body.relationship).toMatchObject({
        typeName: 'tabular_schema_columns',
        end1: { guid: guids.schema },
        end2: { guid: guids.id },
        status: 'ACTIVE',
      });
    });

    it('re-ingesting the assets, changed, creates no second relationship', async () => {
      await t.app.get(DataMapService).upsertAssets(
        blobAssets({
          base: BASE,
          container: 'data',
          blobName: 'sales.csv',
          size: 11,
          lastModified: new Date(1),
          columns: ['id', 'email'],
        }),
        { updatedBy: 'scanner' },
      );
      expect(((await entity(guids.file)).relationshipAttributes.container as Related).guid).toBe(guids.container);
      expect(((await entity(guids.schema)).relationshipAttributes.columns as Related[]).length).toBe(2);
    });
  });

  describe('create, read, update, delete', () => {
    let created: AtlasRelationship;

    it('creates a relationship between entities named by guid or by unique attribute', async () => {
      const response = await create({
        typeName: 'tabular_schema_columns',
        guid: -100,
        attributes: {},
        end1: { guid: guids.schema },
        end2: { typeName: 'column', uniqueAttributes: { qualifiedName: `${FILE}#__tabular_schema//extra` } },
      }).expect(200);
      created = AtlasRelationshipSchema.parse(response.body);
      expect(created).toMatchObject({
        typeName: 'tabular_schema_columns',
        status: 'ACTIVE',
        end1: {
          guid: guids.schema,
          typeName: 'tabular_schema',
          uniqueAttributes: { qualifiedName: `${FILE}#__tabular_schema` },
        },
        end2: { guid: guids.extra, typeName: 'column' },
        version: 0,
      });
      expect(created.guid).toMatch(/^[0-9a-f-]{36}$/);
      expect(((await entity(guids.extra)).relationshipAttributes.composeSchema as Related).relationshipGuid).toBe(
        created.guid,
      );
      expect(((await entity(guids.schema)).relationshipAttributes.columns as Related[]).map((c) => c.guid)).toContain(
        guids.extra,
      );
    });

    it('reads it under both prefixes, with the ends’ headers when extendedInfo is asked', async () => {
      const plain = await t.http.get(`${ATLAS}/relationship/guid/${created.guid}`).set(t.reader).expect(200);
      expect(AtlasRelationshipWithExtInfoSchema.parse(plain.body).referredEntities).toEqual({});
      const extended = await t.http
        .get(`${LEGACY}/relationship/guid/${created.guid}?extendedInfo=true`)
        .set(t.reader)
        .expect(200);
      const body = AtlasRelationshipWithExtInfoSchema.parse(extended.body);
      expect(Object.keys(body.referredEntities).sort()).toEqual([guids.schema, guids.extra].sort());
      expect(body.referredEntities[guids.extra]).toMatchObject({ typeName: 'column', displayText: 'extra' });
    });

    it('updates its attributes, never its type or ends', async () => {
      const updated = await t.http
        .put(`${ATLAS}/relationship`)
        .set(t.curator)
        .send({ guid: created.guid, attributes: { note: 'checked' } })
        .expect(200);
      expect(updated.body).toMatchObject({ guid: created.guid, attributes: { note: 'checked' }, version: 1 });
      const typeChange = await t.http
        .put(`${ATLAS}/relationship`)
        .set(t.curator)
        .send({ guid: created.guid, typeName: 'tabular_schema_datasets' })
        .expect(404);
      expect(typeChange.body.errorCode).toBe('ATLAS-400-00-06A');
      const endChange = await t.http
        .put(`${ATLAS}/relationship`)
        .set(t.curator)
        .send({ guid: created.guid, end1: { guid: guids.otherSchema } })
        .expect(404);
      expect(endChange.body).toMatchObject({
        errorCode: 'ATLAS-400-00-069',
        errorMessage: expect.stringContaining(guids.otherSchema),
      });
      expect(
        (await t.http.put(`${ATLAS}/relationship`).set(t.curator).send({ attributes: {} }).expect(400)).body.errorCode,
      ).toBe('ATLAS-400-00-01A');
      expect(
        (await t.http.put(`${ATLAS}/relationship`).set(t.curator).send({ guid: 'no-such-guid' }).expect(404)).body
          .errorCode,
      ).toBe('ATLAS-404-00-00C');
    });

    it('refuses what Atlas refuses', async () => {
      const cases: [unknown, number, string][] = [
        [
          { typeName: 'no_such_relationship', end1: { guid: guids.schema }, end2: { guid: guids.id } },
          400,
          'ATLAS-400-00-014',
        ],
        [
          { typeName: 'azure_blob_path', end1: { guid: guids.schema }, end2: { guid: guids.id } },
          400,
          'ATLAS-400-00-014',
        ],
        [{ end1: { guid: guids.schema }, end2: { guid: guids.id } }, 400, 'ATLAS-400-00-01A'],
        [{ typeName: 'tabular_schema_columns', end1: { guid: guids.schema } }, 400, 'ATLAS-400-00-07D'],
        [
          { typeName: 'tabular_schema_columns', end1: { guid: 'missing' }, end2: { guid: guids.id } },
          404,
          'ATLAS-404-00-005',
        ],
        [
          {
            typeName: 'tabular_schema_columns',
            end1: { guid: guids.schema },
            end2: { typeName: 'column', uniqueAttributes: { qualifiedName: 'nope' } },
          },
          404,
          'ATLAS-404-00-009',
        ],
        [
          { typeName: 'tabular_schema_columns', end1: { guid: guids.id }, end2: { guid: guids.schema } },
          400,
          'ATLAS-400-00-036',
        ],
        [
          { typeName: 'tabular_schema_columns', end1: { guid: guids.schema }, end2: { guid: guids.extra } },
          409,
          'ATLAS-409-00-004',
        ],
        // A column belongs to one schema (composeSchema is SINGLE).
        [
          { typeName: 'tabular_schema_columns', end1: { guid: guids.otherSchema }, end2: { guid: guids.extra } },
          409,
          'ATLAS-409-00-004',
        ],
        [{ typeName: 'tabular_schema_columns', end1: 'x', end2: { guid: guids.id } }, 400, 'ATLAS-400-00-01A'],
        [[], 400, 'ATLAS-400-00-01A'],
      ];
      for (const [body, status, code] of cases) {
        const response = await create(body).expect(status);
        expect({ body, errorCode: response.body.errorCode }).toEqual({ body, errorCode: code });
        expect(response.body.requestId).toEqual(expect.any(String));
      }
    });

    it('deletes it (soft), once', async () => {
      await t.http.delete(`${ATLAS}/relationship/guid/${created.guid}`).set(t.curator).expect(204);
      expect(
        (await t.http.get(`${ATLAS}/relationship/guid/${created.guid}`).set(t.reader).expect(200)).body.relationship
          .status,
      ).toBe('DELETED');
      expect((await entity(guids.extra)).relationshipAttributes.composeSchema).toBeNull();
      expect(
        (await t.http.delete(`${ATLAS}/relationship/guid/${created.guid}`).set(t.curator).expect(404)).body.errorCode,
      ).toBe('ATLAS-404-00-00F');
      expect((await t.http.delete(`${LEGACY}/relationship/guid/nope`).set(t.curator).expect(404)).body.errorCode).toBe(
        'ATLAS-404-00-00C',
      );
      expect((await t.http.get(`${ATLAS}/relationship/guid/nope`).set(t.reader).expect(404)).body.errorCode).toBe(
        'ATLAS-404-00-00C',
      );
      // Now the column is free to join the other schema.
      await create({
        typeName: 'tabular_schema_columns',
        end1: { guid: guids.otherSchema },
        end2: { guid: guids.extra },
      }).expect(200);
    });
  });

  describe('entity writes', () => {
    it('refuse a relationship attribute naming an entity of the wrong type, writing nothing', async () => {
      const response = await t.http
        .post(`${ATLAS}/entity/bulk`)
        .set(t.curator)
        .send({
          entities: [
            { typeName: 'column', attributes: { qualifiedName: 'new-col-1', name: 'c1' } },
            {
              typeName: 'column',
              attributes: { qualifiedName: 'new-col-2', name: 'c2' },
              relationshipAttributes: {
                composeSchema: {
                  typeName: 'azure_blob_container',
                  uniqueAttributes: { qualifiedName: `${BASE}/data` },
                },
              },
            },
          ],
        })
        .expect(400);
      expect(response.body.errorCode).toBe('ATLAS-400-00-045');
      await t.http
        .get(`${ATLAS}/entity/uniqueAttribute/type/column`)
        .query({ 'attr:qualifiedName': 'new-col-1' })
        .set(t.reader)
        .expect(404);
    });

    it('move a SINGLE end: a column written into another schema leaves the first', async () => {
      await t.http
        .post(`${ATLAS}/entity`)
        .set(t.curator)
        .send({
          entity: {
            typeName: 'column',
            guid: guids.id,
            attributes: { qualifiedName: `${FILE}#__tabular_schema//id`, name: 'id' },
            relationshipAttributes: { composeSchema: { guid: guids.otherSchema } },
          },
        })
        .expect(200);
      expect(((await entity(guids.id)).relationshipAttributes.composeSchema as Related).guid).toBe(guids.otherSchema);
      expect(
        ((await entity(guids.schema)).relationshipAttributes.columns as Related[]).map((c) => c.guid),
      ).not.toContain(guids.id);
    });

    it('deleting an entity deletes its relationships', async () => {
      const link = (await entity(guids.file)).relationshipAttributes.container as Related;
      await t.http.delete(`${ATLAS}/entity/guid/${guids.file}`).set(t.curator).expect(200);
      expect(
        (await t.http.get(`${ATLAS}/relationship/guid/${link.relationshipGuid}`).set(t.reader).expect(200)).body
          .relationship.status,
      ).toBe('DELETED');
      expect((await entity(guids.container)).relationshipAttributes.paths).toEqual([]);
    });
  });

  it('lets Data Readers read and only Data Curators write', async () => {
    const body = { typeName: 'tabular_schema_columns', end1: { guid: guids.schema }, end2: { guid: guids.id } };
    await t.http.post(`${ATLAS}/relationship`).set(t.reader).send(body).expect(403);
    await t.http.put(`${ATLAS}/relationship`).set(t.reader).send({ guid: 'x' }).expect(403);
    await t.http.delete(`${ATLAS}/relationship/guid/x`).set(t.reader).expect(403);
    await t.http.get(`${ATLAS}/relationship/guid/x`).set(t.admin).expect(403);
    await t.http.get(`${ATLAS}/relationship/guid/x`).expect(401);
  });
});
