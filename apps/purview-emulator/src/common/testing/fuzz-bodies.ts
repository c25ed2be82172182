import fc from 'fast-check';
import { DATA_SOURCE_KINDS } from '@purview-emulator/contracts';

/**
 * Request bodies for the input fuzz test: mostly near-valid bodies (the real shape with some fields swapped for
 * hostile values), some arbitrary JSON, some text that is not JSON at all. Bodies are the exact text sent.
 */

/** A string made by repeating one character: long strings without generating them character by character. */
const longString = fc
  .tuple(fc.constantFrom('a', '%', '_', '\\', '"', '{', 'é', '😀', ' '), fc.integer({ min: 1000, max: 70_000 }))
  .map(([c, n]) => c.repeat(n));

/** Strings that have broken parsers, SQL LIKE patterns, paths and messages before. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '%',
      '_',
      '\\',
      '*',
      '"',
      "'",
      '\u0000',
      'null',
      'undefined',
      '-1',
      '1e309',
      'NaN',
      '../..',
      '%00',
      '__proto__',
      'constructor',
      'toString',
      '2023-09-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '-271821-04-20T00:00:00Z',
      'AzureStorage',
      'AdlsGen2',
      'SelfHosted',
      'System',
      'Custom',
      'Full',
      'Incremental',
    ),
  },
  { weight: 1, arbitrary: longString },
);

/** Stands for a value nested `depth` levels deep; `bodyText` swaps it in after serializing (no deep objects in memory). */
const deepMarker = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(64, 65, 3_000, 12_000)),
    fc.constantFrom('obj', 'arr'),
  )
  .map(([depth, kind]) => `<<deep:${depth}:${kind}>>`);

/** Any JSON value, shallow enough to stay in memory, with hostile strings, edge numbers and deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -0, -1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileStringOrNumber(), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileStringOrNumber(), { maxKeys: 4 }) },
  { weight: 1, arbitrary: deepMarker },
);

/** A string as a valid body would have it: usually short, now and then very long. */
export const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: longString },
);

function hostileStringOrNumber(): fc.Arbitrary<unknown> {
  return fc.oneof(hostileString, fc.integer(), fc.constant(null));
}

/**
 * An object with the given fields, each usually valid and sometimes missing; then, in some objects, one or two
 * fields swapped for hostile values, and maybe some unknown extra fields. Mostly valid bodies get past validation
 * to the code behind it.
 */
export function shape(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(fields);
  const valid = fc.record(
    Object.fromEntries(
      keys.map((k) => [
        k,
        fc.oneof({ weight: 6, arbitrary: fields[k] }, { weight: 1, arbitrary: fc.constant(undefined) }),
      ]),
    ),
  );
  const mutations = fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as [string, unknown][]) },
    {
      weight: 2,
      arbitrary: fc.array(fc.tuple(fc.constantFrom(...keys), hostileValue), { minLength: 1, maxLength: 2 }),
    },
  );
  const extra = fc.option(fc.dictionary(hostileString, hostileValue, { maxKeys: 3 }), { freq: 2 });
  return fc.tuple(valid, mutations, extra).map(([v, changes, more]) => {
    const out: Record<string, unknown> = { ...(more ?? {}) };
    for (const [key, value] of Object.entries(v)) if (value !== undefined) out[key] = value;
    for (const [key, value] of changes) out[key] = value;
    return out;
  });
}

function nested(depth: number, kind: string): string {
  return kind === 'arr' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** The JSON text of a value, with deep markers swapped for the deep JSON they stand for. */
function serialize(value: unknown): string {
  return (JSON.stringify(value) ?? '').replace(/"<<deep:(\d+):(obj|arr)>>"/g, (_, depth: string, kind: string) =>
    nested(Number(depth), kind),
  );
}

/** The text of a body: mostly the JSON of `body`; sometimes other JSON, a deeply nested body, or text that is not JSON. */
export function bodyText(body: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 14, arbitrary: body.map(serialize) },
    { weight: 1, arbitrary: hostileValue.map(serialize) },
    { weight: 1, arbitrary: deepMarker.map((m) => serialize(m)) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string(),
        fc.constantFrom('{', '[', '{"a":', 'nul', '"unterminated', '{"a":1}}', '\u0000'),
      ),
    },
  );
}

const name = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('fuzz-a', 'fuzz-b', 'fuzz-c') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{1,70}$/) },
);
const reference = (names: string[]) =>
  shape({ referenceName: fc.oneof(fc.constantFrom(...names), text), type: fc.constant('CollectionReference') });

export const runtimeBody = shape({
  kind: fc.constantFrom('SelfHosted', 'Managed'),
  properties: shape({ description: text }),
});

export const dataSourceBody = shape({
  kind: fc.constantFrom(...DATA_SOURCE_KINDS),
  properties: shape({
    endpoint: fc.oneof(
      fc.constantFrom(
        'https://devstoreaccount1.blob.core.windows.net/',
        'https://devstoreaccount1.dfs.core.windows.net/',
        'https://nowhere.blob.core.windows.net/',
      ),
      text,
    ),
    serverEndpoint: text,
    port: fc.integer({ min: 0, max: 65_535 }),
    host: text,
    collection: reference(['purview-emulator']),
    resourceGroup: text,
  }),
});

export const scanBody = shape({
  kind: fc.constantFrom('AzureStorageMsi', 'AzureStorageCredential', 'AdlsGen2Msi', 'AzureSqlDatabaseMsi'),
  properties: shape({
    scanRulesetName: fc.oneof(fc.constantFrom('AzureStorage', 'AdlsGen2'), text),
    scanRulesetType: fc.constantFrom('System', 'Custom'),
    connectedVia: fc.oneof(
      fc.constant(null),
      shape({
        referenceName: fc.constantFrom('fuzz-ir', 'missing-ir'),
        integrationRuntimeType: fc.constant('SelfHosted'),
      }),
    ),
    collection: reference(['purview-emulator']),
    credential: shape({ referenceName: text, credentialType: fc.constantFrom('AccountKey', 'SqlAuth') }),
    workers: fc.integer({ min: 1, max: 100 }),
  }),
});

const pattern = shape({
  kind: fc.constantFrom('Regex', 'Glob'),
  pattern: fc.oneof(fc.constantFrom('^EMP-\\d{6}$', '([a-z', '(?i)x', '\\', '[', ''), text),
});

export const classificationRuleBody = shape({
  kind: fc.constantFrom('Custom', 'System'),
  properties: shape({
    classificationName: fc.oneof(fc.constant('CONTOSO.FUZZ'), text),
    description: text,
    ruleStatus: fc.constantFrom('Enabled', 'Disabled', 'enabled'),
    minimumPercentageMatch: fc.oneof(fc.integer({ min: -5, max: 105 }), fc.double()),
    dataPatterns: fc.array(pattern, { maxLength: 3 }),
    columnPatterns: fc.array(pattern, { maxLength: 3 }),
  }),
});

export const scanRulesetBody = shape({
  kind: fc.oneof(fc.constantFrom('AzureStorage', 'AdlsGen2', 'AzureSqlDatabase'), text),
  scanRulesetType: fc.constantFrom('Custom', 'System'),
  properties: shape({
    description: text,
    excludedSystemClassifications: fc.array(fc.oneof(fc.constant('MICROSOFT.PERSONAL.EMAIL'), text), { maxLength: 3 }),
    includedCustomClassificationRuleNames: fc.array(fc.oneof(fc.constant('fuzz-rule'), text), { maxLength: 3 }),
    scanningRule: shape({
      fileExtensions: fc.array(fc.oneof(fc.constantFrom('CSV', 'JSON', 'GZ', 'Documents'), text), { maxLength: 4 }),
      customFileExtensions: fc.array(
        shape({
          fileExtension: fc.oneof(fc.constantFrom('.model', 'emp'), text),
          enabled: fc.boolean(),
          customFileType: shape({ builtInType: fc.oneof(fc.constant('CSV'), text), customDelimiter: text }),
        }),
        { maxLength: 2 },
      ),
    }),
    temporaryResourceFilters: fc.array(shape({ resourceFilterPattern: text, ingestTemporaryResource: fc.boolean() }), {
      maxLength: 2,
    }),
  }),
});

export const scanFilterBody = shape({
  properties: shape({
    includeUriPrefixes: fc.array(fc.oneof(fc.constant('https://devstoreaccount1.blob.core.windows.net/c/'), text), {
      maxLength: 3,
    }),
    excludeUriPrefixes: fc.array(fc.oneof(fc.constant('http://x/'), text), { maxLength: 3 }),
  }),
});

export const runBody = shape({
  scanLevel: fc.constantFrom('Full', 'Incremental', 'full'),
  incrementalScanStartTime: fc.constantFrom('2024-01-01T00:00:00Z'),
});

const guid = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 3, arbitrary: fc.integer({ min: -5000, max: -1 }).map(String) },
  { weight: 1, arbitrary: text },
);
const qualifiedName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .integer({ min: 0, max: 30 })
      .map((i) => `https://devstoreaccount1.blob.core.windows.net/fuzz/f${i}.csv`),
  },
  { weight: 1, arbitrary: text },
);
const typeName = fc.constantFrom(
  'azure_blob_path',
  'azure_blob_container',
  'tabular_schema',
  'column',
  'DataSet',
  'no_such_type',
);
const objectId = fc.oneof(shape({ guid }), shape({ typeName, uniqueAttributes: shape({ qualifiedName }) }));

export const atlasEntity = shape({
  typeName,
  guid,
  attributes: shape({
    qualifiedName,
    name: fc.string({ minLength: 1, maxLength: 20 }),
    description: text,
    size: fc.integer(),
    custom: hostileValue,
  }),
  relationshipAttributes: fc.dictionary(
    fc.constantFrom('parent', 'schema', 'columns', 'x'),
    fc.oneof(objectId, fc.array(objectId, { maxLength: 3 }), fc.constant(null)),
    { maxKeys: 2 },
  ),
  classifications: fc.array(
    shape({
      typeName: fc.constantFrom('MICROSOFT.PERSONAL.EMAIL', 'X'),
      attributes: fc.dictionary(fc.string(), hostileValue, { maxKeys: 2 }),
    }),
    { maxLength: 3 },
  ),
  labels: fc.array(text, { maxLength: 3 }),
});

export const entityBody = shape({
  entity: atlasEntity,
  referredEntities: fc.dictionary(guid, atlasEntity, { maxKeys: 2 }),
});
export const bulkBody = shape({
  entities: fc.array(atlasEntity, { minLength: 1, maxLength: 4 }),
  referredEntities: fc.dictionary(guid, atlasEntity, { maxKeys: 2 }),
});

const filterLeaf = fc.oneof(
  shape({ entityType: fc.oneof(typeName, text), includeSubTypes: fc.boolean() }),
  shape({ classification: fc.oneof(fc.constant('MICROSOFT.PERSONAL.EMAIL'), text) }),
  shape({ objectType: fc.constantFrom('Files', 'Folders', 'Others', 'Tables') }),
  shape({ assetType: fc.constantFrom('Azure Blob Storage', 'x') }),
  shape({ collectionId: fc.oneof(fc.constant('purview-emulator'), text) }),
  shape({ fileExtension: fc.oneof(fc.constantFrom('csv', '.json', '%'), text) }),
  shape({
    attributeName: fc.constantFrom('name', 'qualifiedName', 'size', 'createTime', 'description'),
    operator: fc.constantFrom('eq', 'ne', 'contains', 'prefix', 'gt', 'lt', 'ge', 'le'),
    attributeValue: fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)),
  }),
  shape({
    createTime: fc.oneof(
      fc.constantFrom('LAST_7D', 'LAST_24H', 'MORE_THAN_365D'),
      shape({ operator: fc.constantFrom('lt', 'gt'), timeThreshold: fc.oneof(fc.integer(), fc.double()) }),
      shape({ operator: fc.constant('timerange'), timeThreshold: shape({ from: fc.integer(), to: fc.integer() }) }),
    ),
  }),
  shape({ kind: fc.constant('TypeFilter'), typeName: fc.oneof(typeName, text) }),
  shape({ kind: fc.constant('IdFilter'), id: guid }),
  shape({ term: text, glossary: text }),
);

const { filter } = fc.letrec<{ filter: unknown }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    filterLeaf,
    shape({ and: fc.array(tie('filter'), { minLength: 1, maxLength: 4 }) }),
    shape({ or: fc.array(tie('filter'), { minLength: 1, maxLength: 4 }) }),
    shape({ not: tie('filter') }),
    shape({ kind: fc.constant('AndFilter'), and: fc.array(tie('filter'), { minLength: 1, maxLength: 3 }) }),
    /** Wide filters: SQLite's expression depth and variable count. */
    fc
      .integer({ min: 50, max: 1100 })
      .map((n) => ({ or: Array.from({ length: n }, (_, i) => ({ entityType: `t${i}` })) })),
  ),
}));

export const searchBody = shape({
  keywords: fc.oneof(
    text,
    fc
      .array(fc.oneof(fc.constantFrom('csv', 'f1', '%', '_', '\\', '*'), text), { maxLength: 40 })
      .map((words) => words.join(' ')),
  ),
  filter,
  limit: fc.integer({ min: 1, max: 1000 }),
  offset: fc.integer({ min: 0, max: 10_000 }),
  continuationToken: fc
    .integer({ min: 0, max: 100 })
    .map((o) => Buffer.from(JSON.stringify({ v: 1, offset: o })).toString('base64url')),
  orderby: fc.array(
    fc.dictionary(fc.constantFrom('name', 'updateTime', 'createTime'), fc.constantFrom('ASC', 'desc'), {
      minKeys: 1,
      maxKeys: 1,
    }),
    { maxLength: 3 },
  ),
  facets: fc.array(
    shape({
      facet: fc.constantFrom('assetType', 'classification', 'entityType', 'objectType', 'term'),
      count: fc.integer({ min: 0, max: 1000 }),
      sort: fc.dictionary(fc.constantFrom('count', 'value'), fc.constantFrom('asc', 'desc'), {
        minKeys: 1,
        maxKeys: 1,
      }),
    }),
    { maxLength: 3 },
  ),
});

/** The clock takes exactly one of its fields. */
export const clockBody = fc.oneof(
  shape({
    now: fc.oneof(
      fc
        .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      text,
    ),
  }),
  shape({ offsetSeconds: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) }),
  shape({ advanceSeconds: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) }),
);

/** A token request form, as `key=value` pairs (keys may repeat, which makes arrays in the parsed form). */
export const tokenForm: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('grant_type', 'client_id', 'client_secret', 'scope', 'resource', 'x'),
      fc.oneof(
        fc.constantFrom(
          'client_credentials',
          'purview-emulator',
          'purview-emulator-secret',
          'https://purview.azure.net/.default',
          'https://purview.azure.net',
          'https://management.azure.com/.default',
        ),
        hostileString,
      ),
    ),
    { maxLength: 8 },
  )
  .map((pairs) => new URLSearchParams(pairs).toString());

export { name as resourceName };
