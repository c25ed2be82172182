import {
  AtlasLineageInfoSchema,
  BulkImportResultSchema,
  CollectionSchema,
  PURVIEW_SCOPE,
  WELL_KNOWN_CLIENT_ID,
  WELL_KNOWN_CLIENT_SECRET,
  WELL_KNOWN_TENANT_ID,
} from '@purview-emulator/contracts';
import type {
  AtlasEntityWithExtInfo,
  AtlasErrorResponse,
  AtlasLineageInfo,
  EntityMutationResult,
} from '@purview-emulator/contracts';
import { TestStack } from './harness';

/**
 * A user's data map script (the calls pyapacheatlas and purviewcli make) against the real emulator process over
 * HTTP, with a token from the emulator's token endpoint: custom types, bulk entities with temporary guids, lineage,
 * classifications, labels, business metadata (also from CSV), collections, and type deletes refused while in use.
 */
const V = 'api-version=2023-09-01';
const ATLAS = '/datamap/api/atlas/v2';
const ACCOUNT_V = 'api-version=2019-11-01-preview';
const TABLE = 'script_table';
const JOB = 'script_etl_job';
const BM = 'script_ops';
const qn = (name: string): string => `mssql://contoso.database.windows.net/sales/dbo/${name}`;

interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

describe('data map script: types → entities → lineage → annotations → collections → cleanup', () => {
  const stack = new TestStack();
  let token = '';
  const guid: Record<'raw' | 'staged' | 'curated' | 'load' | 'publish', string> = {
    raw: '',
    staged: '',
    curated: '',
    load: '',
    publish: '',
  };

  /** What a script does: a bearer token, JSON in and out, the api-version on every call. */
  const call = async <T>(method: string, path: string, body?: unknown): Promise<Reply<T>> => {
    const url = `${stack.endpoint}${path}${path.includes('?') ? '&' : '?'}${path.startsWith('/account') ? ACCOUNT_V : V}`;
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  };
  const ok = async <T>(method: string, path: string, body?: unknown, status = 200): Promise<T> => {
    const reply = await call<T>(method, path, body);
    if (reply.status !== status)
      throw new Error(`${method} ${path} → ${reply.status}, expected ${status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const entity = async (id: string): Promise<AtlasEntityWithExtInfo['entity']> =>
    (await ok<AtlasEntityWithExtInfo>('GET', `${ATLAS}/entity/guid/${id}`)).entity;
  const lineage = async (id: string, direction: string, depth?: number): Promise<AtlasLineageInfo> => {
    const body = await ok<unknown>(
      'GET',
      `${ATLAS}/lineage/${id}?direction=${direction}${depth ? `&depth=${depth}` : ''}`,
    );
    const parsed = AtlasLineageInfoSchema.parse(body);
    expect(parsed).toEqual(body); // nothing outside the spec's AtlasLineageInfo
    return parsed;
  };
  const expectAtlasError = (reply: Reply<unknown>, status: number, code: string | RegExp): AtlasErrorResponse => {
    expect(reply.status).toBe(status);
    const error = reply.body as AtlasErrorResponse;
    expect(error).toEqual({
      requestId: expect.any(String),
      errorCode: typeof code === 'string' ? code : expect.stringMatching(code),
      errorMessage: expect.any(String),
    });
    expect(reply.headers.get('x-ms-error-code')).toBe(error.errorCode);
    return error;
  };

  beforeAll(async () => {
    await stack.start();
  });

  afterAll(async () => {
    await stack.stop();
  });

  it('gets a token with the client credentials flow, as azure-identity does', async () => {
    const response = await fetch(`${stack.endpoint}/${WELL_KNOWN_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: WELL_KNOWN_CLIENT_ID,
        client_secret: WELL_KNOWN_CLIENT_SECRET,
        scope: PURVIEW_SCOPE,
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token_type: string; expires_in: number; access_token: string };
    expect(body).toEqual(
      expect.objectContaining({
        token_type: 'Bearer',
        expires_in: expect.any(Number),
        access_token: expect.any(String),
      }),
    );
    token = body.access_token;
  });

  it('creates a DataSet subtype with a mandatory attribute and a Process subtype (POST types/typedefs)', async () => {
    const created = await ok<{ entityDefs: { name: string; guid: string; category: string; superTypes: string[] }[] }>(
      'POST',
      `${ATLAS}/types/typedefs`,
      {
        entityDefs: [
          {
            category: 'ENTITY',
            name: TABLE,
            superTypes: ['DataSet'],
            attributeDefs: [
              { name: 'owner_team', typeName: 'string', isOptional: false, cardinality: 'SINGLE', isUnique: false },
              { name: 'derivedFrom', typeName: TABLE, isOptional: true, cardinality: 'SINGLE', isUnique: false },
            ],
          },
          {
            category: 'ENTITY',
            name: JOB,
            superTypes: ['Process'],
            attributeDefs: [{ name: 'schedule', typeName: 'string', isOptional: true, cardinality: 'SINGLE' }],
          },
        ],
      },
    );
    expect(created.entityDefs.map((d) => [d.name, d.category, d.superTypes])).toEqual([
      [TABLE, 'ENTITY', ['DataSet']],
      [JOB, 'ENTITY', ['Process']],
    ]);
    const table = await ok<{ guid: string; attributeDefs: { name: string; isOptional: boolean }[] }>(
      'GET',
      `${ATLAS}/types/typedef/name/${TABLE}`,
    );
    expect(table.guid).toBe(created.entityDefs[0].guid);
    expect(table.attributeDefs).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'owner_team', isOptional: false })]),
    );
    // The same name again is Atlas's 409.
    expectAtlasError(
      await call('POST', `${ATLAS}/types/typedefs`, { entityDefs: [{ name: TABLE, superTypes: ['DataSet'] }] }),
      409,
      'ATLAS-409-00-001',
    );
  });

  it('bulk creates entities, one referring to another by a temporary guid; a missing mandatory attribute fails', async () => {
    const result = await ok<EntityMutationResult>('POST', `${ATLAS}/entity/bulk`, {
      entities: [
        {
          typeName: TABLE,
          guid: '-1',
          attributes: { qualifiedName: qn('raw_orders'), name: 'raw_orders', owner_team: 'ingest' },
        },
        {
          typeName: TABLE,
          guid: '-2',
          attributes: {
            qualifiedName: qn('staged_orders'),
            name: 'staged_orders',
            owner_team: 'platform',
            derivedFrom: { guid: '-1', typeName: TABLE },
          },
        },
        {
          typeName: TABLE,
          guid: '-3',
          attributes: { qualifiedName: qn('curated_orders'), name: 'curated_orders', owner_team: 'analytics' },
        },
      ],
    });
    expect(Object.keys(result.guidAssignments ?? {}).sort()).toEqual(['-1', '-2', '-3']);
    guid.raw = result.guidAssignments!['-1'];
    guid.staged = result.guidAssignments!['-2'];
    guid.curated = result.guidAssignments!['-3'];
    for (const id of [guid.raw, guid.staged, guid.curated]) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.mutatedEntities?.CREATE?.map((e) => e.guid).sort()).toEqual(
      [guid.raw, guid.staged, guid.curated].sort(),
    );
    expect(result.mutatedEntities?.CREATE?.[0]).toEqual(
      expect.objectContaining({ typeName: TABLE, status: 'ACTIVE', attributes: expect.any(Object) }),
    );

    const staged = await entity(guid.staged);
    expect(staged).toEqual(
      expect.objectContaining({ guid: guid.staged, typeName: TABLE, status: 'ACTIVE', collectionId: 'emulator' }),
    );
    expect(staged.attributes).toEqual(
      expect.objectContaining({
        owner_team: 'platform',
        derivedFrom: expect.objectContaining({ guid: guid.raw, typeName: TABLE }),
      }),
    );

    const missing = expectAtlasError(
      await call('POST', `${ATLAS}/entity`, {
        entity: { typeName: TABLE, attributes: { qualifiedName: qn('no_owner'), name: 'no_owner' } },
      }),
      404,
      'ATLAS-404-00-007',
    );
    expect(missing.errorMessage).toContain('owner_team');
  });

  it('creates processes with inputs and outputs and reads lineage INPUT, OUTPUT and BOTH, with depth', async () => {
    const result = await ok<EntityMutationResult>('POST', `${ATLAS}/entity/bulk`, {
      entities: [
        {
          typeName: JOB,
          guid: '-10',
          attributes: {
            qualifiedName: 'adf://contoso/pipelines/load_orders',
            name: 'load_orders',
            schedule: 'hourly',
            inputs: [{ guid: guid.raw, typeName: TABLE }],
            outputs: [{ typeName: TABLE, uniqueAttributes: { qualifiedName: qn('staged_orders') } }],
          },
        },
        {
          typeName: JOB,
          guid: '-11',
          attributes: {
            qualifiedName: 'adf://contoso/pipelines/publish_orders',
            name: 'publish_orders',
            inputs: [{ guid: guid.staged }],
            outputs: [{ guid: guid.curated }],
          },
        },
      ],
    });
    guid.load = result.guidAssignments!['-10'];
    guid.publish = result.guidAssignments!['-11'];

    const load = await entity(guid.load);
    // However a reference was sent (guid, or typeName + uniqueAttributes), Atlas reads it back as an object id.
    const objectId = (id: string, name: string) => ({
      guid: id,
      typeName: TABLE,
      uniqueAttributes: { qualifiedName: qn(name) },
    });
    expect(load.attributes.inputs).toEqual([objectId(guid.raw, 'raw_orders')]);
    expect(load.attributes.outputs).toEqual([objectId(guid.staged, 'staged_orders')]);
    expect(load.relationshipAttributes?.outputs).toEqual([
      expect.objectContaining({
        guid: guid.staged,
        relationshipType: 'process_dataset_outputs',
        relationshipStatus: 'ACTIVE',
      }),
    ]);

    const input = await lineage(guid.curated, 'INPUT');
    expect(input).toEqual(
      expect.objectContaining({ baseEntityGuid: guid.curated, lineageDirection: 'INPUT', lineageDepth: 3 }),
    );
    expect(Object.keys(input.guidEntityMap).sort()).toEqual(
      [guid.raw, guid.staged, guid.curated, guid.load, guid.publish].sort(),
    );
    expect(input.guidEntityMap[guid.load]).toEqual(
      expect.objectContaining({ guid: guid.load, typeName: JOB, displayText: 'load_orders' }),
    );
    const edges = (l: AtlasLineageInfo): string[][] => l.relations.map((r) => [r.fromEntityId, r.toEntityId]);
    expect(edges(input)).toEqual(
      expect.arrayContaining([
        [guid.raw, guid.load],
        [guid.load, guid.staged],
        [guid.staged, guid.publish],
        [guid.publish, guid.curated],
      ]),
    );
    expect(input.relations).toHaveLength(4);
    for (const relation of input.relations) expect(relation.relationshipId).toMatch(/^[0-9a-f-]{36}$/);

    // depth counts processes: depth 1 from the output stops at the process that made it and its inputs.
    const shallow = await lineage(guid.curated, 'INPUT', 1);
    expect(shallow.lineageDepth).toBe(1);
    expect(Object.keys(shallow.guidEntityMap).sort()).toEqual([guid.staged, guid.curated, guid.publish].sort());
    expect(edges(shallow)).toEqual(
      expect.arrayContaining([
        [guid.staged, guid.publish],
        [guid.publish, guid.curated],
      ]),
    );
    expect(shallow.relations).toHaveLength(2);

    const output = await lineage(guid.raw, 'OUTPUT', 1);
    expect(Object.keys(output.guidEntityMap).sort()).toEqual([guid.raw, guid.load, guid.staged].sort());
    expect(edges(output)).toEqual([
      [guid.raw, guid.load],
      [guid.load, guid.staged],
    ]);
    expect((await lineage(guid.curated, 'OUTPUT')).relations).toEqual([]);

    const both = await lineage(guid.staged, 'BOTH');
    expect(both.lineageDirection).toBe('BOTH');
    expect(Object.keys(both.guidEntityMap)).toHaveLength(5);
    expect(edges(both)).toHaveLength(4);

    expectAtlasError(await call('GET', `${ATLAS}/lineage/${guid.staged}?direction=SIDEWAYS`), 400, 'ATLAS-400-00-026');
  });

  it('adds a classification and a label to a dataset and reads them back', async () => {
    await ok(
      'POST',
      `${ATLAS}/entity/guid/${guid.curated}/classifications`,
      [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }],
      204,
    );
    await ok('PUT', `${ATLAS}/entity/guid/${guid.curated}/labels`, ['gold', 'sales-eu'], 204);

    const classifications = await ok<{ list: { typeName: string; entityGuid: string }[]; totalCount: number }>(
      'GET',
      `${ATLAS}/entity/guid/${guid.curated}/classifications`,
    );
    expect(classifications.totalCount).toBe(1);
    expect(classifications.list[0]).toEqual(
      expect.objectContaining({ typeName: 'MICROSOFT.PERSONAL.EMAIL', entityGuid: guid.curated }),
    );
    const one = await ok<{ typeName: string }>(
      'GET',
      `${ATLAS}/entity/guid/${guid.curated}/classification/MICROSOFT.PERSONAL.EMAIL`,
    );
    expect(one.typeName).toBe('MICROSOFT.PERSONAL.EMAIL');
    const curated = await entity(guid.curated);
    expect([...(curated.labels ?? [])].sort()).toEqual(['gold', 'sales-eu']);
    expect(curated.classifications?.map((c) => c.typeName)).toEqual(['MICROSOFT.PERSONAL.EMAIL']);

    expectAtlasError(
      await call('POST', `${ATLAS}/entity/guid/${guid.curated}/classifications`, [{ typeName: 'NO.SUCH.CLASS' }]),
      404,
      'ATLAS-404-00-008',
    );
    expectAtlasError(
      await call('PUT', `${ATLAS}/entity/guid/${guid.curated}/labels`, ['not ok!']),
      400,
      'ATLAS-400-00-090',
    );
  });

  it('defines business metadata, assigns it, then imports it from CSV with one bad line reported', async () => {
    const applicable = { applicableEntityTypes: JSON.stringify([TABLE]), maxStrLength: '50' };
    const defs = await ok<{ businessMetadataDefs: { name: string; category: string }[] }>(
      'POST',
      `${ATLAS}/types/typedefs`,
      {
        businessMetadataDefs: [
          {
            category: 'BUSINESS_METADATA',
            name: BM,
            description: 'operations',
            attributeDefs: [
              { name: 'steward', typeName: 'string', isOptional: true, cardinality: 'SINGLE', options: applicable },
              { name: 'tier', typeName: 'int', isOptional: true, cardinality: 'SINGLE', options: applicable },
            ],
          },
        ],
      },
    );
    expect(defs.businessMetadataDefs.map((d) => [d.name, d.category])).toEqual([[BM, 'BUSINESS_METADATA']]);

    await ok('POST', `${ATLAS}/entity/guid/${guid.raw}/businessmetadata`, { [BM]: { steward: 'ada', tier: '2' } }, 204);
    expect((await entity(guid.raw)).businessAttributes).toEqual({ [BM]: { steward: 'ada', tier: 2 } });

    const csv = [
      'EntityType,EntityUniqueAttributeValue,BusinessAttributeName,BusinessAttributeValue,EntityUniqueAttributeName[optional]',
      `${TABLE},${qn('curated_orders')},${BM}.steward,grace`,
      `${TABLE},${qn('nowhere')},${BM}.steward,nobody`,
      `${TABLE},${qn('staged_orders')},${BM}.tier,1,qualifiedName`,
    ].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'business-metadata.csv');
    const response = await fetch(`${stack.endpoint}${ATLAS}/entity/businessmetadata/import?${V}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    const result = BulkImportResultSchema.parse(body);
    expect(result).toEqual(body);
    expect(result.failedImportInfoList).toHaveLength(1);
    expect(result.failedImportInfoList[0]).toEqual(
      expect.objectContaining({ importStatus: 'FAILED', remarks: expect.stringMatching(/^Line #3: /) }),
    );
    expect(result.failedImportInfoList[0].remarks).toContain(qn('nowhere'));
    expect(result.successImportInfoList.map((i) => [i.parentObjectName, i.importStatus]).sort()).toEqual(
      [
        [guid.curated, 'SUCCESS'],
        [guid.staged, 'SUCCESS'],
      ].sort(),
    );
    expect((await entity(guid.curated)).businessAttributes).toEqual({ [BM]: { steward: 'grace' } });
    expect((await entity(guid.staged)).businessAttributes).toEqual({ [BM]: { tier: 1 } });
  });

  it('creates a collection and moves an entity there', async () => {
    const collection = CollectionSchema.parse(
      await ok('PUT', '/account/collections/finance', {
        friendlyName: 'Finance',
        parentCollection: { referenceName: 'emulator' },
      }),
    );
    expect(collection).toEqual(
      expect.objectContaining({
        name: 'finance',
        friendlyName: 'Finance',
        parentCollection: expect.objectContaining({ referenceName: 'emulator' }),
      }),
    );
    const moved = await ok<EntityMutationResult>('POST', '/datamap/api/entity/moveTo?collectionId=finance', {
      entityGuids: [guid.curated],
    });
    expect(moved.mutatedEntities?.UPDATE?.map((e) => e.guid)).toEqual([guid.curated]);
    expect((await entity(guid.curated)).collectionId).toBe('finance');
    expect((await entity(guid.raw)).collectionId).toBe('emulator');
    expectAtlasError(
      await call('POST', '/datamap/api/entity/moveTo?collectionId=nowhere', { entityGuids: [guid.raw] }),
      400,
      'ATLAS-400-00-01A',
    );
  });

  it('refuses to delete a type in use (409) and an entity of an unknown type (400)', async () => {
    const inUse = expectAtlasError(
      await call('DELETE', `${ATLAS}/types/typedef/name/${TABLE}`),
      409,
      'ATLAS-409-00-002',
    );
    expect(inUse.errorMessage).toContain(TABLE);
    expectAtlasError(await call('DELETE', `${ATLAS}/types/typedef/name/${JOB}`), 409, 'ATLAS-409-00-002');
    expectAtlasError(
      await call('POST', `${ATLAS}/entity`, {
        entity: { typeName: 'script_no_such_type', attributes: { qualifiedName: 'x://y', name: 'y' } },
      }),
      400,
      'ATLAS-400-00-014',
    );
    expect((await ok<{ name: string }>('GET', `${ATLAS}/types/typedef/name/${TABLE}`)).name).toBe(TABLE);
  });

  it('deletes the entities, after which the types and the business metadata def can be deleted', async () => {
    const ids = [guid.load, guid.publish, guid.raw, guid.staged, guid.curated];
    const deleted = await ok<EntityMutationResult>(
      'DELETE',
      `${ATLAS}/entity/bulk?${ids.map((id) => `guid=${id}`).join('&')}`,
    );
    expect(deleted.mutatedEntities?.DELETE?.map((e) => e.guid).sort()).toEqual([...ids].sort());
    expect(await entity(guid.raw)).toEqual(expect.objectContaining({ status: 'DELETED' }));

    await ok('DELETE', `${ATLAS}/types/typedef/name/${BM}`, undefined, 204);
    await ok('DELETE', `${ATLAS}/types/typedef/name/${JOB}`, undefined, 204);
    await ok('DELETE', `${ATLAS}/types/typedef/name/${TABLE}`, undefined, 204);
    expectAtlasError(await call('GET', `${ATLAS}/types/typedef/name/${TABLE}`), 404, /^ATLAS-404-/);
    const left = await ok<{ name: string }[]>('GET', `${ATLAS}/types/typedefs/headers`);
    expect(left.map((h) => h.name)).not.toEqual(expect.arrayContaining([TABLE]));
    expect(left.map((h) => h.name)).not.toContain(JOB);
    expect(left.map((h) => h.name)).not.toContain(BM);
  });
});
