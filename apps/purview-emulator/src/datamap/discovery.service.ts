import { Injectable } from '@nestjs/common';
import {
  AUTOCOMPLETE_DEFAULT_LIMIT,
  AutoCompleteConfigSchema,
  type AutoCompleteResult,
  SUGGEST_DEFAULT_LIMIT,
  SuggestConfigSchema,
  type SuggestResult,
} from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { parseBody } from '../common/validation';
import { DataMapRepository, SearchRow } from './datamap.repository';
import { toSearchDocument } from './entity-model';
import { evaluateFilter, parseFilter, planFilter } from './search/search-filter';
import {
  emphasize,
  ftsPhrase,
  indexMatchSql,
  indexable,
  keywordWhereSql,
  tokenizeKeywords,
} from './search/search-keywords';
import { OrderTerm } from './search/search-query';
import { searchResultValue } from './search/search-result';
import { SearchTerms } from './search/term-index';
import { Sql, asciiLower, escapeLike, joinSql, sql } from './search/sql';

/** Entity names autocomplete reads words from, at most (the best-ranked ones). */
const AUTOCOMPLETE_SOURCE_ROWS = 500;
const BY_SCORE_THEN_NAME: OrderTerm[] = [
  { field: 'score', direction: 'DESC' },
  { field: 'name', direction: 'ASC' },
];

/** Case-insensitive substring `text` in name or qualifiedName: the trigram index narrows, LIKE decides. */
function nameOrQualifiedNameSql(text: string): Sql {
  const like = `%${escapeLike(text)}%`;
  const exact = sql(`e.name LIKE ? ESCAPE '\\' OR e.qualified_name LIKE ? ESCAPE '\\'`, like, like);
  if (!indexable(text)) return exact;
  return joinSql([indexMatchSql(`{name qualified_name} : ${ftsPhrase(text)}`), exact], 'AND');
}

/** Suggest ranking: the name equal to, then starting with, then containing the text; then the qualifiedName. */
function suggestScoreSql(text: string): Sql {
  return sql(
    `CASE WHEN e.name = ? COLLATE NOCASE THEN 4 WHEN e.name LIKE ? ESCAPE '\\' THEN 3 WHEN e.name LIKE ? ESCAPE '\\' THEN 2 ELSE 1 END`,
    text,
    `${escapeLike(text)}%`,
    `%${escapeLike(text)}%`,
  );
}

/** Words of a name as a text analyzer splits them (letters, digits, `_` and inner `.`), lowercased. */
function wordsOf(name: string): string[] {
  return name
    .split(/[^\p{L}\p{N}_.]+/u)
    .map((w) => w.replace(/^\.+|\.+$/g, '').toLowerCase())
    .filter(Boolean);
}

/**
 * Discovery's type-ahead operations: `search/suggest` (entities whose name or qualifiedName contains the keywords,
 * best first) and `search/autocomplete` (completions of the last keyword from words of matching entity names).
 * Both use the search index and the search filter grammar.
 */
@Injectable()
export class DiscoveryService {
  constructor(
    private readonly repository: DataMapRepository,
    private readonly clock: Clock,
    private readonly terms: SearchTerms,
  ) {}

  async suggest(body: unknown): Promise<SuggestResult> {
    const config = parseBody(SuggestConfigSchema, body, 'InvalidSuggestRequest');
    const text = config.keywords.trim();
    if (!text) return { value: [] };
    const limit = config.limit ?? SUGGEST_DEFAULT_LIMIT;
    const rows = await this.matching(nameOrQualifiedNameSql(text), suggestScoreSql(text), config.filter, limit);
    return {
      value: rows.map((row) => {
        const marked = emphasize(row.record.name, [text]) ?? emphasize(row.record.qualifiedName, [text]);
        return { ...searchResultValue(row.record, row.score), '@search.text': marked ?? row.record.name };
      }),
    };
  }

  async autocomplete(body: unknown): Promise<AutoCompleteResult> {
    const config = parseBody(AutoCompleteConfigSchema, body, 'InvalidAutoCompleteRequest');
    const limit = config.limit ?? AUTOCOMPLETE_DEFAULT_LIMIT;
    const split = /^(.*?)(\S*)$/s.exec(config.keywords);
    const before = (split?.[1] ?? '').trim();
    const term = split?.[2] ?? '';
    if (!term) return { value: [] };
    const where = joinSql([keywordWhereSql(tokenizeKeywords(before)), nameOrQualifiedNameSql(term)], 'AND');
    const rows = await this.matching(where, suggestScoreSql(term), config.filter, AUTOCOMPLETE_SOURCE_ROWS);
    const prefix = asciiLower(term);
    const counts = new Map<string, number>();
    for (const row of rows)
      for (const word of new Set(wordsOf(row.record.name)))
        if (word.startsWith(prefix)) counts.set(word, (counts.get(word) ?? 0) + 1);
    const words = [...counts.entries()]
      .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
      .slice(0, limit)
      .map(([word]) => word);
    return { value: words.map((text) => ({ text, queryPlusText: before ? `${before} ${text}` : text })) };
  }

  /** Active entities matching `where` and the filter, best first, at most `limit`. */
  private async matching(where: Sql, score: Sql, rawFilter: unknown, limit: number): Promise<SearchRow[]> {
    const now = this.clock.nowMs();
    const plan = planFilter(parseFilter(rawFilter ?? undefined), now, this.terms.index);
    const all = joinSql([sql(`e.status = 'ACTIVE'`), where, plan.where], 'AND');
    const residual = plan.residual;
    if (!residual) return this.repository.matches(all, score, BY_SCORE_THEN_NAME, { limit });
    const out: SearchRow[] = [];
    const chunk = Math.max(limit, 100);
    for (let after: unknown[] | undefined; ;) {
      const rows = await this.repository.matches(all, score, BY_SCORE_THEN_NAME, { limit: chunk, after });
      for (const row of rows) {
        if (evaluateFilter(residual, toSearchDocument(row.record), now)) out.push(row);
        if (out.length === limit) return out;
      }
      if (rows.length < chunk) return out;
      after = rows[rows.length - 1].cursor;
    }
  }
}
