import type { DataSource } from 'typeorm';
import { PurviewError } from '../../common/errors';
import { FilterNode, compileFilter, evaluateFilter, parseFilter, planFilter } from './search-filter';
import type { SearchDocument } from './search-document';
import { doc, sqliteWith } from './testing/search-fixtures';

const NOW = 1_700_000_000_000;
const DAY = 24 * 3600 * 1000;

const DOCS: SearchDocument[] = [
  doc({
    guid: 'g1',
    name: 'sales.csv',
    classifications: ['MICROSOFT.PERSONAL.EMAIL'],
    attributes: { size: 120, isFile: true, path: '/c/sales.csv' },
    updateTime: NOW - DAY / 2,
  }),
  doc({
    guid: 'g2',
    name: 'Orders.PARQUET',
    attributes: { size: 5000, isFile: true, owner: 'alice', lastModified: NOW - 2 * DAY },
    createTime: NOW - 400 * DAY,
    updateTime: NOW - 10 * DAY,
  }),
  doc({
    guid: 'g3',
    name: 'c',
    typeName: 'azure_blob_container',
    qualifiedName: 'https://acct.blob.core.windows.net/c',
    collectionId: 'Finance',
  }),
  doc({
    guid: 'g4',
    name: 'acct',
    typeName: 'azure_storage_account',
    qualifiedName: 'https://acct.core.windows.net',
    description: 'Sales 100% data_lake',
  }),
  doc({
    guid: 'g5',
    name: 'customer_id',
    typeName: 'column',
    qualifiedName: 'https://acct.blob.core.windows.net/c/sales.csv#__tabular_schema//customer_id',
    attributes: { type: 'UTF8', tags: ['pii', 'key'] },
    classifications: ['MICROSOFT.PERSONAL.EMAIL', 'CUSTOM.ID'],
  }),
  doc({ guid: 'g6', name: 'thing', typeName: 'some_custom_type', qualifiedName: 'custom://thing' }),
  doc({
    guid: 'g7',
    name: 'Report_2024.CSV',
    typeName: 'azure_datalake_gen2_path',
    qualifiedName: 'https://acct.dfs.core.windows.net/fs/Report_2024.CSV',
    attributes: { size: '77', lastModified: new Date(NOW - 3 * DAY).toISOString() },
  }),
];

function parseError(raw: unknown): string {
  try {
    parseFilter(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(PurviewError);
    expect((error as PurviewError).status).toBe(400);
    return (error as PurviewError).message;
  }
  throw new Error('expected a 400');
}

function matchingInJs(node: FilterNode | undefined): string[] {
  return DOCS.filter((d) => !node || evaluateFilter(node, d, NOW))
    .map((d) => d.guid)
    .sort();
}

describe('search filter grammar', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await sqliteWith(DOCS);
  });
  afterAll(() => db.destroy());

  it('parses the plain and the kind-tagged grammar to the same tree', () => {
    const plain = parseFilter({
      and: [
        { objectType: 'Files' },
        { entityType: 'azure_blob_path', includeSubTypes: false },
        { not: { classification: 'X' } },
      ],
    });
    const tagged = parseFilter({
      kind: 'AndFilter',
      and: [
        { kind: 'ObjectTypeFilter', objectType: 'Files' },
        { kind: 'TypeFilter', typeName: 'azure_blob_path', includeSubTypes: false },
        { kind: 'NotFilter', not: { kind: 'ClassificationFilter', classification: 'X' } },
      ],
    });
    expect(tagged).toEqual(plain);
    expect(plain).toEqual({
      op: 'and',
      children: [
        { op: 'objectType', objectType: 'Files' },
        { op: 'type', typeName: 'azure_blob_path' },
        { op: 'not', child: { op: 'classification', classification: 'X' } },
      ],
    });
  });

  it('parses attribute, collection, id, file extension and time clauses', () => {
    expect(parseFilter({ attributeName: 'size', operator: 'GT', attributeValue: 10 })).toEqual({
      op: 'attribute',
      attributeName: 'size',
      operator: 'gt',
      value: 10,
    });
    expect(parseFilter({ kind: 'CollectionFilter', collectionId: 'Finance' })).toEqual({
      op: 'collection',
      collectionId: 'Finance',
    });
    expect(parseFilter({ kind: 'IdFilter', id: 'g1' })).toEqual({ op: 'id', id: 'g1' });
    expect(parseFilter({ fileExtension: '.csv' })).toEqual({ op: 'fileExtension', extension: 'csv' });
    expect(parseFilter({ createTime: { operator: 'lt', timeThreshold: 5 } })).toEqual({
      op: 'time',
      field: 'createTime',
      condition: { kind: 'compare', operator: 'lt', threshold: 5 },
    });
    expect(parseFilter({ kind: 'UpdateTimeFilter', updateTime: 'LAST_7D' })).toEqual({
      op: 'time',
      field: 'updateTime',
      condition: { kind: 'relative', value: 'LAST_7D' },
    });
    expect(parseFilter(null)).toBeUndefined();
  });

  it('rejects unknown keys and kinds with a 400 naming them', () => {
    expect(parseError({ colour: 'red' })).toContain(`'colour'`);
    expect(parseError({ entityType: 'x', colour: 'red' })).toContain(`'colour'`);
    expect(parseError({ kind: 'ColourFilter', colour: 'red' })).toContain(`'ColourFilter'`);
    expect(parseError({ kind: 'TypeFilter', typeName: 'x', entityType: 'y' })).toContain(`'entityType'`);
    expect(parseError({ and: [{ objectType: 'Files' }, { bogus: 1 }] })).toContain(`'bogus'`);
    expect(parseError({ and: [] })).toContain('non-empty array');
    expect(parseError({ attributeName: 'size', operator: 'like', attributeValue: 'x' })).toContain(`'like'`);
    expect(parseError({ attributeName: 'name', operator: 'contains', attributeValue: 3 })).toContain(
      'must be a string',
    );
    expect(parseError({ updateTime: 'YESTERDAY' })).toContain('YESTERDAY');
    expect(parseError([])).toContain('JSON object');
  });

  it('limits nesting', () => {
    let deep: unknown = { objectType: 'Files' };
    for (let i = 0; i < 40; i++) deep = { not: deep };
    expect(parseError(deep)).toContain('nested');
  });

  it.each<[string, unknown, string[]]>([
    ['entityType', { entityType: 'azure_blob_path' }, ['g1', 'g2']],
    ['objectType Files', { objectType: 'Files' }, ['g1', 'g2']],
    ['objectType Others (unmapped and mapped to Others)', { objectType: 'others' }, ['g6', 'g7']],
    ['assetType', { assetType: 'Azure Data Lake Storage Gen2' }, ['g7']],
    ['assetType unknown', { assetType: 'Nope' }, []],
    ['classification', { classification: 'MICROSOFT.PERSONAL.EMAIL' }, ['g1', 'g5']],
    ['collection (case-insensitive)', { collectionId: 'finance' }, ['g3']],
    ['id', { id: 'g4' }, ['g4']],
    ['file extension (case-insensitive)', { fileExtension: 'csv' }, ['g1', 'g7']],
    ['not', { not: { entityType: 'azure_blob_path' } }, ['g3', 'g4', 'g5', 'g6', 'g7']],
    ['or', { or: [{ id: 'g1' }, { classification: 'CUSTOM.ID' }] }, ['g1', 'g5']],
    [
      'name eq is case-insensitive',
      { attributeName: 'name', operator: 'eq', attributeValue: 'ORDERS.parquet' },
      ['g2'],
    ],
    ['name ne', { attributeName: 'name', operator: 'ne', attributeValue: 'c' }, ['g1', 'g2', 'g4', 'g5', 'g6', 'g7']],
    [
      'qualifiedName prefix',
      { attributeName: 'qualifiedName', operator: 'prefix', attributeValue: 'https://acct.blob.core.windows.net/c/' },
      ['g1', 'g2', 'g5'],
    ],
    [
      'name contains with LIKE metacharacters',
      { attributeName: 'name', operator: 'contains', attributeValue: '_2024' },
      ['g7'],
    ],
    ['numeric gt', { attributeName: 'size', operator: 'gt', attributeValue: 100 }, ['g1', 'g2']],
    ['numeric le against a numeric string', { attributeName: 'size', operator: 'le', attributeValue: 100 }, ['g7']],
    [
      'ne on a missing attribute',
      { attributeName: 'owner', operator: 'ne', attributeValue: 'alice' },
      ['g1', 'g3', 'g4', 'g5', 'g6', 'g7'],
    ],
    ['array attribute: some element', { attributeName: 'tags', operator: 'eq', attributeValue: 'PII' }, ['g5']],
    ['boolean eq', { attributeName: 'isFile', operator: 'eq', attributeValue: true }, ['g1', 'g2']],
    [
      'createTime lt',
      { createTime: { operator: 'lt', timeThreshold: NOW - 365 * DAY } },
      ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7'],
    ],
    ['updateTime LAST_24H', { updateTime: 'LAST_24H' }, ['g1']],
    ['updateTime LAST_30D', { kind: 'UpdateTimeFilter', updateTime: 'LAST_30D' }, ['g1', 'g2']],
    [
      'createTime timerange',
      { createTime: { operator: 'timerange', timeThreshold: { from: NOW - 401 * DAY, to: NOW } } },
      ['g2'],
    ],
    [
      'attribute timerange on updateTime (relative)',
      { attributeName: 'updateTime', operator: 'timerange', attributeValue: 'LAST_7D' },
      ['g1'],
    ],
    [
      'attribute timerange on an attribute of epoch ms or ISO dates (JS)',
      {
        kind: 'AttributeFilter',
        attributeName: 'lastModified',
        operator: 'TimeRange',
        attributeValue: { from: NOW - 7 * DAY, to: NOW },
      },
      ['g2', 'g7'],
    ],
    ['term filter matches nothing (no glossary)', { kind: 'TermFilter', term: 'Revenue' }, []],
  ])('%s: JS and SQL agree', async (_label, raw, expected) => {
    const node = parseFilter(raw)!;
    expect(matchingInJs(node)).toEqual(expected);
    const plan = planFilter(node, NOW);
    const rows = await db.query<{ guid: string }[]>(
      `SELECT e.guid FROM datamap_entities e WHERE ${plan.where.sql} ORDER BY e.guid`,
      plan.where.params,
    );
    const viaSql = rows
      .map((r) => r.guid)
      .filter(
        (guid) =>
          !plan.residual ||
          evaluateFilter(
            plan.residual,
            DOCS.find((d) => d.guid === guid)!,
            NOW,
          ),
      );
    expect(viaSql).toEqual(expected);
  });

  it('rejects a timerange attribute filter without a range or relative time', () => {
    expect(parseError({ attributeName: 'updateTime', operator: 'timerange', attributeValue: 5 })).toMatch(
      /attributeValue\.timeThreshold must be \{"from","to"\} or one of LAST_24H/,
    );
    expect(parseError({ attributeName: 'size', operator: 'between', attributeValue: 5 })).toMatch(/le, timerange\./);
  });

  it('pushes what SQL can do and leaves the rest to JS', () => {
    const node = parseFilter({
      and: [{ entityType: 'azure_blob_path' }, { attributeName: 'size', operator: 'gt', attributeValue: 100 }],
    })!;
    const plan = planFilter(node, NOW);
    expect(plan.where.sql).toBe('e.type_name = ?');
    expect(plan.residual).toEqual({ op: 'attribute', attributeName: 'size', operator: 'gt', value: 100 });
    expect(
      compileFilter(
        parseFilter({ or: [{ id: 'a' }, { attributeName: 'size', operator: 'eq', attributeValue: 1 }] })!,
        NOW,
      ),
    ).toBeUndefined();
    expect(
      planFilter(parseFilter({ attributeName: 'name', operator: 'prefix', attributeValue: 'a' }), NOW).residual,
    ).toBeUndefined();
  });
});
