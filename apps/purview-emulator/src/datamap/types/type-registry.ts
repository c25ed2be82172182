import type {
  AtlasAttributeDef,
  AtlasClassificationDef,
  AtlasEntityDef,
  AtlasEnumDef,
  AtlasRelationshipAttributeDef,
  AtlasRelationshipDef,
  AtlasStructDef,
  AtlasTypeDef,
  DefinableCategory,
} from '@purview-emulator/contracts';

/** A stored type definition: the contract shape with what the service always fills in. */
export type TypeDef = AtlasTypeDef & { category: DefinableCategory; name: string; guid: string };

/** Atlas's built-in primitive types (`AtlasBuiltInTypes`), usable as attribute types and never defined by clients. */
export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'boolean',
  'byte',
  'short',
  'int',
  'long',
  'float',
  'double',
  'biginteger',
  'bigdecimal',
  'string',
  'date',
  'object_id',
]);

/** An attribute's type, resolved: `array<…>` and `map<…,…>` are parsed, names looked up. */
export type AttributeType =
  | { kind: 'primitive'; name: string }
  | { kind: 'array'; name: string; element: AttributeType }
  | { kind: 'map'; name: string; key: AttributeType; value: AttributeType }
  | { kind: 'defined'; name: string; def: TypeDef };

/** An attribute with the type that declares it (itself or a super type). */
export interface ResolvedAttribute {
  def: AtlasAttributeDef;
  owner: string;
}

export const isEntityDef = (d: TypeDef | undefined): d is TypeDef & AtlasEntityDef & { category: 'ENTITY' } =>
  d?.category === 'ENTITY';
export const isClassificationDef = (
  d: TypeDef | undefined,
): d is TypeDef & AtlasClassificationDef & { category: 'CLASSIFICATION' } => d?.category === 'CLASSIFICATION';
export const isEnumDef = (d: TypeDef | undefined): d is TypeDef & AtlasEnumDef & { category: 'ENUM' } =>
  d?.category === 'ENUM';
export const isRelationshipDef = (
  d: TypeDef | undefined,
): d is TypeDef & AtlasRelationshipDef & { category: 'RELATIONSHIP' } => d?.category === 'RELATIONSHIP';

export function superTypesOf(def: TypeDef | undefined): string[] {
  return isEntityDef(def) || isClassificationDef(def) ? (def.superTypes ?? []) : [];
}

export function attributeDefsOf(def: TypeDef | undefined): AtlasAttributeDef[] {
  return def && def.category !== 'ENUM' ? ((def as AtlasStructDef).attributeDefs ?? []) : [];
}

/** Splits `a,b` at its top-level comma (`map<string,array<int>>` has one inside brackets). */
function splitTopLevel(text: string): [string, string] | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
  }
  return undefined;
}

/** Atlas's structural type names: `array<T>` and `map<K,V>`, nested as deep as a client likes. */
export function parseCollectionType(
  typeName: string,
): { kind: 'array'; element: string } | { kind: 'map'; key: string; value: string } | undefined {
  const name = typeName.trim();
  if (name.startsWith('array<') && name.endsWith('>')) return { kind: 'array', element: name.slice(6, -1).trim() };
  if (name.startsWith('map<') && name.endsWith('>')) {
    const parts = splitTopLevel(name.slice(4, -1));
    return parts ? { kind: 'map', key: parts[0], value: parts[1] } : undefined;
  }
  return undefined;
}

/**
 * The type registry: every definition by name and guid, with the relations Atlas derives from them (sub types,
 * inherited attributes, relationship attributes). Immutable: a write builds a new registry.
 */
export class TypeRegistry {
  private readonly byName = new Map<string, TypeDef>();
  private readonly byGuid = new Map<string, TypeDef>();
  private readonly subTypes = new Map<string, string[]>();

  constructor(defs: Iterable<TypeDef>) {
    for (const def of defs) {
      this.byName.set(def.name, def);
      this.byGuid.set(def.guid, def);
    }
    for (const def of this.byName.values()) {
      for (const s of superTypesOf(def)) this.subTypes.set(s, [...(this.subTypes.get(s) ?? []), def.name]);
    }
  }

  get size(): number {
    return this.byName.size;
  }

  get(name: string): TypeDef | undefined {
    return this.byName.get(name);
  }

  getByGuid(guid: string): TypeDef | undefined {
    return this.byGuid.get(guid);
  }

  all(): TypeDef[] {
    return [...this.byName.values()];
  }

  /** A registry with `defs` added or replacing those of the same name, and `removed` taken out. */
  with(defs: readonly TypeDef[], removed: Iterable<string> = []): TypeRegistry {
    const next = new Map(this.byName);
    for (const name of removed) next.delete(name);
    for (const def of defs) next.set(def.name, def);
    return new TypeRegistry(next.values());
  }

  /** The direct sub types of an entity or classification type. */
  subTypesOf(name: string): string[] {
    return [...(this.subTypes.get(name) ?? [])].sort();
  }

  /** Every super type, nearest first; stops at cycles (validation reports those). */
  allSuperTypes(name: string): string[] {
    const seen = new Set<string>([name]);
    const out: string[] = [];
    const queue = [...superTypesOf(this.get(name))];
    while (queue.length) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      out.push(next);
      queue.push(...superTypesOf(this.get(next)));
    }
    return out;
  }

  /** Whether `name` is `ancestor` or inherits from it. */
  isA(name: string, ancestor: string): boolean {
    return name === ancestor || this.allSuperTypes(name).includes(ancestor);
  }

  /** Own and inherited attributes by name (a redefinition, which validation refuses, keeps the nearest). */
  allAttributes(name: string): Map<string, ResolvedAttribute> {
    const out = new Map<string, ResolvedAttribute>();
    for (const owner of [name, ...this.allSuperTypes(name)]) {
      for (const def of attributeDefsOf(this.get(owner))) if (!out.has(def.name)) out.set(def.name, { def, owner });
    }
    return out;
  }

  /** Resolves an attribute type name, or undefined when it (or a part of it) is unknown. */
  resolveType(typeName: string): AttributeType | undefined {
    const name = typeName.trim();
    if (PRIMITIVE_TYPES.has(name)) return { kind: 'primitive', name };
    const collection = parseCollectionType(name);
    if (collection?.kind === 'array') {
      const element = this.resolveType(collection.element);
      return element && { kind: 'array', name, element };
    }
    if (collection?.kind === 'map') {
      const key = this.resolveType(collection.key);
      const value = this.resolveType(collection.value);
      return key && value && { kind: 'map', name, key, value };
    }
    const def = this.get(name);
    return def && { kind: 'defined', name, def };
  }

  /**
   * The relationship attributes of an entity type, as Atlas derives them: one per relationship def end that names
   * the type, typed by the other end (`array<…>` when the end is a SET or LIST).
   */
  relationshipAttributeDefs(entityName: string): AtlasRelationshipAttributeDef[] {
    const out: AtlasRelationshipAttributeDef[] = [];
    for (const def of this.byName.values()) {
      if (!isRelationshipDef(def) || !def.endDef1 || !def.endDef2) continue;
      for (const [mine, other] of [
        [def.endDef1, def.endDef2],
        [def.endDef2, def.endDef1],
      ] as const) {
        if (mine.type !== entityName) continue;
        const many = mine.cardinality === 'SET' || mine.cardinality === 'LIST';
        out.push({
          name: mine.name,
          typeName: many ? `array<${other.type}>` : other.type,
          isOptional: true,
          cardinality: mine.cardinality ?? 'SINGLE',
          valuesMinCount: -1,
          valuesMaxCount: -1,
          isUnique: false,
          isIndexable: false,
          includeInNotification: false,
          relationshipTypeName: def.name,
          isLegacyAttribute: mine.isLegacyAttribute ?? false,
        });
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
}
