import { type AtlasAttributeDef, type AtlasStructDef, displayValue } from '@purview-emulator/contracts';
import { PurviewError } from '../../common/errors';
import { validateAttributeValue } from '../types/entity-validation';
import { q } from '../types/type-errors';
import { AttributeType, TypeRegistry } from '../types/type-registry';

/** The Apache Atlas error codes of business metadata (`AtlasErrorCode`). */
export const BM_ERRORS = {
  INVALID_PARAMETERS: 'ATLAS-400-00-01A',
  UNKNOWN_ATTRIBUTE: 'ATLAS-400-00-023',
  INVALID_BUSINESS_METADATA_NAME_FOR_ENTITY_TYPE: 'ATLAS-400-00-095',
  INVALID_FILE_TYPE: 'ATLAS-400-00-098',
  NO_DATA_FOUND: 'ATLAS-400-00-09B',
  NOT_VALID_FILE: 'ATLAS-400-00-09C',
  INSTANCE_CRUD_INVALID_PARAMS: 'ATLAS-404-00-007',
  FILE_NAME_NOT_FOUND: 'ATLAS-404-00-014',
} as const;

/** Business attribute values: `{ bmName: { attrName: value } }`. */
export type BusinessValues = Record<string, Record<string, unknown>>;

/** One attribute of a business metadata def, with the options Atlas reads from it. */
export interface BusinessAttribute {
  bmName: string;
  def: AtlasAttributeDef;
  /** `options.applicableEntityTypes`, a JSON array of entity type names: it applies to them and their sub types. */
  applicableEntityTypes: string[];
  /** `options.maxStrLength`, for string and array<string> attributes. */
  maxStrLength?: number;
}

function parseTypeList(option: string | undefined): string[] {
  if (!option) return [];
  try {
    const parsed: unknown = JSON.parse(option);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** The attributes of a business metadata def, or undefined when `name` is no business metadata def. */
export function businessMetadataAttributes(registry: TypeRegistry, name: string): BusinessAttribute[] | undefined {
  const def = registry.get(name);
  if (def?.category !== 'BUSINESS_METADATA') return undefined;
  return ((def as AtlasStructDef).attributeDefs ?? []).map((attr) => {
    const max = Number.parseInt(attr.options?.maxStrLength ?? '', 10);
    return {
      bmName: def.name,
      def: attr,
      applicableEntityTypes: parseTypeList(attr.options?.applicableEntityTypes),
      maxStrLength: Number.isNaN(max) ? undefined : max,
    };
  });
}

/** Whether an attribute applies to an entity type: it or a super type of it is listed (Atlas adds sub types). */
export function appliesTo(registry: TypeRegistry, attribute: BusinessAttribute, entityTypeName: string): boolean {
  return attribute.applicableEntityTypes.some((t) => registry.isA(entityTypeName, t));
}

function fieldOf(entityTypeName: string, bmName: string, attrName: string): string {
  return `${entityTypeName}.${bmName}.${attrName}`;
}

/** Atlas's `isValidLength`: a string (or each string of an array<string>) no longer than `maxStrLength`. */
function withinLength(attribute: BusinessAttribute, value: unknown): boolean {
  if (attribute.maxStrLength === undefined) return true;
  const type = attribute.def.typeName.trim();
  const long = (v: unknown): boolean =>
    v !== null && v !== undefined && displayValue(v).length > attribute.maxStrLength!;
  if (type === 'string') return !long(value);
  if (type === 'array<string>' && Array.isArray(value)) return !value.some(long);
  return true;
}

/**
 * The value as Atlas stores it (`getNormalizedValue`): numeric and boolean strings become numbers and booleans, an
 * enum ordinal its element's value, a date string epoch milliseconds. Call after validation.
 */
export function normalizeValue(registry: TypeRegistry, typeName: string, value: unknown): unknown {
  const type = registry.resolveType(typeName);
  return type ? normalize(type, value) : value;
}

function normalize(type: AttributeType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (type.kind) {
    case 'array':
      return Array.isArray(value) ? value.map((v) => normalize(type.element, v)) : value;
    case 'map':
      return value;
    case 'defined': {
      const elements =
        type.def.category === 'ENUM'
          ? ((type.def as { elementDefs?: { value: string; ordinal?: number }[] }).elementDefs ?? [])
          : [];
      return typeof value === 'number' ? (elements.find((e) => e.ordinal === value)?.value ?? value) : value;
    }
    case 'primitive':
      switch (type.name) {
        case 'string':
          // Strings as sent, anything else as its JSON text.
          return displayValue(value);
        case 'boolean':
          return typeof value === 'string' ? value.toLowerCase() === 'true' : value;
        case 'date':
          return typeof value === 'string' ? (/^\d+$/.test(value) ? Number(value) : Date.parse(value)) : value;
        case 'object_id':
          return value;
        default:
          return typeof value === 'string' ? Number(value) : value;
      }
  }
}

/** The request's attributes that the business metadata defs accept for this entity type, refusing any other. */
function checkNames(
  registry: TypeRegistry,
  entityTypeName: string,
  values: BusinessValues,
  messages: string[],
): Map<string, BusinessAttribute[]> {
  const applicable = new Map<string, BusinessAttribute[]>();
  for (const [bmName, attrs] of Object.entries(values)) {
    const all = businessMetadataAttributes(registry, bmName);
    const usable = (all ?? []).filter((a) => appliesTo(registry, a, entityTypeName));
    if (usable.length === 0) {
      messages.push(`${q(bmName)}: invalid business-metadata for entity type ${entityTypeName}`);
      continue;
    }
    for (const attrName of Object.keys(attrs)) {
      const attribute = all!.find((a) => a.def.name === attrName);
      // Atlas skips names it does not know; the emulator says so, as a client misspelling a name would lose the value.
      if (!attribute)
        throw PurviewError.atlas(
          400,
          BM_ERRORS.UNKNOWN_ATTRIBUTE,
          `Attribute ${q(attrName)} not found for type ${q(bmName)}`,
        );
      if (!usable.includes(attribute)) {
        const names = usable.map((a) => `${bmName}.${a.def.name}`).join(', ');
        throw PurviewError.atlas(
          400,
          BM_ERRORS.INVALID_BUSINESS_METADATA_NAME_FOR_ENTITY_TYPE,
          `Invalid business-metadata: ${q(bmName)}.${q(attrName)} specified for entity, ` +
            `applicable business-metadata: ${names}`,
        );
      }
    }
    applicable.set(bmName, usable);
  }
  return applicable;
}

/**
 * Validates business attribute values for an entity as Atlas's `validateBusinessAttributes` does, and returns them
 * normalized. The business metadata must apply to the entity's type, each value must be of its attribute's type and
 * within `maxStrLength`, and a mandatory attribute must keep a value (from the request, or, unless overwriting, the
 * entity). Value problems are one ATLAS-404-00-007 listing them; an unknown or inapplicable attribute name is a 400.
 */
export function validateBusinessValues(
  registry: TypeRegistry,
  entityTypeName: string,
  values: BusinessValues,
  existing: BusinessValues,
  isOverwrite: boolean,
): BusinessValues {
  const messages: string[] = [];
  const applicable = checkNames(registry, entityTypeName, values, messages);
  const normalized: BusinessValues = {};
  for (const [bmName, attributes] of applicable) {
    const given = values[bmName];
    normalized[bmName] = {};
    for (const attribute of attributes) {
      const name = attribute.def.name;
      const field = fieldOf(entityTypeName, bmName, name);
      const value = given[name];
      if (value !== null && value !== undefined) {
        const before = messages.length;
        validateAttributeValue(registry, attribute.def.typeName, value, field, messages);
        if (!withinLength(attribute, value))
          messages.push(`${field}:  Business attribute-value exceeds maximum length limit`);
        if (messages.length === before)
          normalized[bmName][name] = normalizeValue(registry, attribute.def.typeName, value);
      } else {
        if (!attribute.def.isOptional && (isOverwrite || existing[bmName]?.[name] === undefined)) {
          messages.push(`${field}: mandatory business-metadata attribute value missing in type ${entityTypeName}`);
        }
        if (name in given) normalized[bmName][name] = null;
      }
    }
  }
  if (messages.length) {
    throw PurviewError.atlas(
      404,
      BM_ERRORS.INSTANCE_CRUD_INVALID_PARAMS,
      `Invalid instance creation/updation parameters passed : [${messages.slice(0, 20).join(', ')}]`,
    );
  }
  return normalized;
}

/** A map as Java's `Map.toString()` prints it (`{bm={attr=value}}`): how Atlas reports what an import wrote. */
export function javaMapString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaMapString).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${javaMapString(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
