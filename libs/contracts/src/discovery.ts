/**
 * Discovery beyond `search/query`: `SuggestConfig`/`SuggestResult` and `AutoCompleteConfig`/`AutoCompleteResult`
 * (Data Map 2023-09-01, `purviewdatamap.json`, `POST /search/suggest` and `/search/autocomplete`), and the legacy
 * catalog's `BrowseRequest`/`BrowseResult`, named `CatalogBrowse*` here (interactive authoring has a `BrowseRequest`) (`purviewcatalog.json`, `POST /catalog/api/browse`).
 */
import { z } from 'zod';
import type { SearchFilter, SearchResultValue } from './datamap';

/** Spec: "at least 1 character, and no more than 100 characters". */
export const SUGGEST_KEYWORDS_MAX = 100;
/** Spec: suggest returns 5 by default, autocomplete 50; both take 1 to 100. */
export const SUGGEST_DEFAULT_LIMIT = 5;
export const AUTOCOMPLETE_DEFAULT_LIMIT = 50;
export const SUGGEST_MAX_LIMIT = 100;

const keywords = z
  .string({ required_error: 'keywords is required', invalid_type_error: 'keywords must be a string' })
  .min(1, 'keywords must be at least 1 character')
  .max(SUGGEST_KEYWORDS_MAX, `keywords must be at most ${SUGGEST_KEYWORDS_MAX} characters`);
const limit = z
  .number({ invalid_type_error: 'limit must be a number' })
  .int('limit must be an integer')
  .min(1, `limit must be from 1 to ${SUGGEST_MAX_LIMIT}`)
  .max(SUGGEST_MAX_LIMIT, `limit must be from 1 to ${SUGGEST_MAX_LIMIT}`)
  .nullish();
const filter = z.record(z.unknown(), { invalid_type_error: 'filter must be an object' }).nullish();

export const SuggestConfigSchema = z.object({ keywords, limit, filter });
export type SuggestConfig = z.infer<typeof SuggestConfigSchema> & { filter?: SearchFilter | null };
export const AutoCompleteConfigSchema = z.object({ keywords, limit, filter });
export type AutoCompleteConfig = z.infer<typeof AutoCompleteConfigSchema> & { filter?: SearchFilter | null };

/** A suggestion: a search hit with `@search.text` (the matched field, the matched part in `<em>`) for highlights. */
export type SuggestResultValue = Omit<SearchResultValue, '@search.highlights'> & { '@search.text': string };
export interface SuggestResult {
  value: SuggestResultValue[];
}

export const AutoCompleteResultValueSchema = z.object({ text: z.string(), queryPlusText: z.string() });
export type AutoCompleteResultValue = z.infer<typeof AutoCompleteResultValueSchema>;
export interface AutoCompleteResult {
  value: AutoCompleteResultValue[];
}

export const CATALOG_BROWSE_DEFAULT_LIMIT = 10;
export const CATALOG_BROWSE_MAX_LIMIT = 1000;

export const CatalogBrowseRequestSchema = z.object({
  entityType: z.string({ invalid_type_error: 'entityType must be a string' }).min(1).max(4096).nullish(),
  path: z.string({ invalid_type_error: 'path must be a string' }).min(1).max(4096).nullish(),
  limit: z
    .number({ invalid_type_error: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, `limit must be from 1 to ${CATALOG_BROWSE_MAX_LIMIT}`)
    .max(CATALOG_BROWSE_MAX_LIMIT, `limit must be from 1 to ${CATALOG_BROWSE_MAX_LIMIT}`)
    .nullish(),
  offset: z
    .number({ invalid_type_error: 'offset must be a number' })
    .int('offset must be an integer')
    .min(0, 'offset must not be negative')
    .nullish(),
});
export type CatalogBrowseRequest = z.infer<typeof CatalogBrowseRequestSchema>;

export interface CatalogBrowseResultOwner {
  id: string;
  displayName?: string;
  mail?: string;
  contactType?: string;
}
export interface CatalogBrowseResultValue {
  entityType: string;
  id: string;
  /** No entity below this one's path. */
  isLeaf: boolean;
  name: string;
  owner: CatalogBrowseResultOwner[];
  /** Where the entity sits: its qualifiedName, which `path` browses below. */
  path: string;
  qualifiedName: string;
}
export interface CatalogBrowseResult {
  '@search.count': number;
  value: CatalogBrowseResultValue[];
}
