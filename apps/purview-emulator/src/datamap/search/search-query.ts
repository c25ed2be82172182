import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { FilterNode, parseFilter } from './search-filter';
import { tokenizeKeywords } from './search-keywords';
import { Sql, joinSql, sql } from './sql';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;
const DEFAULT_FACET_COUNT = 10;
const MAX_FACET_COUNT = 1000;

/** Facets computed from the data map. */
export const COMPUTED_FACETS = ['assetType', 'classification', 'entityType', 'objectType'] as const;
/** Facets Purview knows that the emulator's data map never has values for (no glossary, contacts or labels index). */
export const EMPTY_FACETS = [
  'contactId',
  'contactType',
  'glossaryType',
  'label',
  'term',
  'termStatus',
  'termTemplate',
] as const;
export type FacetName = (typeof COMPUTED_FACETS)[number] | (typeof EMPTY_FACETS)[number];

export type OrderField = 'name' | 'updateTime' | 'createTime' | 'score';
export interface OrderTerm {
  field: OrderField;
  direction: 'ASC' | 'DESC';
}

export interface FacetRequest {
  facet: FacetName;
  count: number;
  sortBy: 'count' | 'value';
  direction: 'asc' | 'desc';
}

/** A validated `QueryOptions` body. */
export interface SearchRequest {
  tokens: string[];
  filter?: FilterNode;
  limit: number;
  offset: number;
  orderBy: OrderTerm[];
  facets: FacetRequest[];
}

function bad(message: string, code = 'InvalidSearchRequest'): PurviewError {
  return PurviewError.badRequest(message, code);
}

/** Validates a search body (2023-09-01 `QueryOptions`, plus the legacy `offset` and the `continuousToken` typo). */
export function parseQueryOptions(body: unknown): SearchRequest {
  if (body === undefined || body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw bad('The search request body must be a JSON object (QueryOptions).');
  const options = body as Record<string, unknown>;
  const tokens = tokenizeKeywords(options.keywords);

  let limit = DEFAULT_LIMIT;
  if (options.limit !== undefined && options.limit !== null) {
    if (
      typeof options.limit !== 'number' ||
      !Number.isInteger(options.limit) ||
      options.limit < 1 ||
      options.limit > MAX_LIMIT
    ) {
      throw bad(
        `'limit' must be an integer from 1 to ${MAX_LIMIT}, not ${abbreviate(String(JSON.stringify(options.limit)))}.`,
        'InvalidLimit',
      );
    }
    limit = options.limit;
  }

  let offset = 0;
  const token = options.continuationToken ?? options.continuousToken;
  if (token !== undefined && token !== null && token !== '') {
    offset = decodeContinuationToken(token);
  } else if (options.offset !== undefined && options.offset !== null) {
    if (typeof options.offset !== 'number' || !Number.isInteger(options.offset) || options.offset < 0)
      throw bad(`'offset' must be a non-negative integer.`);
    offset = options.offset;
  }

  parseTaxonomySetting(options.taxonomySetting);
  return {
    tokens,
    filter: parseFilter(options.filter),
    limit,
    offset,
    orderBy: parseOrderBy(options.orderby, tokens.length > 0),
    facets: parseFacets(options.facets),
  };
}

export function encodeContinuationToken(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, offset })).toString('base64url');
}

export function decodeContinuationToken(token: unknown): number {
  const invalid = () =>
    bad(
      `The continuationToken is not valid; pass back the continuationToken of the previous response unchanged.`,
      'InvalidContinuationToken',
    );
  if (typeof token !== 'string' || token.length > 512) throw invalid();
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; offset?: unknown };
    if (
      decoded.v !== 1 ||
      typeof decoded.offset !== 'number' ||
      !Number.isInteger(decoded.offset) ||
      decoded.offset < 0
    )
      throw invalid();
    return decoded.offset;
  } catch {
    throw invalid();
  }
}

const ORDER_FIELDS: Record<string, OrderField> = { name: 'name', updatetime: 'updateTime', createtime: 'createTime' };

function orderTerm(field: string, direction: unknown): OrderTerm {
  const f = ORDER_FIELDS[field.toLowerCase()];
  if (!f)
    throw bad(`Cannot order by '${abbreviate(field)}'. Supported: name, updateTime, createTime.`, 'InvalidOrderBy');
  const d = direction === undefined ? 'ASC' : typeof direction === 'string' ? direction.toUpperCase() : '';
  if (d !== 'ASC' && d !== 'DESC')
    throw bad(
      `The order direction for '${abbreviate(field)}' must be ASC or DESC, not ${abbreviate(String(JSON.stringify(direction)))}.`,
      'InvalidOrderBy',
    );
  return { field: f, direction: d };
}

/** `[{"name":"ASC"},{"updateTime":"DESC"}]`, also `["name desc"]`. Default: relevance with keywords, else name. */
function parseOrderBy(raw: unknown, hasKeywords: boolean): OrderTerm[] {
  const terms: OrderTerm[] = [];
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) throw bad(`'orderby' must be an array such as [{"name":"ASC"}].`, 'InvalidOrderBy');
    for (const item of raw as unknown[]) {
      if (typeof item === 'string') {
        const [field, direction] = item.trim().split(/\s+/);
        terms.push(orderTerm(field ?? '', direction));
      } else if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1) {
        const [[field, direction]] = Object.entries(item as Record<string, unknown>);
        terms.push(orderTerm(field, direction));
      } else {
        throw bad(`Each 'orderby' entry must be an object with one field, such as {"name":"ASC"}.`, 'InvalidOrderBy');
      }
    }
  }
  if (terms.length > 0) return terms;
  return hasKeywords
    ? [
        { field: 'score', direction: 'DESC' },
        { field: 'name', direction: 'ASC' },
      ]
    : [{ field: 'name', direction: 'ASC' }];
}

function parseFacets(raw: unknown): FacetRequest[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw bad(`'facets' must be an array such as [{"facet":"assetType","count":10}].`, 'InvalidFacets');
  const known = [...COMPUTED_FACETS, ...EMPTY_FACETS] as readonly string[];
  return raw.map((item: unknown, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      throw bad(`facets[${i}] must be an object.`, 'InvalidFacets');
    const f = item as { facet?: unknown; count?: unknown; sort?: unknown };
    if (typeof f.facet !== 'string' || !known.includes(f.facet)) {
      throw bad(
        `facets[${i}].facet ${abbreviate(String(JSON.stringify(f.facet)))} is not supported. Supported facets: ${known.join(', ')}.`,
        'InvalidFacets',
      );
    }
    let count = DEFAULT_FACET_COUNT;
    if (f.count !== undefined && f.count !== null) {
      if (typeof f.count !== 'number' || !Number.isInteger(f.count) || f.count < 0 || f.count > MAX_FACET_COUNT) {
        throw bad(`facets[${i}].count must be an integer from 0 to ${MAX_FACET_COUNT}.`, 'InvalidFacets');
      }
      if (f.count > 0) count = f.count;
    }
    let sortBy: 'count' | 'value' = 'count';
    let direction: 'asc' | 'desc' = 'desc';
    if (f.sort !== undefined && f.sort !== null) {
      const entries =
        typeof f.sort === 'object' && !Array.isArray(f.sort) ? Object.entries(f.sort as Record<string, unknown>) : [];
      const [key, dir] = entries[0] ?? [];
      const d = typeof dir === 'string' ? dir.toLowerCase() : '';
      if (entries.length !== 1 || (key !== 'count' && key !== 'value') || (d !== 'asc' && d !== 'desc')) {
        throw bad(`facets[${i}].sort must be {"count":"asc|desc"} or {"value":"asc|desc"}.`, 'InvalidFacets');
      }
      sortBy = key;
      direction = d;
    }
    return { facet: f.facet as FacetName, count, sortBy, direction };
  });
}

/**
 * `taxonomySetting` (`SearchTaxonomySetting`: `assetTypes` and a facet item) is checked for its shape, as the spec
 * declares it, and otherwise has no effect: the emulator keeps no asset-type taxonomy (README, search grammar).
 */
function parseTaxonomySetting(raw: unknown): void {
  if (raw === undefined || raw === null) return;
  const invalid = (what: string) => bad(`'taxonomySetting'${what}`, 'InvalidTaxonomySetting');
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalid(` must be an object such as {"assetTypes":["Azure Blob Storage"],"facet":{"count":10}}.`);
  const setting = raw as Record<string, unknown>;
  const extra = Object.keys(setting).find((k) => k !== 'assetTypes' && k !== 'facet');
  if (extra) throw invalid(` allows only 'assetTypes' and 'facet', not '${abbreviate(extra)}'.`);
  const { assetTypes, facet } = setting;
  if (
    assetTypes !== undefined &&
    assetTypes !== null &&
    (!Array.isArray(assetTypes) || assetTypes.some((a) => typeof a !== 'string'))
  )
    throw invalid(`.assetTypes must be an array of strings.`);
  if (facet === undefined || facet === null) return;
  if (typeof facet !== 'object' || Array.isArray(facet)) throw invalid(`.facet must be an object.`);
  const { facet: name, count, sort } = facet as Record<string, unknown>;
  if (name !== undefined && name !== null && typeof name !== 'string') throw invalid(`.facet.facet must be a string.`);
  // Clients send only count and sort here; they are checked as a facet item's are.
  try {
    parseFacets([{ facet: 'assetType', count, sort }]);
  } catch {
    throw invalid(`.facet must be {"count": 0..${MAX_FACET_COUNT}, "sort": {"count"|"value": "asc"|"desc"}}.`);
  }
}

/** Sorts and truncates facet counts as the request asks; ties fall back to the value, ascending. */
export function facetValues(
  counts: ReadonlyMap<string, number>,
  request: FacetRequest,
): { count: number; value: string }[] {
  const sign = request.direction === 'asc' ? 1 : -1;
  return [...counts.entries()]
    .map(([value, count]) => ({ count, value }))
    .sort((a, b) => {
      const primary = request.sortBy === 'count' ? (a.count - b.count) * sign : a.value.localeCompare(b.value) * sign;
      return primary !== 0 ? primary : a.value.localeCompare(b.value);
    })
    .slice(0, request.count);
}

// ---------------------------------------------------------------------------------------------------------------------
// SQL for paging through matches in order

const ORDER_EXPR: Record<OrderField, string> = {
  name: 't.name COLLATE NOCASE',
  updateTime: 't.update_time',
  createTime: 't.create_time',
  score: 't.score',
};
const ROW_VALUE: Record<OrderField, string> = {
  name: 'name',
  updateTime: 'update_time',
  createTime: 'create_time',
  score: 'score',
};

/** The keyset position of a row: the values of the order columns, then its guid. */
export type Cursor = unknown[];

/** The cursor of a `selectMatchesSql` row (its `hit_*` sort keys, set for entity and extra rows alike). */
export function cursorOf(row: Record<string, unknown>, order: readonly OrderTerm[]): Cursor {
  return [...order.map((o) => row[o.field === 'score' ? 'score' : `hit_${ROW_VALUE[o.field]}`]), row.hit_guid];
}

/**
 * SELECT over the matching entities with their relevance (`score`), ordered by `order` then guid, after an optional
 * keyset cursor, with LIMIT/OFFSET. `where` and `score` are fragments over alias `e`. Matches are ordered on their
 * sort keys alone (a narrow row), and only the page's rows are read whole. `extra` (a JSON array of
 * `{guid, name, update_time, create_time, score}`) merges other hits, glossary terms, into the same order: their rows
 * come back with `hit_rid` NULL and the entity columns NULL.
 */
export function selectMatchesSql(
  where: Sql,
  score: Sql,
  order: readonly OrderTerm[],
  page: {
    limit: number;
    offset?: number;
    after?: Cursor;
    extra?: string;
    /**
     * Count all matches (after the cursor) in the same pass, as each row's `hit_total`: free when every match is
     * ranked anyway (relevance order), costly when an index would have given the first rows of the order at once.
     */
    withTotal?: boolean;
  },
): Sql {
  const terms = [
    ...order.map((o) => ({ expr: ORDER_EXPR[o.field], direction: o.direction })),
    { expr: 't.guid', direction: 'ASC' as const },
  ];
  const extraParams = page.extra ? [page.extra] : [];
  const inner =
    `SELECT e.rowid AS rid, e.guid AS guid, e.name AS name, e.update_time AS update_time, e.create_time AS create_time, ` +
    `(${score.sql}) AS score FROM datamap_entities e WHERE ${where.sql}` +
    (page.extra
      ? ` UNION ALL SELECT NULL, json_extract(x.value, '$.guid'), json_extract(x.value, '$.name'), ` +
        `json_extract(x.value, '$.update_time'), json_extract(x.value, '$.create_time'), json_extract(x.value, '$.score') FROM json_each(?) x`
      : '');
  const parts: Sql[] = [];
  if (page.after) {
    const after = page.after;
    const disjuncts = terms.map((term, i) =>
      joinSql(
        [
          ...terms.slice(0, i).map((t, j) => sql(`${t.expr} = ?`, after[j])),
          sql(`${term.expr} ${term.direction === 'ASC' ? '>' : '<'} ?`, after[i]),
        ],
        'AND',
      ),
    );
    parts.push(joinSql(disjuncts, 'OR'));
  }
  const keyset = parts.length ? ` WHERE ${parts[0].sql}` : '';
  const orderBy = (alias: string) => terms.map((t) => `${t.expr.replace('t.', `${alias}.`)} ${t.direction}`).join(', ');
  return {
    sql:
      `SELECT e.*, p.score AS score, p.rid AS hit_rid, p.guid AS hit_guid, p.name AS hit_name, ` +
      `p.update_time AS hit_update_time, p.create_time AS hit_create_time, p.total AS hit_total ` +
      `FROM (SELECT t.rid, t.score, t.name, t.update_time, t.create_time, t.guid, ${page.withTotal ? 'COUNT(*) OVER ()' : 'NULL'} AS total FROM (${inner}) t${keyset} ` +
      `ORDER BY ${orderBy('t')} LIMIT ? OFFSET ?) p LEFT JOIN datamap_entities e ON e.rowid = p.rid ORDER BY ${orderBy('p')}`,
    params: [
      ...score.params,
      ...where.params,
      ...extraParams,
      ...(parts[0]?.params ?? []),
      page.limit,
      page.offset ?? 0,
    ],
  };
}
