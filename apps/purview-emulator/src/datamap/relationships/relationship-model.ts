import type {
  AtlasRelatedObjectId,
  AtlasRelationship,
  AtlasRelationshipDef,
  AtlasRelationshipEndDef,
  Cardinality,
} from '@purview-emulator/contracts';
import type { RefTarget, StoredRef } from '../entity-model';
import { TypeDef, TypeRegistry, isRelationshipDef } from '../types/type-registry';
import { RelationshipRecord } from './relationship.record';

/**
 * A relationship end is an entity key: `typeName|qualifiedName`. Atlas type names never contain '|' (letters,
 * digits, spaces, '_' and '.'), so the first '|' splits the key.
 */
export function entityKey(typeName: string, qualifiedName: string): string {
  return `${typeName}|${qualifiedName}`;
}

export function refOfKey(key: string): StoredRef {
  const bar = key.indexOf('|');
  return { typeName: key.slice(0, bar), qualifiedName: key.slice(bar + 1) };
}

export type RelationshipDef = TypeDef &
  AtlasRelationshipDef & {
    category: 'RELATIONSHIP';
    endDef1: AtlasRelationshipEndDef;
    endDef2: AtlasRelationshipEndDef;
  };

/** A relationship def seen from one of its ends: the attribute that end gives its entity type. */
export interface EndOf {
  def: RelationshipDef;
  /** Which end the entity is at. */
  end: 1 | 2;
  mine: AtlasRelationshipEndDef;
  other: AtlasRelationshipEndDef;
}

export const isMany = (cardinality: Cardinality | undefined): boolean =>
  cardinality === 'SET' || cardinality === 'LIST';

export function relationshipDefOf(registry: TypeRegistry, name: string): RelationshipDef | undefined {
  const def = registry.get(name);
  return isRelationshipDef(def) && def.endDef1 && def.endDef2 ? (def as RelationshipDef) : undefined;
}

const endsCache = new WeakMap<TypeRegistry, Map<string, EndOf[]>>();

/**
 * Every relationship attribute an entity type has, inherited ones included (an end typed `DataSet` gives every
 * DataSet subtype the attribute). Cached per registry: a type write builds a new registry.
 */
export function endsOfType(registry: TypeRegistry, typeName: string): EndOf[] {
  let byType = endsCache.get(registry);
  if (!byType) endsCache.set(registry, (byType = new Map<string, EndOf[]>()));
  const cached = byType.get(typeName);
  if (cached) return cached;
  const out: EndOf[] = [];
  for (const candidate of registry.all()) {
    const def =
      isRelationshipDef(candidate) && candidate.endDef1 && candidate.endDef2
        ? (candidate as RelationshipDef)
        : undefined;
    if (!def) continue;
    if (registry.isA(typeName, def.endDef1.type)) out.push({ def, end: 1, mine: def.endDef1, other: def.endDef2 });
    // A def between a type and itself under one name (seeAlso/seeAlso) is one attribute.
    const same = def.endDef1.name === def.endDef2.name && def.endDef1.type === def.endDef2.type;
    if (!same && registry.isA(typeName, def.endDef2.type))
      out.push({ def, end: 2, mine: def.endDef2, other: def.endDef1 });
  }
  byType.set(typeName, out);
  return out;
}

/** The relationship attribute `name` of an entity type, when a relationship def declares one. */
export function endNamed(registry: TypeRegistry, typeName: string, name: string): EndOf | undefined {
  return endsOfType(registry, typeName).find((e) => e.mine.name === name);
}

export function parseAttributes(record: RelationshipRecord): Record<string, unknown> {
  return JSON.parse(record.attributes) as Record<string, unknown>;
}

function objectId(key: string, target: RefTarget | undefined): AtlasRelationship['end1'] {
  const ref = refOfKey(key);
  return { guid: target?.guid ?? '', typeName: ref.typeName, uniqueAttributes: { qualifiedName: ref.qualifiedName } };
}

/** `AtlasRelationship` of a record, its ends resolved to entity guids (empty when the entity is not in the data map). */
export function toAtlasRelationship(
  record: RelationshipRecord,
  targets: ReadonlyMap<string, RefTarget>,
): AtlasRelationship {
  return {
    guid: record.guid,
    typeName: record.typeName,
    end1: objectId(record.end1Key, targets.get(record.end1Key)),
    end2: objectId(record.end2Key, targets.get(record.end2Key)),
    attributes: parseAttributes(record),
    label: record.label,
    status: record.status,
    provenanceType: 0,
    createTime: Number(record.createTime),
    createdBy: record.createdBy,
    updateTime: Number(record.updateTime),
    updatedBy: record.updatedBy,
    version: Number(record.version),
    lastModifiedTS: String(Number(record.version) + 1),
  };
}

/** The other end of a relationship as an entity's `relationshipAttributes` show it (Purview's shape). */
export function relatedObjectId(
  record: RelationshipRecord,
  target: RefTarget,
): AtlasRelatedObjectId & Record<string, unknown> {
  const attributes = parseAttributes(record);
  return {
    guid: target.guid,
    typeName: target.typeName,
    uniqueAttributes: { qualifiedName: target.qualifiedName },
    entityStatus: target.status,
    displayText: target.name,
    relationshipType: record.typeName,
    relationshipGuid: record.guid,
    relationshipStatus: record.status,
    relationshipAttributes: Object.keys(attributes).length
      ? { typeName: record.typeName, attributes }
      : { typeName: record.typeName },
  };
}
