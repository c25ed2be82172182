import type { FastifyRequest } from 'fastify';
import { EntityManager } from 'typeorm';
import { PurviewError } from '../common/errors';
import { principalOf } from '../identity/bearer-auth.guard';
import { AtlasEntityRecord } from './atlas-entity.record';
import { guidNotFound, uniqueAttributeNotFound } from './datamap.service';
import { TYPE_ERRORS as E, q } from './types/type-errors';
import { TypeRegistry, isEntityDef } from './types/type-registry';

/**
 * How the per-entity sub-resources (labels, business metadata) name their entity: by guid
 * (`entity/guid/{guid}/…`) or by type and unique attribute
 * (`entity/uniqueAttribute/type/{typeName}/…?attr:qualifiedName=`).
 */
export type EntityTarget = { guid: string } | { typeName: string; qualifiedName: string };

export type QueryParams = Record<string, string | string[] | undefined>;

/** `attr:qualifiedName` of a unique-attribute route; Atlas refuses the lookup without it. */
export function uniqueTarget(typeName: string, query: QueryParams): EntityTarget {
  const raw = query['attr:qualifiedName'];
  const qualifiedName = Array.isArray(raw) ? raw[0] : raw;
  if (!qualifiedName) {
    throw PurviewError.atlas(
      400,
      E.INVALID_PARAMETERS,
      `invalid parameters: the query parameter attr:qualifiedName is required to find an entity of type ${q(typeName)}`,
    );
  }
  return { typeName, qualifiedName };
}

/** Who is writing, for `updatedBy`. */
export function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal?.objectId || principal?.clientId || 'anonymous';
}

/**
 * The entity a sub-resource route names, read inside the caller's transaction: Atlas's 404s for an unknown guid or
 * unique attribute, and its 400 when the type of a unique-attribute route is not an entity type.
 */
export async function findTarget(
  manager: EntityManager,
  registry: TypeRegistry,
  target: EntityTarget,
): Promise<AtlasEntityRecord> {
  const entities = manager.getRepository(AtlasEntityRecord);
  if ('guid' in target) {
    const record = await entities.findOneBy({ guid: target.guid });
    if (!record) throw guidNotFound(q(target.guid));
    return record;
  }
  if (!isEntityDef(registry.get(target.typeName))) {
    throw PurviewError.atlas(400, E.TYPE_NAME_INVALID, `Type ENTITY with name ${q(target.typeName)} does not exist`);
  }
  const record = await entities.findOneBy({ typeName: target.typeName, qualifiedName: target.qualifiedName });
  if (!record) throw uniqueAttributeNotFound(target.typeName, q(target.qualifiedName));
  return record;
}
