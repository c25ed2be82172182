import { createHash } from 'node:crypto';
import type {
  AtlasAttributeDef,
  AtlasEnumDef,
  AtlasRelationshipDef,
  AtlasRelationshipEndDef,
  AtlasStructDef,
  AtlasTypeDef,
  AtlasTypeDefHeader,
  DefinableCategory,
} from '@purview-emulator/contracts';
import { TypeDef, TypeRegistry, isClassificationDef, isEntityDef } from './type-registry';

/** Atlas's "no limit" for the values of a SET or LIST attribute (Integer.MAX_VALUE). */
export const UNBOUNDED = 2147483647;

/** Who and when, for what the service writes into a definition. */
export interface WriteMeta {
  actor: string;
  now: number;
}

/** Stable guid of a built-in type: the same in every data directory, so clients may keep it. */
export function builtInGuid(name: string): string {
  const h = createHash('sha1').update(`purview-emulator/typedef/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** Atlas's attribute defaults: SINGLE, mandatory unless told, min/max counts from optionality and cardinality. */
export function normalizeAttribute(a: AtlasAttributeDef): AtlasAttributeDef {
  const cardinality = a.cardinality ?? 'SINGLE';
  const isOptional = a.isOptional ?? false;
  const out: AtlasAttributeDef = {
    name: a.name,
    typeName: a.typeName,
    isOptional,
    cardinality,
    valuesMinCount: a.valuesMinCount !== undefined && a.valuesMinCount >= 0 ? a.valuesMinCount : isOptional ? 0 : 1,
    valuesMaxCount:
      a.valuesMaxCount !== undefined && a.valuesMaxCount >= 0
        ? a.valuesMaxCount
        : cardinality === 'SINGLE'
          ? 1
          : UNBOUNDED,
    isUnique: a.isUnique ?? false,
    isIndexable: a.isIndexable ?? false,
    includeInNotification: a.includeInNotification ?? false,
  };
  if (a.defaultValue !== undefined) out.defaultValue = a.defaultValue;
  if (a.description !== undefined) out.description = a.description;
  if (a.options !== undefined) out.options = a.options;
  if (a.constraints !== undefined) out.constraints = a.constraints;
  return out;
}

function normalizeEnd(end: AtlasRelationshipEndDef): AtlasRelationshipEndDef {
  return {
    type: end.type,
    name: end.name,
    isContainer: end.isContainer ?? false,
    cardinality: end.cardinality ?? 'SINGLE',
    isLegacyAttribute: end.isLegacyAttribute ?? false,
    ...(end.description !== undefined ? { description: end.description } : {}),
  };
}

/**
 * A definition as stored: the client's fields, Atlas's defaults, and the service's metadata. Derived fields
 * (`subTypes`, `relationshipAttributeDefs`) are not stored: they are computed from the registry when read.
 */
export function normalizeDef(
  input: AtlasTypeDef,
  category: DefinableCategory,
  meta: WriteMeta & { guid: string; createdBy?: string; createTime?: number; version?: number },
): TypeDef {
  const {
    subTypes: _subTypes,
    relationshipAttributeDefs: _derived,
    ...rest
  } = input as AtlasTypeDef & { subTypes?: unknown; relationshipAttributeDefs?: unknown };
  const version = meta.version ?? 1;
  const def: Record<string, unknown> = {
    ...rest,
    category,
    guid: meta.guid,
    createdBy: meta.createdBy ?? meta.actor,
    updatedBy: meta.actor,
    createTime: meta.createTime ?? meta.now,
    updateTime: meta.now,
    version,
    name: input.name,
    description: input.description ? input.description : input.name,
    typeVersion: input.typeVersion || '1.0',
    lastModifiedTS: String(version),
  };
  if (category === 'ENUM') {
    const e = input as AtlasEnumDef;
    def.elementDefs = (e.elementDefs ?? []).map((el, i) => ({
      value: el.value,
      ordinal: el.ordinal ?? i,
      ...(el.description !== undefined ? { description: el.description } : {}),
    }));
  } else {
    def.attributeDefs = ((input as AtlasStructDef).attributeDefs ?? []).map(normalizeAttribute);
  }
  if (category === 'ENTITY' || category === 'CLASSIFICATION')
    def.superTypes = (input as { superTypes?: string[] }).superTypes ?? [];
  if (category === 'CLASSIFICATION') def.entityTypes = (input as { entityTypes?: string[] }).entityTypes ?? [];
  if (category === 'RELATIONSHIP') {
    const r = input as AtlasRelationshipDef;
    def.relationshipCategory = r.relationshipCategory ?? 'ASSOCIATION';
    if (r.endDef1) def.endDef1 = normalizeEnd(r.endDef1);
    if (r.endDef2) def.endDef2 = normalizeEnd(r.endDef2);
  }
  return def as TypeDef;
}

/** A definition as the API answers it: with its sub types and (entities) relationship attributes. */
export function renderDef(def: TypeDef, registry: TypeRegistry): AtlasTypeDef {
  if (isEntityDef(def))
    return {
      ...def,
      subTypes: registry.subTypesOf(def.name),
      relationshipAttributeDefs: registry.relationshipAttributeDefs(def.name),
    };
  if (isClassificationDef(def)) return { ...def, subTypes: registry.subTypesOf(def.name) };
  return { ...def };
}

export function headerOf(def: TypeDef): AtlasTypeDefHeader {
  return { category: def.category, guid: def.guid, name: def.name };
}
