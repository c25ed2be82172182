import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { QueryResult, SearchResultValue } from '@contracts/datamap';
import type { SuggestResult } from '@contracts/discovery';
import { api } from './client';

const ATLAS = '/datamap/api/atlas/v2';

export const FACETS = ['assetType', 'classification', 'entityType', 'term'] as const;
export type FacetName = (typeof FACETS)[number];
/** Facets search counts, plus collections (search has no collection facet: the account's collections are listed). */
export type FilterName = FacetName | 'collectionId';
export type FacetSelection = Partial<Record<FilterName, string[]>>;

/** The search filter for the ticked values: any value within a facet, every facet. */
export function facetFilter(selected: FacetSelection): unknown {
  const names: FilterName[] = [...FACETS, 'collectionId'];
  const clauses = names
    .filter((f) => selected[f]?.length)
    .map((f) => ({
      or: selected[f]!.map((value) => ({ [f]: value })),
    }));
  return clauses.length ? { and: clauses } : undefined;
}

export function useSearch(keywords: string, selected: FacetSelection, continuationToken?: string, limit = 25) {
  return useQuery({
    queryKey: ['search', keywords, selected, continuationToken, limit],
    queryFn: () =>
      api<QueryResult>('/datamap/api/search/query', {
        method: 'POST',
        body: {
          keywords: keywords || null,
          limit,
          ...(continuationToken ? { continuationToken } : {}),
          ...(facetFilter(selected) ? { filter: facetFilter(selected) } : {}),
          facets: FACETS.map((facet) => ({ facet, count: 12, sort: { count: 'desc' } })),
        },
      }),
    placeholderData: keepPreviousData,
  });
}

export function useSuggestions(keywords: string) {
  const text = keywords.trim();
  return useQuery({
    queryKey: ['suggest', text],
    queryFn: () =>
      api<SuggestResult>('/datamap/api/search/suggest', { method: 'POST', body: { keywords: text, limit: 8 } }),
    enabled: text.length > 0 && text.length <= 100,
    staleTime: 30_000,
  });
}

/** A collection as the account data plane lists it (the fields the portal shows). */
export interface CollectionView {
  name: string;
  friendlyName?: string;
  description?: string | null;
  parentCollection?: { referenceName: string } | null;
}

/** The account's collections (account data plane), for the collection filter and the collection tree. */
export function useCollections() {
  return useQuery({
    queryKey: ['collections'],
    queryFn: () =>
      api<{ value: CollectionView[] }>('/account/collections', {
        query: { 'api-version': '2019-11-01-preview' },
      }),
    staleTime: 60_000,
  });
}

export interface AtlasObjectId {
  guid: string;
  typeName?: string;
  displayText?: string;
  uniqueAttributes?: { qualifiedName?: string };
  relationshipGuid?: string;
}

export interface AtlasEntity {
  guid: string;
  typeName: string;
  status?: string;
  attributes: Record<string, unknown> & { name?: string; qualifiedName?: string; description?: string | null };
  relationshipAttributes?: Record<string, AtlasObjectId | AtlasObjectId[] | null | undefined>;
  classifications?: { typeName: string }[];
  meanings?: { termGuid: string; displayText?: string }[];
  labels?: string[];
  createTime?: number;
  updateTime?: number;
  createdBy?: string;
  collectionId?: string;
}

export function useEntity(guid: string | undefined) {
  return useQuery({
    queryKey: ['entity', guid],
    queryFn: () =>
      api<{ entity: AtlasEntity; referredEntities?: Record<string, AtlasEntity> }>(
        `${ATLAS}/entity/guid/${encodeURIComponent(guid!)}`,
      ),
    enabled: !!guid,
  });
}

export function useEntities(guids: string[]) {
  return useQuery({
    queryKey: ['entities', guids],
    queryFn: () =>
      api<{ entities?: AtlasEntity[] }>(
        `${ATLAS}/entity/bulk?${guids.map((g) => `guid=${encodeURIComponent(g)}`).join('&')}`,
      ),
    enabled: guids.length > 0,
  });
}

export interface LineageInfo {
  baseEntityGuid: string;
  guidEntityMap: Record<
    string,
    { guid: string; typeName: string; displayText?: string; attributes?: { name?: string; qualifiedName?: string } }
  >;
  relations: { fromEntityId: string; toEntityId: string; relationshipId?: string }[];
}

export function useLineage(guid: string, enabled: boolean) {
  return useQuery({
    queryKey: ['lineage', guid],
    queryFn: () =>
      api<LineageInfo>(`${ATLAS}/lineage/${encodeURIComponent(guid)}`, { query: { direction: 'BOTH', depth: 3 } }),
    enabled,
  });
}

export type { SearchResultValue };

/** Highlights come as text with `<em>` around matches: escape everything, then let only those tags through. */
export function highlightHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped.replace(/&lt;em&gt;/g, '<mark>').replace(/&lt;\/em&gt;/g, '</mark>');
}
