import { PurviewError } from '../../common/errors';
import { ATLAS_INVALID_INSTANCE, AtlasEntityInput, RelatedInput, isTemporaryGuid } from '../atlas-input';
import { StoredRef, StoredRelationships, refKey } from '../entity-model';
import { ATLAS_GUID_NOT_FOUND } from '../entity-errors';

/** What the resolution needs to know of an entity already in the data map. */
export interface KnownEntity {
  guid: string;
  typeName: string;
  qualifiedName: string;
}

/** One input of a create-or-update body, with its guid settled and its references resolved. */
export interface ResolvedEntity {
  /** The real guid the entity has (existing) or will have (created). */
  guid: string;
  /** Whether `guid` names an entity already in the data map. */
  existing: boolean;
  /** The input's attributes, with object ids that named temporary guids rewritten to the real ones. */
  attributes: AtlasEntityInput['attributes'];
  relationships?: StoredRelationships;
}

export interface GuidResolution {
  entities: ResolvedEntity[];
  /** Temporary guid → real guid, for the mutation result's `guidAssignments`. */
  guidAssignments: Record<string, string>;
}

/** The real guids a body names (entities to update, references to existing entities), to look up before resolving. */
export function realGuidsOf(inputs: readonly AtlasEntityInput[]): string[] {
  const guids = new Set<string>();
  const add = (guid: string | undefined): void => {
    if (guid !== undefined && !isTemporaryGuid(guid)) guids.add(guid);
  };
  for (const input of inputs) {
    add(input.guid);
    for (const value of Object.values(input.relationshipAttributes ?? {})) {
      for (const related of value === null ? [] : Array.isArray(value) ? value : [value]) add(related.guid);
    }
    for (const id of objectIdsIn(input.attributes)) if (typeof id.guid === 'string') add(id.guid);
  }
  return [...guids];
}

/** The entities that object-id attribute values name by unique attributes, to look up before resolving. */
export function referencedKeysOf(inputs: readonly AtlasEntityInput[]): StoredRef[] {
  return inputs.flatMap((input) =>
    objectIdsIn(input.attributes).flatMap((id) => {
      const ref = uniqueRefOf(id);
      return ref ? [ref] : [];
    }),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Object values of attributes (single or in arrays): the candidates for object ids. */
function objectIdsIn(attributes: AtlasEntityInput['attributes']): Record<string, unknown>[] {
  return Object.values(attributes)
    .flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value]))
    .filter(isObject);
}

function uniqueRefOf(id: Record<string, unknown>): StoredRef | undefined {
  const unique = id.uniqueAttributes;
  if (typeof id.typeName !== 'string' || !isObject(unique) || typeof unique.qualifiedName !== 'string')
    return undefined;
  return { typeName: id.typeName, qualifiedName: unique.qualifiedName };
}

/**
 * Settles the guid of every entity of a create-or-update body and resolves the references between them, as Atlas
 * does before it writes anything: an entity keeps the guid of the existing entity it updates (named by real guid,
 * or matched by typeName + qualifiedName), and gets a new one otherwise; entities of the same key in one body share
 * it. Temporary (negative) guids may be referenced from any entity of the body, in `relationshipAttributes` and in
 * object-id attribute values (a `Process`'s `inputs`/`outputs`), whatever the order. A reference to a temporary guid
 * the body does not define is Atlas's 400, one to an unknown real guid its 404 ATLAS-404-00-005.
 */
export function resolveGuids(
  inputs: readonly AtlasEntityInput[],
  existingByGuid: ReadonlyMap<string, KnownEntity>,
  existingByKey: ReadonlyMap<string, KnownEntity>,
  newGuid: () => string,
): GuidResolution {
  const guidByKey = new Map<string, string>();
  const temporary = new Map<string, KnownEntity>();
  const guidAssignments: Record<string, string> = {};
  const settled = inputs.map((input) => {
    const key = refKey(input.typeName, input.attributes.qualifiedName);
    const named = input.guid !== undefined && !isTemporaryGuid(input.guid) ? existingByGuid.get(input.guid) : undefined;
    const known = named ?? existingByKey.get(key);
    const guid = known?.guid ?? guidByKey.get(key) ?? newGuid();
    guidByKey.set(key, guid);
    if (isTemporaryGuid(input.guid)) {
      const self = { guid, typeName: input.typeName, qualifiedName: input.attributes.qualifiedName };
      temporary.set(input.guid!, self);
      guidAssignments[input.guid!] = guid;
    }
    return { guid, existing: known !== undefined };
  });

  const target = (guid: string, path: string): KnownEntity => {
    const found = isTemporaryGuid(guid) ? temporary.get(guid) : existingByGuid.get(guid);
    if (found) return found;
    if (isTemporaryGuid(guid)) {
      throw PurviewError.atlas(
        400,
        ATLAS_INVALID_INSTANCE,
        `${path} refers to the temporary guid ${guid}, which is not an entity of this request.`,
      );
    }
    throw PurviewError.atlas(
      404,
      ATLAS_GUID_NOT_FOUND,
      `Given instance guid ${guid} is invalid/not found (referenced by ${path}).`,
    );
  };
  const ref = (related: RelatedInput, path: string): StoredRef => {
    if (related.typeName && related.qualifiedName)
      return { typeName: related.typeName, qualifiedName: related.qualifiedName };
    const found = target(related.guid!, path);
    return { typeName: found.typeName, qualifiedName: found.qualifiedName };
  };
  // Atlas stores an object id as a reference and reads it back as {guid, typeName, uniqueAttributes}, however it was
  // sent (temporary guid, real guid, or typeName + uniqueAttributes). One that names no entity is kept as sent.
  const objectId = (value: unknown, path: string): unknown => {
    if (!isObject(value)) return value;
    const guid = typeof value.guid === 'number' ? String(value.guid) : value.guid;
    let found: KnownEntity | undefined;
    if (typeof guid === 'string') {
      found = isTemporaryGuid(guid) ? target(guid, path) : existingByGuid.get(guid);
    } else {
      const ref = uniqueRefOf(value);
      const key = ref && refKey(ref.typeName, ref.qualifiedName);
      const known = key === undefined ? undefined : (guidByKey.get(key) ?? existingByKey.get(key)?.guid);
      if (ref && known) found = { guid: known, ...ref };
    }
    if (!found) return value;
    return {
      ...value,
      guid: found.guid,
      typeName: found.typeName,
      uniqueAttributes: { qualifiedName: found.qualifiedName },
    };
  };

  const entities = inputs.map((input, i): ResolvedEntity => {
    const attributes = { ...input.attributes };
    for (const [name, value] of Object.entries(attributes)) {
      const path = `${input.path}.attributes.${name}`;
      attributes[name] = Array.isArray(value)
        ? value.map((v, j) => objectId(v, `${path}[${j}]`))
        : objectId(value, path);
    }
    const resolved: ResolvedEntity = { ...settled[i], attributes };
    if (input.relationshipAttributes) {
      const relationships: StoredRelationships = {};
      for (const [name, value] of Object.entries(input.relationshipAttributes)) {
        const path = `${input.path}.relationshipAttributes.${name}`;
        relationships[name] =
          value === null
            ? null
            : Array.isArray(value)
              ? value.map((v, j) => ref(v, `${path}[${j}]`))
              : ref(value, path);
      }
      resolved.relationships = relationships;
    }
    return resolved;
  });
  return { entities, guidAssignments };
}
