import { GLOSSARY_TERM_TYPENAME, type SearchResultValue } from '@purview-emulator/contracts';
import { SearchDocument } from './search-document';
import { FilterNode, evaluateFilter } from './search-filter';
import { highlightsOf, keywordRawScore, matchesKeywords, scoreFromSql } from './search-keywords';
import type { SearchableTerm, TermIndex } from './term-index';

/** Purview's `objectType` of a glossary term hit. */
export const GLOSSARY_TERMS_OBJECT_TYPE = 'Glossary terms';

/** A glossary term that matched a search, with the raw relevance SQL ranks entity rows by. */
export interface TermHit {
  term: SearchableTerm;
  doc: SearchDocument;
  rawScore: number;
}

/** A glossary term as the filter grammar and keywords see it: typeName `AtlasGlossaryTerm`, no collection. */
export function termDocument(term: SearchableTerm): SearchDocument {
  return {
    guid: term.guid,
    typeName: GLOSSARY_TERM_TYPENAME,
    qualifiedName: term.qualifiedName,
    name: term.name,
    description: term.shortDescription,
    attributes: {
      name: term.name,
      qualifiedName: term.qualifiedName,
      status: term.status,
      termStatus: term.status,
      glossary: term.glossaryName,
      ...(term.longDescription !== null ? { longDescription: term.longDescription } : {}),
    },
    classifications: [],
    labels: [],
    otherText: [...(term.longDescription !== null ? [term.longDescription] : []), ...term.otherText],
    collectionId: '',
    createTime: term.createTime,
    updateTime: term.updateTime,
  };
}

/**
 * Glossary terms matching the keywords and the filter, from the glossary's TermIndex (none without one). Terms are few
 * next to assets, so the glossary narrows by keywords in SQL and the filter runs here, in JS, on each candidate.
 */
export async function matchingTerms(
  index: TermIndex | undefined,
  tokens: readonly string[],
  filter: FilterNode | undefined,
  now: number,
): Promise<TermHit[]> {
  if (!index || (filter && !mayMatchTerms(filter))) return [];
  const hits: TermHit[] = [];
  for (const term of await index.searchableTerms(tokens)) {
    const doc = termDocument(term);
    if (!matchesKeywords(doc, tokens)) continue;
    if (filter && !evaluateFilter(filter, doc, now)) continue;
    hits.push({ term, doc, rawScore: keywordRawScore(doc, tokens) });
  }
  return hits;
}

/**
 * False when the filter excludes every glossary term whatever its fields (a top-level conjunct on classification,
 * asset type, collection, file extension or an entity type other than AtlasGlossaryTerm): those queries, the common
 * case, skip the glossary.
 */
function mayMatchTerms(node: FilterNode): boolean {
  switch (node.op) {
    case 'and':
      return node.children.every(mayMatchTerms);
    case 'classification':
    case 'assetType':
    case 'collection':
    case 'fileExtension':
    case 'term':
      return false;
    case 'type':
      return node.typeName === GLOSSARY_TERM_TYPENAME;
    default:
      return true;
  }
}

/** A glossary term as a search hit (`SearchResultValue` with the term fields the spec has: glossaryType, glossary…). */
export function termResultValue(hit: TermHit, tokens: readonly string[]): SearchResultValue {
  const { term } = hit;
  const value: SearchResultValue = {
    '@search.score': scoreFromSql(hit.rawScore, tokens.length),
    objectType: GLOSSARY_TERMS_OBJECT_TYPE,
    createTime: term.createTime,
    updateTime: term.updateTime,
    id: term.guid,
    name: term.name,
    qualifiedName: term.qualifiedName,
    entityType: GLOSSARY_TERM_TYPENAME,
    description: term.shortDescription,
    owner: null,
    classification: [],
    label: [],
    term: [],
    contact: term.contacts,
    assetType: [],
    glossaryType: GLOSSARY_TERM_TYPENAME,
    glossary: term.glossaryName,
    termStatus: term.status,
    termTemplate: term.templateNames,
    ...(term.longDescription !== null ? { longDescription: term.longDescription } : {}),
  };
  const highlights = highlightsOf(hit.doc, tokens);
  if (highlights) value['@search.highlights'] = highlights;
  return value;
}

/** The sort keys of term hits, as the JSON rows SQL merges into its ordered matches (selectMatchesSql `extra`). */
export function termHitRows(hits: readonly TermHit[]): string {
  return JSON.stringify(
    hits.map((h) => ({
      guid: h.term.guid,
      name: h.term.name,
      update_time: h.term.updateTime,
      create_time: h.term.createTime,
      score: h.rawScore,
    })),
  );
}
