import { INACTIVE_ENTITIES_INDEX } from '../../database/migrations/1764700000031-search-inactive-entities';
import { SEARCH_INDEX_TABLE, ftsPhrase, indexable } from './search-keywords';
import type { SearchRequest } from './search-query';
import { Sql, sql } from './sql';

/** Sorts after every character, so `[t, t + MAX)` in the name index's NOCASE order is "starts with t". */
const MAX_CHAR = '\u{10FFFF}';

/**
 * The fast path for a broad keyword (one that matches a large share of the data map). With one keyword and relevance
 * order, the best results are the names equal to it, then the names starting with it (scores 8 and 6, above anything
 * else a single keyword scores), in name then guid order; and that is the order of the NOCASE name index over the
 * range `[keyword, keyword + MAX)`, equal names first. So a page inside that range is read from the index, without
 * ranking every match; and the total comes from the full-text index (its match count, less the inactive entities
 * among the matches), without reading the entity rows. Anything else (more keywords, filters, facets, glossary term
 * hits, a page past the range, a keyword shorter than a trigram) ranks every match as before.
 */
export function prefixTierKeyword(request: SearchRequest): string | undefined {
  const [token] = request.tokens;
  const relevance =
    request.orderBy.length === 2 &&
    request.orderBy[0].field === 'score' &&
    request.orderBy[0].direction === 'DESC' &&
    request.orderBy[1].field === 'name' &&
    request.orderBy[1].direction === 'ASC';
  return request.tokens.length === 1 && indexable(token) && relevance && !request.filter && !request.facets.length
    ? token
    : undefined;
}

function prefixRange(token: string): Sql {
  return sql(`e.name >= ? AND e.name < ?`, token, `${token}${MAX_CHAR}`);
}

/** Active entities whose name starts with the keyword (case-insensitively): index entries, less the inactive ones. */
export function prefixTierCountSql(token: string): Sql {
  const range = prefixRange(token);
  return {
    sql:
      `SELECT (SELECT COUNT(*) FROM datamap_entities e INDEXED BY ix_datamap_entities_name_guid WHERE ${range.sql}) - ` +
      `(SELECT COUNT(*) FROM datamap_entities e INDEXED BY ${INACTIVE_ENTITIES_INDEX} WHERE e.status <> 'ACTIVE' AND ${range.sql}) AS n`,
    params: [...range.params, ...range.params],
  };
}

/**
 * One page of the range in relevance order, as `selectMatchesSql` rows (`hit_*` sort keys, `score`): the name index
 * gives the order, so only the page's rows are read.
 */
export function prefixTierPageSql(token: string, score: Sql, limit: number, offset: number): Sql {
  const range = prefixRange(token);
  return {
    sql:
      `SELECT e.*, (${score.sql}) AS score, e.rowid AS hit_rid, e.guid AS hit_guid, e.name AS hit_name, ` +
      `e.update_time AS hit_update_time, e.create_time AS hit_create_time, NULL AS hit_total ` +
      `FROM datamap_entities e INDEXED BY ix_datamap_entities_name_guid WHERE e.status = 'ACTIVE' AND ${range.sql} ` +
      `ORDER BY e.name, e.guid LIMIT ? OFFSET ?`,
    params: [...score.params, ...range.params, limit, offset],
  };
}

/** Inactive entities, which the full-text index still holds (few: soft deletes), from their partial index. */
export const INACTIVE_COUNT_SQL: Sql = sql(
  `SELECT COUNT(*) AS n FROM datamap_entities e INDEXED BY ${INACTIVE_ENTITIES_INDEX} WHERE e.status <> 'ACTIVE'`,
);
/** Up to this many inactive entities, each is looked up in the full-text index; past it, one pass checks every match. */
export const INACTIVE_LOOKUPS = 16;

/**
 * Active entities matching the keyword (what `keywordWhereSql` matches): the full-text index's matches less those
 * among the inactive entities, of which there are `inactive`. With none, the match count alone (no entity row read);
 * with a few, a rowid lookup in the index for each; with more, one pass over the matches testing each against them.
 */
export function keywordCountSql(token: string, inactive: number): Sql {
  const phrase = ftsPhrase(token);
  const matches = `SELECT COUNT(*) FROM ${SEARCH_INDEX_TABLE} WHERE ${SEARCH_INDEX_TABLE} MATCH ?`;
  if (inactive === 0)
    return sql(`SELECT COUNT(*) AS n FROM ${SEARCH_INDEX_TABLE} WHERE ${SEARCH_INDEX_TABLE} MATCH ?`, phrase);
  if (inactive <= INACTIVE_LOOKUPS)
    return sql(
      `SELECT (${matches}) - (SELECT COUNT(*) FROM datamap_entities e INDEXED BY ${INACTIVE_ENTITIES_INDEX} ` +
        `WHERE e.status <> 'ACTIVE' AND EXISTS (SELECT 1 FROM ${SEARCH_INDEX_TABLE} f WHERE ${SEARCH_INDEX_TABLE} MATCH ? ` +
        `AND f.rowid = e.rowid)) AS n`,
      phrase,
      phrase,
    );
  return sql(
    `SELECT COUNT(*) - COUNT(CASE WHEN rowid IN (SELECT e.rowid FROM datamap_entities e INDEXED BY ${INACTIVE_ENTITIES_INDEX} ` +
      `WHERE e.status <> 'ACTIVE') THEN 1 END) AS n FROM ${SEARCH_INDEX_TABLE} WHERE ${SEARCH_INDEX_TABLE} MATCH ?`,
    phrase,
  );
}
