import { Injectable } from '@nestjs/common';
import type { Sql } from './sql';

/** A glossary term as a search hit shows it (`TermSearchResultValue`). */
export interface SearchTerm {
  name: string;
  glossaryName: string;
  guid: string;
}

/** A glossary term as search matches and shows it (`objectType` "Glossary terms"). */
export interface SearchableTerm {
  guid: string;
  name: string;
  /** `{term}@{glossary}`. */
  qualifiedName: string;
  glossaryName: string;
  status: string;
  shortDescription: string | null;
  longDescription: string | null;
  /** Abbreviation, nickname, usage, examples and synonyms' names: matched by keywords as "other" text. */
  otherText: string[];
  /** Names of the term templates the term uses (`termTemplate`). */
  templateNames: string[];
  contacts: { id: string; info: string; contactType: string }[];
  createTime: number;
  updateTime: number;
}

/**
 * What search needs of glossary term assignments, which the glossary module owns (tables and SQL alike) and
 * registers with SearchService.useTermIndex; until then, no entity has a term.
 */
export interface TermIndex {
  /** A condition on entity alias `e`: assigned a term named `term` (in the glossary named `glossary`, when given). */
  assignedSql(term: string, glossary: string | undefined): Sql;
  /** Entities matching `where` (over alias `e`) by term name, for the `term` facet. */
  countByTerm(where: Sql): Promise<Map<string, number>>;
  /** The terms of each of these entities (those without are absent). */
  termsOf(entityGuids: readonly string[]): Promise<Map<string, SearchTerm[]>>;
  /**
   * Glossary terms that may match the keyword tokens (each token a case-insensitive substring of the name,
   * qualifiedName, a description or other text; every term when there are none). Search checks the match itself.
   */
  searchableTerms(tokens: readonly string[]): Promise<SearchableTerm[]>;
}

/** Where the glossary module registers its TermIndex, for search and suggest alike (one per app). */
@Injectable()
export class SearchTerms {
  index?: TermIndex;

  use(index: TermIndex): void {
    this.index = index;
  }
}
