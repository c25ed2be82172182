import { PurviewError } from '../../common/errors';
import {
  decodeContinuationToken,
  encodeContinuationToken,
  facetValues,
  parseQueryOptions,
  selectMatchesSql,
} from './search-query';
import { sql } from './sql';

function status(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof PurviewError ? error.status : -1;
  }
  return undefined;
}

describe('search QueryOptions', () => {
  it('defaults: limit 50, offset 0, name order without keywords, relevance with them', () => {
    expect(parseQueryOptions(undefined)).toEqual({
      tokens: [],
      filter: undefined,
      limit: 50,
      offset: 0,
      orderBy: [{ field: 'name', direction: 'ASC' }],
      facets: [],
    });
    expect(parseQueryOptions({ keywords: 'x' }).orderBy).toEqual([
      { field: 'score', direction: 'DESC' },
      { field: 'name', direction: 'ASC' },
    ]);
  });

  it('validates limit (1..1000)', () => {
    expect(parseQueryOptions({ limit: 1000 }).limit).toBe(1000);
    expect(status(() => parseQueryOptions({ limit: 1001 }))).toBe(400);
    expect(status(() => parseQueryOptions({ limit: 0 }))).toBe(400);
    expect(status(() => parseQueryOptions({ limit: 2.5 }))).toBe(400);
    expect(status(() => parseQueryOptions({ limit: '10' }))).toBe(400);
  });

  it('round-trips continuation tokens and accepts the continuousToken typo and the legacy offset', () => {
    const token = encodeContinuationToken(150);
    expect(decodeContinuationToken(token)).toBe(150);
    expect(parseQueryOptions({ continuationToken: token }).offset).toBe(150);
    expect(parseQueryOptions({ continuousToken: token }).offset).toBe(150);
    expect(parseQueryOptions({ offset: 20 }).offset).toBe(20);
    expect(status(() => parseQueryOptions({ continuationToken: 'garbage!' }))).toBe(400);
    expect(
      status(() => parseQueryOptions({ continuationToken: Buffer.from('{"v":1,"offset":-1}').toString('base64') })),
    ).toBe(400);
  });

  it('parses orderby in object and string form', () => {
    expect(parseQueryOptions({ orderby: [{ name: 'ASC' }, { updateTime: 'desc' }] }).orderBy).toEqual([
      { field: 'name', direction: 'ASC' },
      { field: 'updateTime', direction: 'DESC' },
    ]);
    expect(parseQueryOptions({ orderby: ['createTime desc'] }).orderBy).toEqual([
      { field: 'createTime', direction: 'DESC' },
    ]);
    expect(status(() => parseQueryOptions({ orderby: [{ size: 'ASC' }] }))).toBe(400);
    expect(status(() => parseQueryOptions({ orderby: [{ name: 'UP' }] }))).toBe(400);
  });

  it('parses facets and rejects unknown ones', () => {
    expect(
      parseQueryOptions({
        facets: [
          { facet: 'assetType', count: 0, sort: { count: 'desc' } },
          { facet: 'classification', count: 3, sort: { value: 'asc' } },
        ],
      }).facets,
    ).toEqual([
      { facet: 'assetType', count: 10, sortBy: 'count', direction: 'desc' },
      { facet: 'classification', count: 3, sortBy: 'value', direction: 'asc' },
    ]);
    expect(status(() => parseQueryOptions({ facets: [{ facet: 'colour' }] }))).toBe(400);
  });

  it('accepts taxonomySetting in the spec shape (as clients send it) and rejects other shapes', () => {
    const taxonomySetting = { assetTypes: ['Azure Blob Storage'], facet: { count: 10, sort: { count: 'desc' } } };
    expect(parseQueryOptions({ keywords: 'x', taxonomySetting }).tokens).toEqual(['x']);
    expect(() =>
      parseQueryOptions({ taxonomySetting: { assetTypes: [], facet: { facet: 'assetType' } } }),
    ).not.toThrow();
    for (const bad of [
      'Azure Blob Storage',
      { assetTypes: 'Azure Blob Storage' },
      { assetTypes: [1] },
      { facet: { count: -1 } },
      { facet: { sort: { size: 'desc' } } },
      { facet: { facet: 3 } },
      { colour: 'red' },
    ])
      expect(status(() => parseQueryOptions({ taxonomySetting: bad }))).toBe(400);
  });

  it('sorts and truncates facet values', () => {
    const counts = new Map([
      ['b', 2],
      ['a', 2],
      ['c', 5],
    ]);
    expect(facetValues(counts, { facet: 'entityType', count: 2, sortBy: 'count', direction: 'desc' })).toEqual([
      { value: 'c', count: 5 },
      { value: 'a', count: 2 },
    ]);
    expect(
      facetValues(counts, { facet: 'entityType', count: 10, sortBy: 'value', direction: 'desc' }).map((v) => v.value),
    ).toEqual(['c', 'b', 'a']);
  });

  it('builds keyset conditions that follow each order direction', () => {
    const query = selectMatchesSql(
      sql('e.status = ?', 'ACTIVE'),
      sql('0'),
      [{ field: 'updateTime', direction: 'DESC' }],
      { limit: 10, after: [5, 'g'] },
    );
    expect(query.sql).toContain('WHERE (t.update_time < ?) OR ((t.update_time = ?) AND (t.guid > ?))');
    expect(query.params).toEqual(['ACTIVE', 5, 5, 'g', 10, 0]);
  });

  it('merges extra hits (glossary terms) into the order only when there are some', () => {
    const order = [{ field: 'name' as const, direction: 'ASC' as const }];
    expect(selectMatchesSql(sql('1'), sql('0'), order, { limit: 5 }).sql).not.toContain('UNION ALL');
    const query = selectMatchesSql(sql('e.status = ?', 'ACTIVE'), sql('0'), order, { limit: 5, extra: '[]' });
    expect(query.sql).toContain('UNION ALL');
    expect(query.params).toEqual(['ACTIVE', '[]', 5, 0]);
  });
});
