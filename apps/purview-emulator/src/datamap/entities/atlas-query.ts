import type { FastifyRequest } from 'fastify';
import { PurviewError } from '../../common/errors';
import { principalOf } from '../../identity/bearer-auth.guard';
import { ATLAS_INVALID_PARAMETERS } from '../atlas-input';
import type { ReadOptions } from '../datamap.service';

/** Query parameters of Atlas routes, as Fastify parses them (repeated keys become arrays). */
export type QueryParams = Record<string, string | string[] | undefined>;

export function flag(value: string | string[] | undefined): boolean {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return v !== undefined && v.toLowerCase() === 'true';
}

/** `minExtInfo` and `ignoreRelationships`. */
export function readOptions(query: QueryParams): ReadOptions {
  return { minExtInfo: flag(query.minExtInfo), ignoreRelationships: flag(query.ignoreRelationships) };
}

export function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

export function single(query: QueryParams, key: string): string | undefined {
  const value = query[key];
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v === '' ? undefined : v;
}

/** `attr:qualifiedName`, which every `uniqueAttribute/type/{typeName}` route needs. */
export function requiredQualifiedName(query: QueryParams, typeName: string): string {
  const qualifiedName = single(query, 'attr:qualifiedName');
  if (!qualifiedName) {
    throw PurviewError.atlas(
      400,
      ATLAS_INVALID_PARAMETERS,
      `The query parameter attr:qualifiedName is required to find an entity of type ${typeName} by its unique attribute.`,
    );
  }
  return qualifiedName;
}

export function requiredGuids(query: QueryParams): string[] {
  const guids = list(query.guid);
  if (guids.length === 0)
    throw PurviewError.atlas(
      400,
      ATLAS_INVALID_PARAMETERS,
      'At least one guid query parameter is required (?guid=a&guid=b).',
    );
  return guids;
}

/** Who made a change: recorded in `updatedBy` / `createdBy`. */
export function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal?.objectId || principal?.clientId || 'anonymous';
}
