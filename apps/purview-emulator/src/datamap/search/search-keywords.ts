import { PurviewError } from '../../common/errors';
import { SearchDocument } from './search-document';
import { Sql, asciiLower, escapeLike, joinSql, sql } from './sql';

export const MAX_KEYWORD_TOKENS = 32;
/**
 * Purview's search runs on Azure AI Search, which caps a search term at 32,766 bytes and a wildcard term at 1,000
 * characters. Every token here is a substring match (a `*term*` wildcard), so a term gets the wildcard cap; the
 * whole string gets the term cap (SQLite refuses LIKE patterns over 50,000 bytes).
 */
export const MAX_KEYWORDS_LENGTH = 32_766;
export const MAX_KEYWORD_TERM_LENGTH = 1000;

/** Relevance weights per token; a document's score is the mean over tokens, scaled to (0, 1]. */
const WEIGHT = { nameEquals: 8, namePrefix: 6, nameContains: 4, qualifiedName: 2, other: 1 } as const;
const MAX_WEIGHT = WEIGHT.nameEquals;

/**
 * Splits `keywords` on whitespace. `null`, empty and `*` mean "everything" (no tokens). Wildcards and quotes are
 * dropped: every remaining token is a case-insensitive substring that must match somewhere.
 */
export function tokenizeKeywords(keywords: unknown): string[] {
  if (keywords === undefined || keywords === null) return [];
  if (typeof keywords !== 'string')
    throw PurviewError.badRequest(`'keywords' must be a string or null, not ${typeof keywords}.`, 'InvalidKeywords');
  if (keywords.length > MAX_KEYWORDS_LENGTH) {
    throw PurviewError.badRequest(
      `'keywords' is ${keywords.length} characters long; at most ${MAX_KEYWORDS_LENGTH} are supported.`,
      'InvalidKeywords',
    );
  }
  const seen = new Set<string>();
  const tokens: string[] = [];
  for (const raw of keywords.split(/\s+/)) {
    const token = raw.replace(/[*"]/g, '');
    if (token === '' || seen.has(asciiLower(token))) continue;
    if (token.length > MAX_KEYWORD_TERM_LENGTH) {
      throw PurviewError.badRequest(
        `A term of 'keywords' is ${token.length} characters long; at most ${MAX_KEYWORD_TERM_LENGTH} are supported per term.`,
        'InvalidKeywords',
      );
    }
    seen.add(asciiLower(token));
    tokens.push(token);
  }
  if (tokens.length > MAX_KEYWORD_TOKENS) {
    throw PurviewError.badRequest(
      `'keywords' has ${tokens.length} terms; at most ${MAX_KEYWORD_TOKENS} are supported.`,
      'InvalidKeywords',
    );
  }
  return tokens;
}

function contains(haystack: string | null, token: string): boolean {
  return haystack !== null && asciiLower(haystack).includes(asciiLower(token));
}

function tokenWeight(doc: SearchDocument, token: string): number {
  const name = asciiLower(doc.name);
  const t = asciiLower(token);
  if (name === t) return WEIGHT.nameEquals;
  if (name.startsWith(t)) return WEIGHT.namePrefix;
  if (name.includes(t)) return WEIGHT.nameContains;
  if (contains(doc.qualifiedName, token)) return WEIGHT.qualifiedName;
  if (
    contains(doc.description, token) ||
    doc.classifications.some((c) => contains(c, token)) ||
    doc.labels.some((l) => contains(l, token)) ||
    (doc.otherText ?? []).some((t) => contains(t, token))
  )
    return WEIGHT.other;
  return 0;
}

/** Every token must occur (case-insensitively) in the name, qualifiedName, description, a classification name or a label. */
export function matchesKeywords(doc: SearchDocument, tokens: readonly string[]): boolean {
  return tokens.every((t) => tokenWeight(doc, t) > 0);
}

/** The JS twin of `keywordScoreSql`'s integer (0 without tokens), for documents merged into SQL's order. */
export function keywordRawScore(doc: SearchDocument, tokens: readonly string[]): number {
  return tokens.reduce((sum, t) => sum + tokenWeight(doc, t), 0);
}

/** The JS twin of `keywordScoreSql`, on the same scale as `scoreFromSql`. */
export function keywordScore(doc: SearchDocument, tokens: readonly string[]): number {
  if (tokens.length === 0) return 1;
  return scoreFromSql(keywordRawScore(doc, tokens), tokens.length);
}

/** Turns the integer the SQL score expression yields into `@search.score`. */
export function scoreFromSql(rawScore: number, tokenCount: number): number {
  if (tokenCount === 0) return 1;
  return Math.round((rawScore / (tokenCount * MAX_WEIGHT)) * 10000) / 10000;
}

/** The full-text index (migration DataMapSearchIndex1764500000021): FTS5 trigram, keyed by the entity's rowid. */
export const SEARCH_INDEX_TABLE = 'datamap_search_fts';
/** Columns of the index, in order. */
export type IndexedColumn = 'name' | 'qualified_name' | 'description' | 'other';

/** The trigram index can answer a substring of at least 3 characters; shorter ones fall back to LIKE over the rows. */
export function indexable(text: string): boolean {
  return [...text].length >= 3;
}

/** An FTS5 string literal: the text, verbatim, as one phrase. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** `e.rowid IN (rows of the index matching the FTS5 query)`. */
export function indexMatchSql(query: string): Sql {
  return sql(`e.rowid IN (SELECT rowid FROM ${SEARCH_INDEX_TABLE} WHERE ${SEARCH_INDEX_TABLE} MATCH ?)`, query);
}

/**
 * WHERE fragment over alias `e` for the tokens; TRUE when there are none. Tokens of 3 characters or more are looked up
 * in the trigram index (one MATCH for all of them: every token somewhere in name, qualifiedName, description or other
 * text); shorter tokens are LIKE-matched over the rows the index (or, without any long token, the table) yields.
 */
export function keywordWhereSql(tokens: readonly string[]): Sql {
  const long = tokens.filter(indexable);
  const parts: Sql[] = [];
  if (long.length) parts.push(indexMatchSql(long.map(ftsPhrase).join(' AND ')));
  for (const t of tokens.filter((token) => !indexable(token))) {
    const like = `%${escapeLike(t)}%`;
    parts.push(
      sql(
        `e.name LIKE ? ESCAPE '\\' OR e.qualified_name LIKE ? ESCAPE '\\' OR COALESCE(e.description, '') LIKE ? ESCAPE '\\' ` +
          `OR EXISTS (SELECT 1 FROM datamap_entity_classifications kc WHERE kc.guid = e.guid AND kc.type_name LIKE ? ESCAPE '\\')` +
          ` OR EXISTS (SELECT 1 FROM json_each(e.labels) kl WHERE kl.value LIKE ? ESCAPE '\\')` +
          ` OR EXISTS (SELECT 1 FROM datamap_entity_business_attributes kb WHERE kb.guid = e.guid AND kb.value LIKE ? ESCAPE '\\')`,
        like,
        like,
        like,
        like,
        like,
        like,
      ),
    );
  }
  return joinSql(parts, 'AND');
}

/** Integer relevance expression over alias `e` (sum of per-token weights; 0 without tokens). */
export function keywordScoreSql(tokens: readonly string[]): Sql {
  if (tokens.length === 0) return sql('0');
  const parts = tokens.map((t) =>
    sql(
      `CASE WHEN e.name = ? COLLATE NOCASE THEN ${WEIGHT.nameEquals} WHEN e.name LIKE ? ESCAPE '\\' THEN ${WEIGHT.namePrefix} ` +
        `WHEN e.name LIKE ? ESCAPE '\\' THEN ${WEIGHT.nameContains} WHEN e.qualified_name LIKE ? ESCAPE '\\' THEN ${WEIGHT.qualifiedName} ELSE ${WEIGHT.other} END`,
      t,
      `${escapeLike(t)}%`,
      `%${escapeLike(t)}%`,
      `%${escapeLike(t)}%`,
    ),
  );
  return { sql: parts.map((p) => `(${p.sql})`).join(' + '), params: parts.flatMap((p) => p.params) };
}

/** `@search.highlights`: the fields where a token occurs, with each occurrence wrapped in `<em>`. */
export function highlightsOf(doc: SearchDocument, tokens: readonly string[]): Record<string, string[]> | undefined {
  if (tokens.length === 0) return undefined;
  const result: Record<string, string[]> = {};
  const fields: [string, string | null][] = [
    ['name', doc.name],
    ['qualifiedName', doc.qualifiedName],
    ['description', doc.description],
  ];
  for (const [field, value] of fields) {
    const marked = value === null ? null : emphasize(value, tokens);
    if (marked !== null) result[field] = [marked];
  }
  return Object.keys(result).length ? result : undefined;
}

export function emphasize(value: string, tokens: readonly string[]): string | null {
  const lower = asciiLower(value);
  const marks = new Array<boolean>(value.length).fill(false);
  for (const token of tokens) {
    const t = asciiLower(token);
    for (let i = lower.indexOf(t); i !== -1; i = lower.indexOf(t, i + 1)) marks.fill(true, i, i + t.length);
  }
  if (!marks.includes(true)) return null;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    if (marks[i] && (i === 0 || !marks[i - 1])) out += '<em>';
    out += value[i];
    if (marks[i] && (i === value.length - 1 || !marks[i + 1])) out += '</em>';
  }
  return out;
}
