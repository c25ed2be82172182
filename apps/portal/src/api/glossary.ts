import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AtlasGlossary,
  AtlasGlossaryCategory,
  AtlasGlossaryExtInfo,
  AtlasGlossaryTerm,
} from '@contracts/glossary';
import { api } from './client';

const G = '/datamap/api/atlas/v2/glossary';
const enc = encodeURIComponent;

export type { AtlasGlossary, AtlasGlossaryCategory, AtlasGlossaryTerm };

export function useGlossaries() {
  return useQuery({ queryKey: ['glossaries'], queryFn: () => api<AtlasGlossary[]>(G, { query: { limit: -1 } }) });
}

/** A glossary with every category and term (one call: `glossary/{guid}/detailed`). */
export function useGlossaryDetails(guid: string | undefined) {
  return useQuery({
    queryKey: ['glossaries', guid, 'detailed'],
    queryFn: () => api<AtlasGlossaryExtInfo>(`${G}/${enc(guid!)}/detailed`),
    enabled: !!guid,
  });
}

export function useTerm(guid: string) {
  return useQuery({ queryKey: ['term', guid], queryFn: () => api<AtlasGlossaryTerm>(`${G}/term/${enc(guid)}`) });
}

/** Terms in depth-first order of the term hierarchy (parentTerm), each with its depth. */
export function termTree(terms: AtlasGlossaryTerm[]): { term: AtlasGlossaryTerm; depth: number }[] {
  const guids = new Set(terms.map((t) => t.guid));
  const children = new Map<string | undefined, AtlasGlossaryTerm[]>();
  for (const t of terms) {
    const parent = t.parentTerm && guids.has(t.parentTerm.termGuid) ? t.parentTerm.termGuid : undefined;
    children.set(parent, [...(children.get(parent) ?? []), t]);
  }
  const out: { term: AtlasGlossaryTerm; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | undefined, depth: number): void => {
    for (const t of [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      if (seen.has(t.guid)) continue;
      seen.add(t.guid);
      out.push({ term: t, depth });
      walk(t.guid, depth + 1);
    }
  };
  walk(undefined, 0);
  // Terms in a parent cycle have no root to hang from: show them as roots rather than lose them.
  for (const t of terms)
    if (!seen.has(t.guid)) {
      seen.add(t.guid);
      out.push({ term: t, depth: 0 });
      walk(t.guid, 1);
    }
  return out;
}

export function useGlossaryMutations() {
  const queries = useQueryClient();
  const refresh = async (): Promise<void> => {
    await queries.invalidateQueries({ queryKey: ['glossaries'] });
    await queries.invalidateQueries({ queryKey: ['term'] });
    await queries.invalidateQueries({ queryKey: ['entity'] });
  };
  return {
    createGlossary: useMutation({
      mutationFn: (body: { name: string; shortDescription?: string }) =>
        api<AtlasGlossary>(G, { method: 'POST', body }),
      onSuccess: refresh,
    }),
    createCategory: useMutation({
      mutationFn: (body: {
        name: string;
        anchor: { glossaryGuid: string };
        parentCategory?: { categoryGuid: string };
      }) => api<AtlasGlossaryCategory>(`${G}/category`, { method: 'POST', body }),
      onSuccess: refresh,
    }),
    /** Creates a term (no guid) or replaces one (PUT of the whole term, as the API takes it). */
    saveTerm: useMutation({
      mutationFn: ({ guid, body }: { guid?: string; body: unknown }) =>
        guid
          ? api<AtlasGlossaryTerm>(`${G}/term/${enc(guid)}`, { method: 'PUT', body })
          : api<AtlasGlossaryTerm>(`${G}/term`, { method: 'POST', body }),
      onSuccess: refresh,
    }),
    assign: useMutation({
      mutationFn: ({ termGuid, entityGuid }: { termGuid: string; entityGuid: string }) =>
        api<void>(`${G}/terms/${enc(termGuid)}/assignedEntities`, { method: 'POST', body: [{ guid: entityGuid }] }),
      onSuccess: refresh,
    }),
    unassign: useMutation({
      mutationFn: ({
        termGuid,
        entityGuid,
        relationshipGuid,
      }: {
        termGuid: string;
        entityGuid: string;
        relationshipGuid?: string;
      }) =>
        api<void>(`${G}/terms/${enc(termGuid)}/assignedEntities`, {
          method: 'DELETE',
          body: [{ guid: entityGuid, ...(relationshipGuid ? { relationshipGuid } : {}) }],
        }),
      onSuccess: refresh,
    }),
  };
}
