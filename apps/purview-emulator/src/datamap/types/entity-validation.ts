import { PurviewError } from '../../common/errors';
import { abbreviate } from '../../common/validation';
import { TYPE_ERRORS as E, q } from './type-errors';
import { AttributeType, TypeRegistry, isClassificationDef, isEntityDef, isEnumDef } from './type-registry';

/** What the type system checks of an entity about to be written. */
export interface EntityToValidate {
  typeName: string;
  attributes: Record<string, unknown>;
  relationshipAttributes?: Record<string, unknown> | null;
  classifications?: readonly ClassificationToValidate[] | null;
}

/** A classification about to be attached to an entity. */
export interface ClassificationToValidate {
  typeName: string;
  attributes?: Record<string, unknown> | null;
}

export interface EntityValidationOptions {
  /** Where the entity sits in the request (`entities[2]`), added to messages. */
  path?: string;
  /** Refuse classifications that are not classification types (Atlas clients; scans write what their rules name). */
  checkClassifications?: boolean;
}

const INT_RANGES: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER * 1024, Number.MAX_SAFE_INTEGER * 1024],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Atlas's primitive checks (`AtlasBuiltInTypes.isValidValue`): numbers may come as numeric strings, strings take anything. */
function validPrimitive(name: string, value: unknown): boolean {
  switch (name) {
    case 'string':
      return true;
    case 'boolean':
      return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value));
    case 'byte':
    case 'short':
    case 'int':
    case 'long': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())
            ? Number(value)
            : NaN;
      const [min, max] = INT_RANGES[name];
      return Number.isFinite(n) && n >= min && n <= max;
    }
    case 'float':
    case 'double':
    case 'biginteger':
    case 'bigdecimal':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      );
    case 'date':
      return (
        typeof value === 'number' ||
        value === '' ||
        (typeof value === 'string' && (/^\d+$/.test(value) || !Number.isNaN(Date.parse(value))))
      );
    case 'object_id':
      return isObjectId(value);
    default:
      return false;
  }
}

/** An `AtlasObjectId`: a guid, or a typeName with unique attributes (a nested entity carries attributes instead). */
function isObjectId(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (typeof value.guid === 'string' || typeof value.guid === 'number') return true;
  return typeof value.typeName === 'string' && (isObject(value.uniqueAttributes) || isObject(value.attributes));
}

function render(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return abbreviate(text ?? String(value), 80);
}

/**
 * Checks a value against an attribute type, adding Atlas-worded messages (`field=value: invalid value for type T`).
 * Nested structs get their own mandatory checks, as in Atlas.
 */
function validateValue(
  registry: TypeRegistry,
  type: AttributeType,
  value: unknown,
  field: string,
  messages: string[],
): void {
  if (value === null || value === undefined) return;
  const invalid = (): void => void messages.push(`${field}=${render(value)}: invalid value for type ${type.name}`);
  switch (type.kind) {
    case 'primitive':
      if (!validPrimitive(type.name, value)) invalid();
      return;
    case 'array':
      if (!Array.isArray(value)) return invalid();
      value.forEach((v, i) => validateValue(registry, type.element, v, `${field}[${i}]`, messages));
      return;
    case 'map':
      if (!isObject(value)) return invalid();
      for (const [k, v] of Object.entries(value)) {
        validateValue(registry, type.key, k, `${field}.key(${abbreviate(k, 40)})`, messages);
        validateValue(registry, type.value, v, `${field}[${abbreviate(k, 40)}]`, messages);
      }
      return;
    case 'defined': {
      const def = type.def;
      if (isEnumDef(def)) {
        const elements = def.elementDefs ?? [];
        const ok =
          typeof value === 'string'
            ? elements.some((e) => e.value === value)
            : typeof value === 'number' && elements.some((e) => e.ordinal === value);
        if (!ok) invalid();
        return;
      }
      if (isEntityDef(def)) {
        if (!isObjectId(value)) invalid();
        return;
      }
      if (def.category === 'STRUCT') {
        if (!isObject(value)) return invalid();
        // A struct value is `{typeName, attributes}` (AtlasStruct) or the attributes themselves.
        const attributes = isObject(value.attributes) ? value.attributes : value;
        validateAttributes(registry, def.name, attributes, undefined, field, messages);
        return;
      }
      invalid();
    }
  }
}

function validateAttributes(
  registry: TypeRegistry,
  typeName: string,
  attributes: Record<string, unknown>,
  relationshipAttributes: Record<string, unknown> | undefined,
  objName: string,
  messages: string[],
): void {
  for (const [name, { def }] of registry.allAttributes(typeName)) {
    const value = attributes[name];
    const field = `${objName}.${name}`;
    if (value === null || value === undefined) {
      const viaRelationship = relationshipAttributes?.[name] !== undefined && relationshipAttributes?.[name] !== null;
      if (!def.isOptional && !viaRelationship)
        messages.push(`${field}: mandatory attribute value missing in type ${typeName}`);
      continue;
    }
    const type = registry.resolveType(def.typeName);
    if (type) validateValue(registry, type, value, field, messages);
  }
}

/**
 * Validates an entity against its type as Atlas's `validateAndNormalize` does: the type must be an entity type
 * (400 ATLAS-400-00-014), mandatory attributes present and values of the attribute types (ATLAS-404-00-007, Atlas's
 * INSTANCE_CRUD_INVALID_PARAMS, with one message per attribute). Attributes the type does not define are kept, as
 * Purview ignores rather than refuses them.
 */
export function validateEntity(
  registry: TypeRegistry,
  entity: EntityToValidate,
  options: EntityValidationOptions = {},
): void {
  const def = registry.get(entity.typeName);
  if (!isEntityDef(def))
    throw PurviewError.atlas(400, E.TYPE_NAME_INVALID, `Type ENTITY with name ${q(entity.typeName)} does not exist`);
  if (options.checkClassifications) {
    for (const c of entity.classifications ?? []) validateClassification(registry, def.name, c, options.path);
  }
  const messages: string[] = [];
  const relationships = isObject(entity.relationshipAttributes) ? entity.relationshipAttributes : undefined;
  validateAttributes(registry, def.name, entity.attributes, relationships, def.name, messages);
  if (messages.length) {
    const where = options.path ? ` (${options.path})` : '';
    throw PurviewError.atlas(
      404,
      E.INSTANCE_CRUD_INVALID_PARAMS,
      `Invalid instance creation/updation parameters passed : [${messages.slice(0, 20).join(', ')}]${where}`,
    );
  }
}

/** Checks one value against an attribute type name, adding Atlas-worded messages (business metadata values use it). */
export function validateAttributeValue(
  registry: TypeRegistry,
  typeName: string,
  value: unknown,
  field: string,
  messages: string[],
): void {
  const type = registry.resolveType(typeName);
  if (type) validateValue(registry, type, value, field, messages);
}

/** The entity types a classification may be applied to: its own `entityTypes`, or the nearest super type's. */
function entityTypeRestrictions(registry: TypeRegistry, classification: string): string[] {
  for (const name of [classification, ...registry.allSuperTypes(classification)]) {
    const def = registry.get(name);
    if (isClassificationDef(def) && def.entityTypes?.length) return def.entityTypes;
  }
  return [];
}

/**
 * Validates a classification for an entity of `entityTypeName` as Atlas does (`validateAndNormalize` of classifications):
 * the type must be a classification type (404 ATLAS-404-00-008), allowed on the entity's type by `entityTypes`
 * (400 ATLAS-400-00-055), with its mandatory attributes present and values of their types (404 ATLAS-404-00-007).
 */
export function validateClassification(
  registry: TypeRegistry,
  entityTypeName: string,
  classification: ClassificationToValidate,
  path?: string,
): void {
  const def = registry.get(classification.typeName);
  if (!isClassificationDef(def))
    throw PurviewError.atlas(
      404,
      E.CLASSIFICATION_NOT_FOUND,
      `Given classification ${q(classification.typeName)} was invalid`,
    );
  const allowed = entityTypeRestrictions(registry, def.name);
  if (allowed.length && !allowed.some((t) => registry.isA(entityTypeName, t))) {
    throw PurviewError.atlas(
      400,
      E.INVALID_ENTITY_FOR_CLASSIFICATION,
      `Entity type ${q(entityTypeName)} cannot be classified by Classification ${q(def.name)}, because ${q(entityTypeName)} is not in the ClassificationDef's restrictions (${allowed.join(', ')}).`,
    );
  }
  const messages: string[] = [];
  validateAttributes(registry, def.name, classification.attributes ?? {}, undefined, def.name, messages);
  if (messages.length) {
    const where = path ? ` (${path})` : '';
    throw PurviewError.atlas(
      404,
      E.INSTANCE_CRUD_INVALID_PARAMS,
      `Invalid instance creation/updation parameters passed : [${messages.slice(0, 20).join(', ')}]${where}`,
    );
  }
}

/**
 * Atlas's checks of `PUT entity/guid/{guid}?name=` (`updateEntityAttributeByGuid`): the attribute must be one of the
 * type's (400 ATLAS-400-00-023), of a primitive, enum or entity-reference type (400 ATLAS-400-00-027: arrays, maps
 * and structs are not partially updatable), and the value must be of that type (404 ATLAS-404-00-007).
 */
export function validatePartialUpdate(
  registry: TypeRegistry,
  entityTypeName: string,
  name: string,
  value: unknown,
): void {
  const attribute =
    registry.allAttributes(entityTypeName).get(name)?.def ??
    registry.relationshipAttributeDefs(entityTypeName).find((a) => a.name === name);
  if (!attribute)
    throw PurviewError.atlas(400, E.UNKNOWN_ATTRIBUTE, `Attribute ${q(name)} not found for type ${q(entityTypeName)}`);
  const type = registry.resolveType(attribute.typeName);
  const updatable =
    type && (type.kind === 'primitive' || (type.kind === 'defined' && (isEnumDef(type.def) || isEntityDef(type.def))));
  if (!type || !updatable)
    throw PurviewError.atlas(
      400,
      E.ATTRIBUTE_UPDATE_NOT_SUPPORTED,
      `${q(entityTypeName)}.${q(name)} : attribute update not supported`,
    );
  if (value === null || value === undefined) {
    throw PurviewError.atlas(
      400,
      E.INVALID_PARTIAL_UPDATE_ATTR_VAL,
      `Invalid attrVal for partial update of ${q(entityTypeName)}.${q(name)}, expected = ${type.name} found null`,
    );
  }
  const messages: string[] = [];
  validateValue(registry, type, value, `${entityTypeName}.${name}`, messages);
  if (messages.length)
    throw PurviewError.atlas(
      404,
      E.INSTANCE_CRUD_INVALID_PARAMS,
      `Invalid instance creation/updation parameters passed : [${messages.join(', ')}]`,
    );
}
