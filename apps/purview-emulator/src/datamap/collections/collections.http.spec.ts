import { CollectionListSchema, CollectionSchema } from '@purview-emulator/contracts';
import type { EntityMutationResult } from '@purview-emulator/contracts';
import { ACCOUNT, DataMapHttp, startDataMapHttp } from '../testing/datamap-http';

const ATLAS = '/datamap/api/atlas/v2';
const COLLECTIONS = '/account/collections';
const AV = 'api-version=2019-11-01-preview';
const MOVE = '/datamap/api/entity/moveTo';

describe('collections over HTTP', () => {
  let t: DataMapHttp;
  const guids: string[] = [];
  const collectionOf = async (guid: string): Promise<string> =>
    (
      (await t.http.get(`${ATLAS}/entity/guid/${guid}`).set(t.reader).expect(200)).body as {
        entity: { collectionId: string };
      }
    ).entity.collectionId;

  beforeAll(async () => {
    t = await startDataMapHttp({ account: ACCOUNT });
    const created = await t.http
      .post(`${ATLAS}/entity/bulk`)
      .set(t.curator)
      .send({
        entities: [1, 2, 3].map((i) => ({
          typeName: 'DataSet',
          guid: `-${i}`,
          attributes: { qualifiedName: `collections://ds${i}`, name: `ds${i}` },
        })),
      })
      .expect(200);
    const assigned = (created.body as EntityMutationResult).guidAssignments!;
    guids.push(assigned['-1'], assigned['-2'], assigned['-3']);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists the root collection, named after the account, and entities start in it', async () => {
    const list = CollectionListSchema.parse((await t.http.get(`${COLLECTIONS}?${AV}`).set(t.reader).expect(200)).body);
    expect(list).toMatchObject({
      count: 1,
      value: [{ name: ACCOUNT, friendlyName: ACCOUNT, collectionProvisioningState: 'Succeeded' }],
    });
    expect(list.value[0].parentCollection).toBeUndefined();
    expect(await collectionOf(guids[0])).toBe(ACCOUNT);
  });

  it('creates, reads, updates and lists collections (Collection Admin)', async () => {
    const finance = await t.http
      .put(`${COLLECTIONS}/finance?${AV}`)
      .set(t.admin)
      .send({ friendlyName: 'Finance', parentCollection: { referenceName: ACCOUNT } })
      .expect(200);
    expect(CollectionSchema.parse(finance.body)).toMatchObject({
      name: 'finance',
      friendlyName: 'Finance',
      parentCollection: { referenceName: ACCOUNT, type: 'CollectionReference' },
    });
    await t.http
      .put(`${COLLECTIONS}/payroll?${AV}`)
      .set(t.admin)
      .send({ friendlyName: 'Payroll', parentCollection: { referenceName: 'finance', type: 'CollectionReference' } })
      .expect(200);
    const renamed = await t.http
      .put(`${COLLECTIONS}/payroll?${AV}`)
      .set(t.admin)
      .send({ friendlyName: 'Payroll EU', description: 'people', parentCollection: { referenceName: 'finance' } })
      .expect(200);
    expect(renamed.body).toMatchObject({ friendlyName: 'Payroll EU', description: 'people' });
    expect((await t.http.get(`${COLLECTIONS}/PAYROLL?${AV}`).set(t.reader).expect(200)).body).toMatchObject({
      name: 'payroll',
      parentCollection: { referenceName: 'finance' },
    });
    const list = CollectionListSchema.parse((await t.http.get(`${COLLECTIONS}?${AV}`).set(t.curator).expect(200)).body);
    expect(list.value.map((c) => c.name)).toEqual([ACCOUNT, 'finance', 'payroll']);
    expect(
      (await t.http.get(`${COLLECTIONS}/finance/getChildCollectionNames?${AV}`).set(t.reader).expect(200)).body,
    ).toEqual({ value: [{ name: 'payroll', friendlyName: 'Payroll EU' }], count: 1 });
    expect((await t.http.get(`${COLLECTIONS}/payroll/getCollectionPath?${AV}`).set(t.reader).expect(200)).body).toEqual(
      { parentNameChain: [ACCOUNT, 'finance'], parentFriendlyNameChain: [ACCOUNT, 'Finance'] },
    );
  });

  it('refuses bad collections in the account plane’s error shape', async () => {
    const cases: [string, string, unknown, number][] = [
      ['put', `${COLLECTIONS}/bad name`, {}, 400],
      ['put', `${COLLECTIONS}/orphan`, { parentCollection: { referenceName: 'nowhere' } }, 400],
      ['put', `${COLLECTIONS}/finance`, { parentCollection: { referenceName: 'payroll' } }, 400],
      ['put', `${COLLECTIONS}/finance`, { friendlyName: 42 }, 400],
      ['put', `${COLLECTIONS}/${ACCOUNT}`, { friendlyName: 'Root' }, 400],
      ['get', `${COLLECTIONS}/nowhere`, undefined, 404],
      ['delete', `${COLLECTIONS}/nowhere`, undefined, 404],
      ['delete', `${COLLECTIONS}/${ACCOUNT}`, undefined, 400],
      ['delete', `${COLLECTIONS}/finance`, undefined, 409],
    ];
    for (const [method, url, body, status] of cases) {
      const call =
        method === 'put'
          ? t.http.put(`${url}?${AV}`).send(body as object)
          : method === 'get'
            ? t.http.get(`${url}?${AV}`)
            : t.http.delete(`${url}?${AV}`);
      const response = await call.set(t.admin);
      expect({ url, body, status: response.status }).toEqual({ url, body, status });
      expect(response.body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
    }
  });

  it('moves entities with entity/moveTo and the legacy moveHere', async () => {
    const moved = await t.http
      .post(`${MOVE}?collectionId=payroll&api-version=2023-09-01`)
      .set(t.curator)
      .send({ entityGuids: [guids[0], guids[1]] })
      .expect(200);
    const result = moved.body as EntityMutationResult;
    expect(result.mutatedEntities?.UPDATE?.map((h) => h.guid).sort()).toEqual([guids[0], guids[1]].sort());
    expect(await collectionOf(guids[0])).toBe('payroll');
    // Moving an entity where it already is changes nothing.
    expect(
      (
        await t.http
          .post(`${MOVE}?collectionId=payroll&api-version=2023-09-01`)
          .set(t.curator)
          .send({ entityGuids: [guids[0]] })
          .expect(200)
      ).body,
    ).toEqual({});
    await t.http
      .post(`/catalog/api/collections/finance/entity/moveHere?api-version=2022-03-01-preview`)
      .set(t.curator)
      .send({ entityGuids: [guids[2]] })
      .expect(200);
    expect(await collectionOf(guids[2])).toBe('finance');
    const search = await t.http
      .post('/datamap/api/search/query?api-version=2023-09-01')
      .set(t.reader)
      .send({ keywords: '*', filter: { collectionId: 'payroll' } })
      .expect(200);
    expect((search.body as { value: { id: string }[] }).value.map((v) => v.id).sort()).toEqual(
      [guids[0], guids[1]].sort(),
    );
  });

  it('refuses bad moves with Atlas codes, moving nothing', async () => {
    const cases: [string, unknown, number, string][] = [
      [`${MOVE}?api-version=2023-09-01`, { entityGuids: [guids[0]] }, 400, 'ATLAS-400-00-01A'],
      [`${MOVE}?collectionId=nowhere&api-version=2023-09-01`, { entityGuids: [guids[0]] }, 400, 'ATLAS-400-00-01A'],
      [`${MOVE}?collectionId=finance&api-version=2023-09-01`, { entityGuids: [] }, 400, 'ATLAS-400-00-01A'],
      [`${MOVE}?collectionId=finance&api-version=2023-09-01`, { guids: [guids[0]] }, 400, 'ATLAS-400-00-01A'],
      [
        `${MOVE}?collectionId=finance&api-version=2023-09-01`,
        { entityGuids: [guids[0], 'no-such-guid'] },
        404,
        'ATLAS-404-00-005',
      ],
    ];
    for (const [url, body, status, code] of cases) {
      const response = await t.http
        .post(url)
        .set(t.curator)
        .send(body as object);
      expect({ url, body, status: response.status, errorCode: response.body.errorCode }).toEqual({
        url,
        body,
        status,
        errorCode: code,
      });
    }
    expect(await collectionOf(guids[0])).toBe('payroll');
    expect(
      (
        await t.http
          .post(`${MOVE}?collectionId=finance`)
          .set(t.curator)
          .send({ entityGuids: [guids[0]] })
          .expect(400)
      ).body.errorMessage,
    ).toMatch(/api-version/);
  });

  it('deletes a collection once it holds no entities and no children', async () => {
    await t.http.delete(`${COLLECTIONS}/payroll?${AV}`).set(t.admin).expect(409);
    await t.http
      .post(`${MOVE}?collectionId=${ACCOUNT}&api-version=2023-09-01`)
      .set(t.curator)
      .send({ entityGuids: [guids[0], guids[1]] })
      .expect(200);
    await t.http.delete(`${COLLECTIONS}/payroll?${AV}`).set(t.admin).expect(204);
    await t.http.get(`${COLLECTIONS}/payroll?${AV}`).set(t.admin).expect(404);
  });

  it('lets Collection Admins write collections and Data Curators move entities', async () => {
    await t.http.put(`${COLLECTIONS}/marketing?${AV}`).set(t.curator).send({}).expect(403);
    await t.http.delete(`${COLLECTIONS}/finance?${AV}`).set(t.reader).expect(403);
    await t.http
      .post(`${MOVE}?collectionId=finance&api-version=2023-09-01`)
      .set(t.admin)
      .send({ entityGuids: [guids[0]] })
      .expect(403);
    await t.http
      .post(`${MOVE}?collectionId=finance&api-version=2023-09-01`)
      .set(t.reader)
      .send({ entityGuids: [guids[0]] })
      .expect(403);
    await t.http.get(`${COLLECTIONS}?${AV}`).expect(401);
  });
});
