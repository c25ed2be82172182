import type { EntityManager } from 'typeorm';
import { TYPES_DEF_KEYS } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { TYPE_ERRORS as E } from './type-errors';
import {
  PRIMITIVE_TYPES,
  TypeRegistry,
  attributeDefsOf,
  isClassificationDef,
  isRelationshipDef,
  parseCollectionType,
  superTypesOf,
} from './type-registry';

/** Entities that use a type: how many, and a few to name in the 409. */
export interface TypeInstances {
  count: number;
  sample: { guid: string; qualifiedName: string }[];
}

/**
 * How the type system finds entities of a type without reading the data map's tables: the data map registers
 * this with TypeDefsService (it depends on the type system, not the other way round). Runs in the delete's
 * transaction, so no entity can be written between the check and the delete.
 */
export interface TypeInstanceLookup {
  entitiesOfType(typeName: string, sampleSize: number, manager: EntityManager): Promise<TypeInstances>;
  entitiesClassifiedAs(classificationName: string, sampleSize: number, manager: EntityManager): Promise<TypeInstances>;
}

/** Entities carrying values of a business metadata (registered by the business metadata module). */
export type BusinessMetadataInstanceLookup = (
  bmName: string,
  sampleSize: number,
  manager: EntityManager,
) => Promise<TypeInstances>;

/** A definition to delete: by guid when the body gives one (as Atlas does), else by name. */
export interface DeleteTarget {
  name?: string;
  guid?: string;
}

/** `DELETE /types/typedefs` takes an AtlasTypesDef whose definitions need only a name or a guid. */
export function parseDeleteBody(body: unknown): DeleteTarget[] {
  const invalid = (message: string) => PurviewError.atlas(400, E.INVALID_PARAMETERS, `invalid parameters: ${message}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('the request body must be an AtlasTypesDef object ({"entityDefs": [{"name": "…"}], …}).');
  const targets: DeleteTarget[] = [];
  for (const key of Object.values(TYPES_DEF_KEYS)) {
    const list = (body as Record<string, unknown>)[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw invalid(`${key} must be an array.`);
    list.forEach((item: unknown, i) => {
      const def = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      const guid = typeof def.guid === 'string' && def.guid !== '' ? def.guid : undefined;
      const name = typeof def.name === 'string' && def.name !== '' ? def.name : undefined;
      if (!guid && !name) throw invalid(`${key}[${i}] must have a name or a guid.`);
      targets.push(guid ? { guid } : { name });
    });
  }
  if (targets.length === 0) throw invalid('the request body names no type definition to delete.');
  return targets;
}

/** The named types an attribute type refers to (`array<map<string,T>>` → T). */
function namedTypesIn(typeName: string): string[] {
  const collection = parseCollectionType(typeName);
  if (collection?.kind === 'array') return namedTypesIn(collection.element);
  if (collection?.kind === 'map') return [...namedTypesIn(collection.key), ...namedTypesIn(collection.value)];
  return PRIMITIVE_TYPES.has(typeName.trim()) ? [] : [typeName.trim()];
}

/** The definitions, outside `deleting`, that refer to `name`: relationship defs apart, as Atlas reports them apart. */
export function referencesTo(
  name: string,
  registry: TypeRegistry,
  deleting: ReadonlySet<string>,
): { types: string[]; relationships: string[] } {
  const types: string[] = [];
  const relationships: string[] = [];
  for (const def of registry.all()) {
    if (deleting.has(def.name)) continue;
    if (isRelationshipDef(def) && (def.endDef1?.type === name || def.endDef2?.type === name)) {
      relationships.push(def.name);
      continue;
    }
    if (superTypesOf(def).includes(name)) types.push(`${def.name} (sub type)`);
    else if (attributeDefsOf(def).some((a) => namedTypesIn(a.typeName).includes(name)))
      types.push(`${def.name} (attribute type)`);
    else if (isClassificationDef(def) && (def.entityTypes ?? []).includes(name))
      types.push(`${def.name} (entityTypes)`);
  }
  return { types: types.sort(), relationships: relationships.sort() };
}
