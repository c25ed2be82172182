import 'reflect-metadata';
import type { AtlasEntityHeader, AtlasEntityWithExtInfo, EntityMutationResult } from '@purview-emulator/contracts';
import { DataMapHttp, atlasError, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const ENTITY = '/datamap/api/atlas/v2/entity';
const LEGACY = '/catalog/api/atlas/v2/entity';
const QN = 'https://contoso.blob.core.windows.net/sales/2024/orders.csv';

/** Labels over HTTP through the whole app (tokens, role guard, api-version guard, Atlas error filter). */
describe('entity labels over HTTP', () => {
  let dm: DataMapHttp;
  let guid: string;

  const labelsOf = async (id: string): Promise<string[]> =>
    ((await dm.http.get(`${ENTITY}/guid/${id}?${V}`).set(dm.reader).expect(200)).body as AtlasEntityWithExtInfo).entity
      .labels;

  beforeAll(async () => {
    dm = await startDataMapHttp();
    await dm.http
      .post(`/datamap/api/atlas/v2/types/typedefs?${V}`)
      .set(dm.curator)
      .send({ entityDefs: [{ name: 'contoso_file', superTypes: ['DataSet'] }] })
      .expect(200);
    const created = (
      await dm.http
        .post(`${ENTITY}?${V}`)
        .set(dm.curator)
        .send({
          entity: { typeName: 'contoso_file', guid: '-1', attributes: { qualifiedName: QN, name: 'orders.csv' } },
        })
        .expect(200)
    ).body as EntityMutationResult;
    guid = created.guidAssignments!['-1'];
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('PUT adds labels (a set: repeats are kept once) and entity reads, headers and search show them', async () => {
    await dm.http.put(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).send(['label1', 'label2']).expect(204);
    await dm.http.put(`${ENTITY}/guid/${guid}/labels`).set(dm.curator).send(['label2', 'label3', 'label3']).expect(204);
    expect(await labelsOf(guid)).toEqual(['label1', 'label2', 'label3']);
    const header = (await dm.http.get(`${ENTITY}/guid/${guid}/header?${V}`).set(dm.reader).expect(200))
      .body as AtlasEntityHeader;
    expect(header.labels).toEqual(['label1', 'label2', 'label3']);
    const search = await dm.http
      .post(`/datamap/api/search/query?${V}`)
      .set(dm.reader)
      .send({ keywords: 'orders.csv' })
      .expect(200);
    expect(search.body.value[0]).toMatchObject({ id: guid, label: ['label1', 'label2', 'label3'] });
  });

  it('DELETE removes the labels given (Entity_RemoveLabels), ignoring ones the entity lacks', async () => {
    await dm.http
      .delete(`${ENTITY}/guid/${guid}/labels?${V}`)
      .set(dm.curator)
      .send(['label1', 'label2', 'never-added'])
      .expect(204);
    expect(await labelsOf(guid)).toEqual(['label3']);
  });

  it('POST sets the labels; an empty or absent body clears them', async () => {
    await dm.http.post(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).send(['gold', 'pii_free']).expect(204);
    expect(await labelsOf(guid)).toEqual(['gold', 'pii_free']);
    await dm.http.post(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).send([]).expect(204);
    expect(await labelsOf(guid)).toEqual([]);
    await dm.http.post(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).send(['gold']).expect(204);
    await dm.http.post(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).expect(204);
    expect(await labelsOf(guid)).toEqual([]);
  });

  it('works by unique attribute (Entity_AddLabelsByUniqueAttribute), also under the legacy catalog prefix', async () => {
    const byQn = `uniqueAttribute/type/contoso_file/labels?attr:qualifiedName=${encodeURIComponent(QN)}`;
    await dm.http.put(`${ENTITY}/${byQn}&${V}`).set(dm.curator).send(['label3']).expect(204);
    await dm.http.put(`${LEGACY}/${byQn}&api-version=2022-08-01-preview`).set(dm.curator).send(['sales']).expect(204);
    expect(await labelsOf(guid)).toEqual(['label3', 'sales']);
    await dm.http.delete(`${LEGACY}/${byQn}`).set(dm.curator).send(['label3']).expect(204);
    await dm.http.post(`${ENTITY}/${byQn}&${V}`).set(dm.curator).send(['sales', '数据_2024']).expect(204);
    expect(await labelsOf(guid)).toEqual(['sales', '数据_2024']);
  });

  it('refuses labels as Atlas does, changing nothing: bad characters (ATLAS-400-00-090), over 50 long (ATLAS-400-00-08F)', async () => {
    const bad = await dm.http
      .put(`${ENTITY}/guid/${guid}/labels?${V}`)
      .set(dm.curator)
      .send(['fine', 'has space'])
      .expect(400);
    expect(bad.body).toEqual(
      atlasError(
        'ATLAS-400-00-090',
        "Invalid label: has space, label should contain alphanumeric characters, '_' or '-'",
      ),
    );
    await dm.http.post(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).send(['semi;colon']).expect(400);
    const long = await dm.http
      .post(`${ENTITY}/guid/${guid}/labels?${V}`)
      .set(dm.curator)
      .send(['x'.repeat(51)])
      .expect(400);
    expect(long.body).toEqual(
      atlasError('ATLAS-400-00-08F', `Invalid label: ${'x'.repeat(51)}, label size should not be greater than 50`),
    );
    await dm.http
      .post(`${ENTITY}/guid/${guid}/labels?${V}`)
      .set(dm.curator)
      .send(['x'.repeat(50)])
      .expect(204);
    expect(await labelsOf(guid)).toEqual(['x'.repeat(50)]);
  });

  it('checks labels sent with an entity on create and update as well', async () => {
    const entity = {
      typeName: 'contoso_file',
      attributes: { qualifiedName: `${QN}.bak`, name: 'orders.bak' },
      labels: ['ok', 'not ok'],
    };
    const refused = await dm.http.post(`${ENTITY}?${V}`).set(dm.curator).send({ entity }).expect(400);
    expect(refused.body.errorCode).toBe('ATLAS-400-00-090');
    await dm.http
      .post(`${ENTITY}?${V}`)
      .set(dm.curator)
      .send({ entity: { ...entity, labels: ['ok'] } })
      .expect(200);
  });

  it('refuses bodies that are not arrays of strings, and an empty removal, with ATLAS-400-00-01A', async () => {
    expect(
      (
        await dm.http
          .put(`${ENTITY}/guid/${guid}/labels?${V}`)
          .set(dm.curator)
          .send({ labels: ['a'] })
          .expect(400)
      ).body.errorCode,
    ).toBe('ATLAS-400-00-01A');
    expect(
      (await dm.http.put(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).send([1, 2]).expect(400)).body.errorCode,
    ).toBe('ATLAS-400-00-01A');
    const empty = await dm.http.delete(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).send([]).expect(400);
    expect(empty.body).toEqual(atlasError('ATLAS-400-00-01A', 'invalid parameters: labels is null/empty'));
    // Adding nothing is a no-op (the spec: "If labels is null/empty, no labels will be added").
    await dm.http.put(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.curator).send([]).expect(204);
  });

  it('answers unknown entities and types with Atlas 404s and 400s', async () => {
    const unknownGuid = await dm.http
      .put(`${ENTITY}/guid/00000000-0000-0000-0000-000000000000/labels?${V}`)
      .set(dm.curator)
      .send(['a'])
      .expect(404);
    expect(unknownGuid.body).toEqual(
      atlasError('ATLAS-404-00-005', 'Given instance guid 00000000-0000-0000-0000-000000000000 is invalid/not found'),
    );
    const unknownQn = await dm.http
      .put(`${ENTITY}/uniqueAttribute/type/contoso_file/labels?attr:qualifiedName=nope&${V}`)
      .set(dm.curator)
      .send(['a'])
      .expect(404);
    expect(unknownQn.body.errorCode).toBe('ATLAS-404-00-009');
    const unknownType = await dm.http
      .put(`${ENTITY}/uniqueAttribute/type/no_such_type/labels?attr:qualifiedName=${encodeURIComponent(QN)}&${V}`)
      .set(dm.curator)
      .send(['a'])
      .expect(400);
    expect(unknownType.body).toEqual(
      atlasError('ATLAS-400-00-014', 'Type ENTITY with name no_such_type does not exist'),
    );
    const noQn = await dm.http
      .put(`${ENTITY}/uniqueAttribute/type/contoso_file/labels?${V}`)
      .set(dm.curator)
      .send(['a'])
      .expect(400);
    expect(noQn.body.errorCode).toBe('ATLAS-400-00-01A');
  });

  it('takes a Data Curator: a Data Reader gets 403, no token 401, an unknown api-version 400', async () => {
    await dm.http.put(`${ENTITY}/guid/${guid}/labels?${V}`).set(dm.reader).send(['a']).expect(403);
    await dm.http.post(`${ENTITY}/guid/${guid}/labels?${V}`).send(['a']).expect(401);
    await dm.http.put(`${ENTITY}/guid/${guid}/labels?api-version=2099-01-01`).set(dm.curator).send(['a']).expect(400);
  });
});
