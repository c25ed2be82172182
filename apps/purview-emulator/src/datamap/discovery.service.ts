import { Injectable } from '@nestjs/common';
import {
  AUTOCOMPLETE_DEFAULT_LIMIT,
  AutoCompleteConfigSchema,
  type AutoCompleteResult,
  SUGGEST_DEFAULT_LIMIT,
  SuggestConfigSchema,
  type SuggestResult,
  type SuggestResultValue,
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
import { matchingTerms, termResultValue } from './search/term-hits';
import { Sql, asciiLower, escapeLike, joinSql, sql } from './search/sql';
import { SearchIndex } from './search/search-index';

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

interface Suggestion {
  level: number;
  name: string;
  value: SuggestResultValue;
}

/** The name (or qualifiedName) with the suggested text in `<em>`. */
function searchText(hit: { name: string; qualifiedName: string }, text: string): string {
  return emphasize(hit.name, [text]) ?? emphasize(hit.qualifiedName, [text]) ?? hit.name;
}

/** `suggestScoreSql`'s levels in JS: name equal 4, starting with 3, containing 2, qualifiedName 1, else 0. */
function suggestLevel(hit: { name: string; qualifiedName: string }, text: string): number {
  const [name, t] = [asciiLower(hit.name), asciiLower(text)];
  if (name === t) return 4;
  if (name.startsWith(t)) return 3;
  if (name.includes(t)) return 2;
  return asciiLower(hit.qualifiedName).includes(t) ? 1 : 0;
}

/** SQLite's NOCASE order, which the entity rows come in. */
function compareNames(a: string, b: string): number {
  const [x, y] = [asciiLower(a), asciiLower(b)];
  return x < y ? -1 : x > y ? 1 : 0;
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
    private readonly index: SearchIndex,
  ) {}

  async suggest(body: unknown): Promise<SuggestResult> {
    await this.index.catchUp();
    const config = parseBody(SuggestConfigSchema, body, 'InvalidSuggestRequest');
    const text = config.keywords.trim();
    if (!text) return { value: [] };
    const limit = config.limit ?? SUGGEST_DEFAULT_LIMIT;
    const rows = await this.matching(nameOrQualifiedNameSql(text), suggestScoreSql(text), config.filter, limit);
    const entities: Suggestion[] = rows.map((row) => ({
      level: row.score,
      name: row.record.name,
      value: { ...searchResultValue(row.record, row.score), '@search.text': searchText(row.record, text) },
    }));
    // Glossary terms are suggested too, ranked by the same levels, merged with the entities.
    const filter = parseFilter(config.filter ?? undefined);
    const terms: Suggestion[] = [];
    for (const hit of await matchingTerms(this.terms.index, [text], filter, this.clock.nowMs())) {
      const level = suggestLevel(hit.term, text);
      if (level > 0)
        terms.push({
          level,
          name: hit.term.name,
          value: {
            ...termResultValue(hit, []),
            '@search.score': level,
            '@search.text': searchText(hit.term, text),
          },
        });
    }
    return {
      value: [...entities, ...terms]
        .sort((a, b) => b.level - a.level || compareNames(a.name, b.name))
        .slice(0, limit)
        .map((s) => s.value),
    };
  }

  async autocomplete(body: unknown): Promise<AutoCompleteResult> {
    await this.index.catchUp();
    const config = parseBody(AutoCompleteConfigSchema, body, 'InvalidAutoCompleteRequest');
    const limit = config.limit ?? AUTOCOMPLETE_DEFAULT_LIMIT;
    const split = /^(.*?)(\S*)$/s.exec(config.keywords);
    const before = (split?.[1] ?? '').trim();
    const term = split?.[2] ?? '';
    if (!term) return { value: [] };
    const where = joinSql([keywordWhereSql(tokenizeKeywords(before)), nameOrQualifiedNameSql(term)], 'AND');
    const rows = await this.matching(where, suggestScoreSql(term), config.filter, AUTOCOMPLETE_SOURCE_ROWS);
    // Glossary term names complete the keyword too, as search and suggest find the terms.
    const filter = parseFilter(config.filter ?? undefined);
    const terms = await matchingTerms(
      this.terms.index,
      [...tokenizeKeywords(before), term],
      filter,
      this.clock.nowMs(),
    );
    const names = [
      ...rows.map((row) => row.record.name),
      ...terms.filter((hit) => suggestLevel(hit.term, term) > 0).map((hit) => hit.term.name),
    ];
    const prefix = asciiLower(term);
    const counts = new Map<string, number>();
    for (const name of names)
      for (const word of new Set(wordsOf(name)))
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
