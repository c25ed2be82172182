import type { AtlasAttributeDef, AtlasRelationshipEndDef } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { TYPE_ERRORS as E, invalidType, q } from './type-errors';
import {
  AttributeType,
  TypeDef,
  TypeRegistry,
  attributeDefsOf,
  isClassificationDef,
  isEntityDef,
  isEnumDef,
  isRelationshipDef,
  superTypesOf,
} from './type-registry';

/** Longest type or attribute name accepted (Purview documents none; this keeps names usable as keys and in URLs). */
export const MAX_NAME_LENGTH = 256;

/**
 * Atlas's `NAME_REGEX` (`[a-zA-Z][a-zA-Z0-9_ ]*`, and the same after `__` for internal types) with the period
 * Purview adds: its classification names are dotted (`MICROSOFT.PERSONAL.EMAIL`, `CONTOSO.EMPLOYEE_ID`).
 */
const TYPE_NAME = /^(__)?[A-Za-z][A-Za-z0-9_ .]*$/;
/** Attribute names: a letter (or Atlas's leading underscores), then letters, digits and underscores. */
const ATTRIBUTE_NAME = /^_*[A-Za-z][A-Za-z0-9_]*$/;
/** Term template attributes are labels in the portal ("single choice"): spaces are allowed there. */
const TERM_TEMPLATE_ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_ ]*$/;
/** Atlas's INVALID_TYPEDEF_NAMES_LIST: names that clash with the fields of a definition. */
const RESERVED_TYPE_NAMES = new Set(['description', 'version', 'options', 'name', 'servicetype']);

/** Why a type name is refused, as Atlas words it, or undefined when it is valid. */
export function typeNameProblem(name: string, category: string): PurviewError | undefined {
  if (name.length > MAX_NAME_LENGTH || !TYPE_NAME.test(name)) {
    return invalidType(
      E.TYPE_NAME_INVALID_FORMAT,
      `${q(name)}: invalid name for ${category}.  Names must consist of a letter followed by a sequence of letter, number, space, '.' or '_' characters, at most ${MAX_NAME_LENGTH} in all`,
    );
  }
  if (RESERVED_TYPE_NAMES.has(name)) {
    return invalidType(
      E.UNSUPPORTED_TYPE_NAME,
      `Unsupported ${category} name. Names such as 'description','version','options','name','servicetype' are not supported`,
    );
  }
  return undefined;
}

function attributeNameProblem(def: TypeDef, attr: AtlasAttributeDef): PurviewError | undefined {
  const pattern = def.category === 'TERM_TEMPLATE' ? TERM_TEMPLATE_ATTRIBUTE_NAME : ATTRIBUTE_NAME;
  if (attr.name.length > MAX_NAME_LENGTH || !pattern.test(attr.name)) {
    return invalidType(
      E.ATTRIBUTE_NAME_INVALID_CHARS,
      `${q(def.name)}.${q(attr.name)}: invalid name. Attribute names must begin with a letter followed by a sequence of letters, numbers, or '_' characters, at most ${MAX_NAME_LENGTH} in all`,
    );
  }
  return undefined;
}

/** The innermost element and value types of an attribute type (`array<map<string,T>>` → string, T). */
function leafTypes(t: AttributeType): AttributeType[] {
  if (t.kind === 'array') return leafTypes(t.element);
  if (t.kind === 'map') return [...leafTypes(t.key), ...leafTypes(t.value)];
  return [t];
}

function checkAttributes(def: TypeDef, registry: TypeRegistry): void {
  const seen = new Set<string>();
  for (const attr of attributeDefsOf(def)) {
    const nameProblem = attributeNameProblem(def, attr);
    if (nameProblem) throw nameProblem;
    if (seen.has(attr.name))
      throw invalidType(
        E.INVALID_TYPE_DEFINITION,
        `Invalid type definition ${q(def.name)}: attribute ${q(attr.name)} is defined more than once`,
      );
    seen.add(attr.name);
    const type = registry.resolveType(attr.typeName);
    if (!type) throw invalidType(E.UNKNOWN_TYPE, `Unknown type ${q(attr.typeName)} for ${q(def.name)}.${q(attr.name)}`);
    if ((attr.cardinality === 'LIST' || attr.cardinality === 'SET') && type.kind !== 'array') {
      throw invalidType(
        E.INVALID_ATTRIBUTE_TYPE_FOR_CARDINALITY,
        `Cardinality of attribute ${q(def.name)}.${q(attr.name)} requires a list or set type`,
      );
    }
    const leaves = leafTypes(type);
    const plain = leaves.every((l) => l.kind === 'primitive' || (l.kind === 'defined' && l.def.category === 'ENUM'));
    if (def.category === 'BUSINESS_METADATA' || def.category === 'TERM_TEMPLATE') {
      if (!plain) {
        throw invalidType(
          E.BUSINESS_METADATA_DEF_ATTRIBUTE_TYPE_INVALID,
          `${q(def.name)}.${q(attr.name)}: invalid attribute type. Business-metadata attribute cannot be of type entity/classification/struct/business-metadata`,
        );
      }
    } else if (def.category === 'RELATIONSHIP') {
      if (!plain)
        throw invalidType(
          E.RELATIONSHIPDEF_UNSUPPORTED_ATTRIBUTE_TYPE,
          `Cannot set an Attribute with type ${q(attr.typeName)} on relationship def ${q(def.name)}, as it is not a primitive type`,
        );
    } else if (leaves.some((l) => l.kind === 'defined' && !['ENUM', 'STRUCT', 'ENTITY'].includes(l.def.category))) {
      throw invalidType(
        E.ATTRIBUTE_TYPE_INVALID,
        `${q(def.name)}.${q(attr.name)}: invalid attribute type. Attribute cannot be of type classification`,
      );
    }
  }
}

/** Super types exist, are of the same category, form no cycle, and redefine no inherited attribute. */
function checkHierarchy(def: TypeDef, registry: TypeRegistry): void {
  for (const superName of superTypesOf(def)) {
    const superDef = registry.get(superName);
    // Atlas reports the registry's TYPE_NAME_NOT_FOUND, turned into a 400 because it is the request that is wrong.
    if (!superDef)
      throw invalidType(E.BAD_REQUEST, `Given typename ${q(superName)} was invalid (a super type of ${q(def.name)})`);
    if (superDef.category !== def.category)
      throw invalidType(E.INCOMPATIBLE_SUPERTYPE, `${q(def.name)}: incompatible supertype ${q(superName)}`);
  }
  if (hasCycle(def.name, registry)) {
    throw invalidType(
      E.CIRCULAR_REFERENCE,
      `${q(def.name)}: invalid supertypes - circular reference back to self ${q(def.name)}`,
    );
  }
  const inherited = new Map<string, string>();
  for (const superName of superTypesOf(def)) {
    for (const [attrName, { owner }] of registry.allAttributes(superName)) {
      const other = inherited.get(attrName);
      if (other !== undefined && other !== owner) {
        throw invalidType(
          E.ATTRIBUTE_NAME_ALREADY_EXISTS_IN_ANOTHER_PARENT_TYPE,
          `Invalid attribute name: ${q(def.name)}.${attrName}. Attribute already exists in another parent type: ${other}`,
        );
      }
      inherited.set(attrName, owner);
    }
  }
  for (const attr of attributeDefsOf(def)) {
    const owner = inherited.get(attr.name);
    if (owner !== undefined)
      throw invalidType(
        E.ATTRIBUTE_NAME_ALREADY_EXISTS_IN_PARENT_TYPE,
        `Invalid attribute name: ${q(def.name)}.${q(attr.name)}. Attribute already exists in parent type: ${owner}`,
      );
  }
}

function hasCycle(start: string, registry: TypeRegistry): boolean {
  const stack = [...superTypesOf(registry.get(start))];
  const seen = new Set<string>();
  while (stack.length) {
    const name = stack.pop()!;
    if (name === start) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...superTypesOf(registry.get(name)));
  }
  return false;
}

function checkEnum(def: TypeDef): void {
  if (!isEnumDef(def)) return;
  const values = (def.elementDefs ?? []).map((e) => e.value);
  if (values.length === 0)
    throw invalidType(
      E.INVALID_TYPE_DEFINITION,
      `Invalid type definition ${q(def.name)}: an enum needs at least one element in elementDefs`,
    );
  const duplicate = values.find((v, i) => values.indexOf(v) !== i);
  if (duplicate !== undefined)
    throw invalidType(
      E.INVALID_TYPE_DEFINITION,
      `Invalid type definition ${q(def.name)}: the value ${q(duplicate)} is listed more than once in elementDefs`,
    );
  if (def.defaultValue !== undefined && !values.includes(def.defaultValue)) {
    throw invalidType(
      E.INVALID_TYPE_DEFINITION,
      `Invalid type definition ${q(def.name)}: defaultValue ${q(def.defaultValue)} is not one of its elementDefs`,
    );
  }
}

function checkEnd(def: TypeDef, end: AtlasRelationshipEndDef, registry: TypeRegistry): void {
  if (!isEntityDef(registry.get(end.type)))
    throw invalidType(
      E.RELATIONSHIPDEF_INVALID_END_TYPE,
      `relationshipDef ${q(def.name)} has invalid end type ${q(end.type)}`,
    );
  if (!end.name || !ATTRIBUTE_NAME.test(end.name) || end.name.length > MAX_NAME_LENGTH) {
    throw invalidType(
      E.ATTRIBUTE_NAME_INVALID_CHARS,
      `${q(def.name)}: invalid end name ${q(end.name ?? '')}. Attribute names must begin with a letter followed by a sequence of letters, numbers, or '_' characters`,
    );
  }
  if (end.cardinality === 'LIST')
    throw invalidType(
      E.RELATIONSHIPDEF_LIST_ON_END,
      `relationshipDef ${q(def.name)} cannot have a LIST cardinality on an end`,
    );
}

/** Atlas's relationship rules: two entity-typed ends, containers matching the category, no LIST ends. */
function checkRelationship(def: TypeDef, registry: TypeRegistry): void {
  if (!isRelationshipDef(def)) return;
  const { endDef1, endDef2 } = def;
  if (!endDef1 || !endDef2)
    throw invalidType(
      E.RELATIONSHIPDEF_INSUFFICIENT_ENDS,
      `relationshipDef ${q(def.name)} creation attempted without 2 ends`,
    );
  checkEnd(def, endDef1, registry);
  checkEnd(def, endDef2, registry);
  const containers = [endDef1, endDef2].filter((e) => e.isContainer);
  const category = def.relationshipCategory ?? 'ASSOCIATION';
  if (containers.length === 2)
    throw invalidType(
      E.RELATIONSHIPDEF_DOUBLE_CONTAINERS,
      `relationshipDef ${q(def.name)} creation attempted with both ends as containers`,
    );
  if (category === 'ASSOCIATION' && containers.length)
    throw invalidType(
      E.RELATIONSHIPDEF_ASSOCIATION_AND_CONTAINER,
      `ASSOCIATION relationshipDef ${q(def.name)} creation attempted with an end specifying isContainer`,
    );
  if (category === 'COMPOSITION' && !containers.length)
    throw invalidType(
      E.RELATIONSHIPDEF_COMPOSITION_NO_CONTAINER,
      `COMPOSITION relationshipDef ${q(def.name)} creation attempted without an end specifying isContainer`,
    );
  if (category === 'AGGREGATION' && !containers.length)
    throw invalidType(
      E.RELATIONSHIPDEF_AGGREGATION_NO_CONTAINER,
      `AGGREGATION relationshipDef ${q(def.name)} creation attempted without an end specifying isContainer`,
    );
  // A composition's child has one parent: only the container end may be a SET.
  if (category === 'COMPOSITION' && [endDef1, endDef2].some((e) => e.cardinality === 'SET' && !e.isContainer)) {
    throw invalidType(
      E.RELATIONSHIPDEF_COMPOSITION_MULTIPLE_PARENTS,
      `COMPOSITION relationshipDef ${q(def.name)} can only have one parent; so cannot have SET cardinality on children`,
    );
  }
}

function checkClassificationEntityTypes(def: TypeDef, registry: TypeRegistry): void {
  if (!isClassificationDef(def)) return;
  for (const entityType of def.entityTypes ?? []) {
    if (!isEntityDef(registry.get(entityType)))
      throw invalidType(
        E.CLASSIFICATIONDEF_INVALID_ENTITYTYPES,
        `ClassificationDef ‘${q(def.name)}‘ has invalid ‘${q(entityType)}‘ in entityTypes`,
      );
  }
}

/** Atlas's update rules: attributes are never removed, retyped or added as mandatory; super types never removed. */
function checkUpdate(before: TypeDef, after: TypeDef): void {
  const old = new Map(attributeDefsOf(before).map((a) => [a.name, a]));
  const next = new Map(attributeDefsOf(after).map((a) => [a.name, a]));
  for (const [name, attr] of old) {
    const updated = next.get(name);
    if (!updated)
      throw invalidType(
        E.ATTRIBUTE_DELETION_NOT_SUPPORTED,
        `${q(after.name)}.${q(name)} : attribute delete not supported`,
      );
    if (updated.typeName !== attr.typeName || updated.cardinality !== attr.cardinality) {
      throw invalidType(
        E.ATTRIBUTE_UPDATE_NOT_SUPPORTED,
        `${q(after.name)}.${q(name)} : attribute update not supported`,
      );
    }
  }
  for (const [name, attr] of next) {
    if (!old.has(name) && !attr.isOptional)
      throw invalidType(
        E.CANNOT_ADD_MANDATORY_ATTRIBUTE,
        `${q(after.name)}.${q(name)} : can not add mandatory attribute`,
      );
  }
  const kept = new Set(superTypesOf(after));
  if (superTypesOf(before).some((s) => !kept.has(s)))
    throw invalidType(E.SUPERTYPE_REMOVAL_NOT_SUPPORTED, 'superType remove not supported');
}

/**
 * Checks written definitions (already normalized) against the registry they would make, as Atlas's type
 * registry does when it resolves references. `before` holds the current definitions of updated types.
 */
export function validateDefinitions(
  written: readonly TypeDef[],
  candidate: TypeRegistry,
  before: ReadonlyMap<string, TypeDef> = new Map(),
): void {
  for (const def of written) {
    checkAttributes(def, candidate);
    checkEnum(def);
    checkRelationship(def, candidate);
    checkClassificationEntityTypes(def, candidate);
    const old = before.get(def.name);
    if (old) checkUpdate(old, def);
  }
  // Hierarchy rules for the written types and every type below them (a changed super type can break a sub type).
  const names = new Set(written.map((d) => d.name));
  for (const def of candidate.all()) {
    if (superTypesOf(def).length === 0) continue;
    if (names.has(def.name) || candidate.allSuperTypes(def.name).some((s) => names.has(s)))
      checkHierarchy(def, candidate);
  }
}
