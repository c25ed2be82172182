import 'reflect-metadata';
import type { AtlasEntityWithExtInfo, AtlasTypesDef, EntityMutationResult } from '@purview-emulator/contracts';
import { DataMapHttp, atlasError, startDataMapHttp } from '../testing/datamap-http';

const V = 'api-version=2023-09-01';
const ENTITY = '/datamap/api/atlas/v2/entity';

const on = (types: string[]): Record<string, string> => ({ applicableEntityTypes: JSON.stringify(types) });

const MODEL: AtlasTypesDef = {
  businessMetadataDefs: [
    {
      name: 'ops',
      attributeDefs: [
        { name: 'team', typeName: 'string', isOptional: true, options: { ...on(['DataSet']), maxStrLength: '20' } },
        { name: 'reviewed', typeName: 'boolean', isOptional: true, options: on(['DataSet']) },
      ],
    },
    {
      name: 'gov',
      attributeDefs: [
        { name: 'steward', typeName: 'string', isOptional: true, options: { ...on(['DataSet']), maxStrLength: '50' } },
      ],
    },
  ],
};

/**
 * `businessAttributes` sent with entities on `POST entity[/bulk]` and the spec's `businessAttributeUpdateBehavior`
 * (ignore | replace | merge): as Atlas's entity store maps them, a created entity always gets those it was sent.
 */
describe('business attributes in entity create-or-update bodies', () => {
  let dm: DataMapHttp;
  let n = 0;

  const write = (businessAttributes: unknown, behavior?: string, qualifiedName = `bm://write/${++n}`) =>
    dm.http
      .post(`${ENTITY}?${V}${behavior ? `&businessAttributeUpdateBehavior=${behavior}` : ''}`)
      .set(dm.curator)
      .send({ entity: { typeName: 'DataSet', attributes: { qualifiedName, name: 'orders' }, businessAttributes } });

  const created = async (businessAttributes: unknown): Promise<{ guid: string; qualifiedName: string }> => {
    const qualifiedName = `bm://write/${++n}`;
    const result = (await write(businessAttributes, undefined, qualifiedName).expect(200)).body as EntityMutationResult;
    return { guid: result.mutatedEntities!.CREATE![0].guid, qualifiedName };
  };

  const businessAttributesOf = async (guid: string): Promise<unknown> =>
    ((await dm.http.get(`${ENTITY}/guid/${guid}?${V}`).set(dm.reader).expect(200)).body as AtlasEntityWithExtInfo)
      .entity.businessAttributes;

  beforeAll(async () => {
    dm = await startDataMapHttp();
    await dm.http.post(`/datamap/api/atlas/v2/types/typedefs?${V}`).set(dm.curator).send(MODEL).expect(200);
  });

  afterAll(async () => {
    await dm?.close();
  });

  it('gives a created entity the business attributes it was sent, normalized to their types', async () => {
    const { guid } = await created({ ops: { team: 'Sales', reviewed: 'true' } });
    expect(await businessAttributesOf(guid)).toEqual({ ops: { team: 'Sales', reviewed: true } });
  });

  it('leaves an existing entity its own business attributes by default and with ignore', async () => {
    const { guid, qualifiedName } = await created({ ops: { team: 'Sales' } });
    await write({ ops: { team: 'Finance' } }, undefined, qualifiedName).expect(200);
    await write({ gov: { steward: 'ann' } }, 'ignore', qualifiedName).expect(200);
    expect(await businessAttributesOf(guid)).toEqual({ ops: { team: 'Sales' } });
  });

  it('merges with merge: values sent are added or updated, the others kept', async () => {
    const { guid, qualifiedName } = await created({ ops: { team: 'Sales', reviewed: false } });
    await write({ ops: { team: 'Finance' }, gov: { steward: 'ann' } }, 'merge', qualifiedName).expect(200);
    expect(await businessAttributesOf(guid)).toEqual({
      ops: { team: 'Finance', reviewed: false },
      gov: { steward: 'ann' },
    });
  });

  it('replaces with replace: the entity keeps only what was sent, nothing when nothing was', async () => {
    const { guid, qualifiedName } = await created({ ops: { team: 'Sales', reviewed: false }, gov: { steward: 'ann' } });
    await write({ ops: { team: 'Finance' } }, 'Replace', qualifiedName).expect(200);
    expect(await businessAttributesOf(guid)).toEqual({ ops: { team: 'Finance' } });
    await write(undefined, 'replace', qualifiedName).expect(200);
    expect(await businessAttributesOf(guid)).toBeUndefined();
  });

  it('refuses invalid values as Atlas does and writes nothing of the body', async () => {
    const qualifiedName = `bm://write/${++n}`;
    const res = await write({ ops: { team: 'a name longer than twenty characters' } }, undefined, qualifiedName);
    // Atlas's INSTANCE_CRUD_INVALID_PARAMS is a 404, as on the business metadata routes.
    expect(res.status).toBe(404);
    expect(res.body).toEqual(atlasError('ATLAS-404-00-007', /exceeds maximum length limit/));
    await dm.http
      .get(`${ENTITY}/uniqueAttribute/type/DataSet?attr:qualifiedName=${encodeURIComponent(qualifiedName)}&${V}`)
      .set(dm.reader)
      .expect(404);
  });

  it('refuses a behavior the spec does not list and a businessAttributes that is not an object of objects', async () => {
    const bad = await write({ ops: { team: 'Sales' } }, 'overwrite');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(atlasError('ATLAS-400-00-001', /businessAttributeUpdateBehavior must be one of/));
    const shape = await write({ ops: 'Sales' });
    expect(shape.status).toBe(400);
    expect(shape.body).toEqual(atlasError('ATLAS-400-00-01A', /businessAttributes must be an object/));
  });
});
