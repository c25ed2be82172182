import 'reflect-metadata';
import type { AtlasTypesDef, EntityMutationResult, QueryResult } from '@purview-emulator/contracts';
import { DataMapHttp, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const ENTITY = '/datamap/api/atlas/v2/entity';

const MODEL: AtlasTypesDef = {
  businessMetadataDefs: [
    {
      name: 'ops',
      attributeDefs: [
        {
          name: 'team',
          typeName: 'string',
          isOptional: true,
          options: { applicableEntityTypes: '["DataSet"]', maxStrLength: '50' },
        },
        {
          name: 'regions',
          typeName: 'array<string>',
          isOptional: true,
          options: { applicableEntityTypes: '["DataSet"]', maxStrLength: '50' },
        },
      ],
    },
  ],
};

/** Keywords match business metadata values, and the index follows every way of writing them at once. */
describe('business metadata values in search', () => {
  let dm: DataMapHttp;
  let guid: string;

  const found = async (keywords: string): Promise<string[]> =>
    (
      (await dm.http.post(`/datamap/api/search/query?${V}`).set(dm.reader).send({ keywords }).expect(200))
        .body as QueryResult
    ).value.map((v) => v.name);

  beforeAll(async () => {
    dm = await startDataMapHttp();
    await dm.http.post(`/datamap/api/atlas/v2/types/typedefs?${V}`).set(dm.curator).send(MODEL).expect(200);
    const created = (
      await dm.http
        .post(`${ENTITY}?${V}`)
        .set(dm.curator)
        .send({
          entity: {
            typeName: 'DataSet',
            attributes: { qualifiedName: 'bm://search/orders', name: 'orders' },
            businessAttributes: { ops: { team: 'Treasury Analytics', regions: ['Westeurope', 'Eastasia'] } },
          },
        })
        .expect(200)
    ).body as EntityMutationResult;
    guid = created.mutatedEntities!.CREATE![0].guid;
    await dm.http
      .post(`${ENTITY}?${V}`)
      .set(dm.curator)
      .send({ entity: { typeName: 'DataSet', attributes: { qualifiedName: 'bm://search/other', name: 'other' } } })
      .expect(200);
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('finds an entity by a value written with the entity, including values of arrays and short words', async () => {
    expect(await found('treasury')).toEqual(['orders']);
    expect(await found('eastasia analytics')).toEqual(['orders']);
    expect(await found('Tr')).toEqual(['orders']);
  });

  it('follows the businessmetadata routes at once: added, replaced and removed values', async () => {
    await dm.http
      .post(`${ENTITY}/guid/${guid}/businessmetadata?isOverwrite=true&${V}`)
      .set(dm.curator)
      .send({ ops: { team: 'Logistics' } })
      .expect(204);
    expect(await found('logistics')).toEqual(['orders']);
    expect(await found('treasury')).toEqual([]);
    await dm.http
      .delete(`${ENTITY}/guid/${guid}/businessmetadata/ops?${V}`)
      .set(dm.curator)
      .send({ team: null })
      .expect(204);
    expect(await found('logistics')).toEqual([]);
    // The entity itself is still found by its name.
    expect(await found('orders')).toEqual(['orders']);
  });
});
