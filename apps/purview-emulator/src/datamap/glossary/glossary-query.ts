import type { FastifyRequest } from 'fastify';
import { principalOf } from '../../identity/bearer-auth.guard';
import { glossaryErrors } from './glossary-errors';

export type QueryParams = Record<string, unknown>;

function last(value: unknown): unknown {
  return Array.isArray(value) ? (value[value.length - 1] as unknown) : value;
}

/** A boolean query parameter (`includeTermHierarchy`, `ignoreTermsAndCategories`): only `true` turns it on. */
export function flagOf(query: QueryParams, name: string): boolean {
  const v = last(query[name]);
  return typeof v === 'string' && v.toLowerCase() === 'true';
}

/** A repeatable query parameter (`excludeRelationshipTypes=A&excludeRelationshipTypes=B`; commas split too). */
export function listOf(query: QueryParams, name: string): string[] {
  const v = query[name];
  const values = Array.isArray(v) ? (v as unknown[]) : v === undefined ? [] : [v];
  return values
    .flatMap((x) => (typeof x === 'string' ? x.split(',') : []))
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Atlas's `limit` (-1: all), `offset` and `sort` (ASC/DESC by name) of glossary lists; bad values are a 400. */
export function pageOf(query: QueryParams): { limit: number; offset: number; descending: boolean } {
  const int = (name: string, fallback: number, min: number): number => {
    const v = last(query[name]);
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw glossaryErrors.badParam(name, v);
    return n;
  };
  const sort = last(query.sort);
  if (sort !== undefined && (typeof sort !== 'string' || !/^(asc|desc)$/i.test(sort)))
    throw glossaryErrors.badParam('sort', sort);
  return {
    limit: int('limit', -1, -1),
    offset: int('offset', 0, 0),
    descending: typeof sort === 'string' && sort.toLowerCase() === 'desc',
  };
}

/** A page of items (already sorted by name, ascending). */
export function paged<T>(items: T[], query: QueryParams): T[] {
  const { limit, offset, descending } = pageOf(query);
  const sorted = descending ? [...items].reverse() : items;
  return sorted.slice(offset, limit < 0 ? undefined : offset + limit);
}

export function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal?.objectId || principal?.clientId || 'anonymous';
}
