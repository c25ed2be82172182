import { blobAssets, blobServiceAsset, containerAsset, storageAccountAsset } from '@purview-emulator/scan-engine';
import { PurviewError } from '../../common/errors';
import { builtInDefinitions } from './builtin-types';
import { EntityToValidate, validateEntity } from './entity-validation';
import { TypeRegistry } from './type-registry';
import { normalizeDef } from './typedef-model';

const BASE = 'https://acct.blob.core.windows.net';

const custom = [
  normalizeDef({ name: 'tier', elementDefs: [{ value: 'Hot' }, { value: 'Cool' }] }, 'ENUM', {
    guid: 'e1',
    actor: 't',
    now: 1,
  }),
  normalizeDef(
    {
      name: 'window',
      attributeDefs: [
        { name: 'from', typeName: 'date', isOptional: false },
        { name: 'to', typeName: 'date', isOptional: true },
      ],
    },
    'STRUCT',
    { guid: 's1', actor: 't', now: 1 },
  ),
  normalizeDef(
    {
      name: 'contoso_table',
      superTypes: ['DataSet'],
      attributeDefs: [
        { name: 'rowCount', typeName: 'long', isOptional: false },
        { name: 'db', typeName: 'DataSet', isOptional: false },
        { name: 'retention', typeName: 'int', isOptional: true },
        { name: 'public', typeName: 'boolean', isOptional: true },
        { name: 'ratio', typeName: 'double', isOptional: true },
        { name: 'refreshed', typeName: 'date', isOptional: true },
        { name: 'tier', typeName: 'tier', isOptional: true },
        { name: 'tags', typeName: 'array<string>', cardinality: 'SET', isOptional: true },
        { name: 'counts', typeName: 'map<string,int>', isOptional: true },
        { name: 'window', typeName: 'window', isOptional: true },
        { name: 'sources', typeName: 'array<DataSet>', cardinality: 'SET', isOptional: true },
      ],
    },
    'ENTITY',
    { guid: 't1', actor: 't', now: 1 },
  ),
];
const registry = new TypeRegistry([...builtInDefinitions(), ...custom]);

const table = (attributes: Record<string, unknown>, extra: Partial<EntityToValidate> = {}): EntityToValidate => ({
  typeName: 'contoso_table',
  attributes: { qualifiedName: 'mssql://srv/db/t', name: 't', rowCount: 10, db: { guid: 'g-db' }, ...attributes },
  ...extra,
});

function refusal(
  entity: EntityToValidate,
  options: Parameters<typeof validateEntity>[2] = {},
): { status: number; code: string; message: string } {
  try {
    validateEntity(registry, entity, options);
  } catch (e) {
    if (e instanceof PurviewError) return { status: e.status, code: e.atlasCode ?? e.code, message: e.message };
    throw e;
  }
  throw new Error('expected the entity to be refused');
}

describe('entity validation against the type', () => {
  it('accepts every asset the scanner writes', () => {
    const assets = [
      storageAccountAsset('acct'),
      blobServiceAsset('acct', BASE),
      containerAsset(BASE, 'data'),
      ...blobAssets({
        base: BASE,
        container: 'data',
        blobName: 'dir/people.csv',
        size: 42,
        lastModified: new Date(),
        contentType: 'text/csv',
        columns: ['id', 'email'],
        columnClassifications: [[], ['MICROSOFT.PERSONAL.EMAIL']],
      }),
    ];
    for (const asset of assets)
      expect(() => validateEntity(registry, asset, { checkClassifications: true })).not.toThrow();
  });

  it('refuses an unknown type, and a type that is not an entity type, with ATLAS-400-00-014', () => {
    expect(refusal({ typeName: 'no_such_type', attributes: { qualifiedName: 'q', name: 'n' } })).toEqual({
      status: 400,
      code: 'ATLAS-400-00-014',
      message: 'Type ENTITY with name no_such_type does not exist',
    });
    expect(
      refusal({ typeName: 'MICROSOFT.PERSONAL.EMAIL', attributes: { qualifiedName: 'q', name: 'n' } }),
    ).toMatchObject({ code: 'ATLAS-400-00-014' });
    expect(
      refusal({ typeName: 'x'.repeat(1_000_000), attributes: { qualifiedName: 'q', name: 'n' } }).message.length,
    ).toBeLessThan(300);
  });

  it('accepts valid values, in the forms Atlas normalizes (numeric strings, "true", enum ordinals, ISO dates)', () => {
    const entity = table({
      rowCount: '12',
      retention: 30,
      public: 'TRUE',
      ratio: '0.5',
      refreshed: '2024-05-01T10:00:00Z',
      tier: 1,
      tags: ['a', 'b'],
      counts: { x: 1, y: '2' },
      window: { typeName: 'window', attributes: { from: 1714557600000 } },
      sources: [
        { typeName: 'azure_blob_path', uniqueAttributes: { qualifiedName: `${BASE}/data/a.csv` } },
        { guid: 'g1' },
      ],
      somethingTheTypeDoesNotDefine: { kept: true },
    });
    expect(() => validateEntity(registry, entity)).not.toThrow();
    expect(() =>
      validateEntity(registry, table({ tier: 'Cool', refreshed: 1714557600000, window: { from: '2024-05-01' } })),
    ).not.toThrow();
  });

  it('names each missing mandatory attribute (ATLAS-404-00-007, as Atlas)', () => {
    const { rowCount: _r, db: _d, ...attributes } = table({}).attributes;
    expect(refusal({ typeName: 'contoso_table', attributes }, { path: 'entities[1]' })).toEqual({
      status: 404,
      code: 'ATLAS-404-00-007',
      message:
        'Invalid instance creation/updation parameters passed : [contoso_table.rowCount: mandatory attribute value missing in type contoso_table, contoso_table.db: mandatory attribute value missing in type contoso_table] (entities[1])',
    });
  });

  it('counts a mandatory reference given as a relationship attribute', () => {
    const { db: _d, ...attributes } = table({}).attributes;
    expect(() =>
      validateEntity(registry, {
        typeName: 'contoso_table',
        attributes,
        relationshipAttributes: { db: { guid: 'g-db' } },
      }),
    ).not.toThrow();
  });

  it.each([
    ['a word for a long', { rowCount: 'many' }, 'contoso_table.rowCount=many: invalid value for type long'],
    ['a fraction for an int', { retention: '1.5' }, 'contoso_table.retention=1.5: invalid value for type int'],
    ['an int out of range', { retention: 2 ** 31 }, 'contoso_table.retention=2147483648: invalid value for type int'],
    ['yes for a boolean', { public: 'yes' }, 'contoso_table.public=yes: invalid value for type boolean'],
    ['text for a double', { ratio: 'half' }, 'contoso_table.ratio=half: invalid value for type double'],
    ['a non-date', { refreshed: 'someday' }, 'contoso_table.refreshed=someday: invalid value for type date'],
    ['a value outside the enum', { tier: 'Archive' }, 'contoso_table.tier=Archive: invalid value for type tier'],
    ['a string for an array', { tags: 'a,b' }, 'contoso_table.tags=a,b: invalid value for type array<string>'],
    ['a bad map value', { counts: { x: 'lots' } }, 'contoso_table.counts[x]=lots: invalid value for type int'],
    [
      'a struct missing its mandatory field',
      { window: { to: 1 } },
      'contoso_table.window.from: mandatory attribute value missing in type window',
    ],
    ['a reference that is no object id', { db: 'the-db' }, 'contoso_table.db=the-db: invalid value for type DataSet'],
    [
      'an array element that is no object id',
      { sources: [{ name: 'x' }] },
      'contoso_table.sources[0]={"name":"x"}: invalid value for type DataSet',
    ],
  ])('refuses %s, naming the attribute', (_, attributes, message) => {
    expect(refusal(table(attributes))).toMatchObject({
      status: 404,
      code: 'ATLAS-404-00-007',
      message: expect.stringContaining(message),
    });
  });

  it('refuses unknown classifications for Atlas clients only (scans write what their rules name)', () => {
    const classified = table({}, { classifications: [{ typeName: 'CONTOSO.UNKNOWN' }] });
    expect(refusal(classified, { checkClassifications: true })).toEqual({
      status: 404,
      code: 'ATLAS-404-00-008',
      message: 'Given classification CONTOSO.UNKNOWN was invalid',
    });
    expect(() => validateEntity(registry, classified)).not.toThrow();
    expect(() =>
      validateEntity(registry, table({}, { classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }] }), {
        checkClassifications: true,
      }),
    ).not.toThrow();
  });
});
