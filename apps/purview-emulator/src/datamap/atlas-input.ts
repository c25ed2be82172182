import { AtlasClassificationInputSchema, type ScannedAsset, ScannedAssetSchema } from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { StoredClassification, storedClassification } from './entity-model';
import { validateLabels } from './labels/label-validation';

/** Apache Atlas INVALID_PARAMETERS and INSTANCE_CRUD_INVALID_PARAMS. */
export const ATLAS_INVALID_PARAMETERS = 'ATLAS-400-00-001';
export const ATLAS_INVALID_INSTANCE = 'ATLAS-400-00-01A';

/** A reference inside `relationshipAttributes`: by guid (real or a temporary negative one), or by unique attribute. */
export interface RelatedInput {
  guid?: string;
  typeName?: string;
  qualifiedName?: string;
}

/** One entity of an Atlas create-or-update body, validated. */
export interface AtlasEntityInput {
  /** Where the entity sits in the body, for error messages. */
  path: string;
  guid?: string;
  typeName: string;
  attributes: { qualifiedName: string; name: string; [k: string]: unknown };
  relationshipAttributes?: Record<string, RelatedInput | RelatedInput[] | null>;
  classifications?: StoredClassification[];
  labels?: string[];
  /** `{bmName: {attribute: value}}`, validated against the business metadata defs by the business metadata module. */
  businessAttributes?: Record<string, Record<string, unknown>>;
}

/** Clients create entities with temporary negative guids ("-1", "-1000"); the mutation result maps them to real ones. */
export function isTemporaryGuid(guid: string | undefined): boolean {
  return guid !== undefined && /^-\d+$/.test(guid);
}

function invalid(message: string): PurviewError {
  return PurviewError.atlas(400, ATLAS_INVALID_INSTANCE, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function guidOf(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value !== 'string') throw invalid(`${path}.guid must be a string.`);
  return value;
}

function parseRelated(value: unknown, path: string): RelatedInput {
  if (!isObject(value))
    throw invalid(`${path} must be an object id ({"guid"} or {"typeName","uniqueAttributes":{"qualifiedName"}}).`);
  const guid = guidOf(value.guid, path);
  const typeName = typeof value.typeName === 'string' && value.typeName !== '' ? value.typeName : undefined;
  const unique = isObject(value.uniqueAttributes) ? value.uniqueAttributes : undefined;
  const qualifiedName =
    typeof unique?.qualifiedName === 'string' && unique.qualifiedName !== '' ? unique.qualifiedName : undefined;
  if (!guid && !(typeName && qualifiedName)) {
    throw invalid(`${path} must carry a guid, or a typeName with uniqueAttributes.qualifiedName.`);
  }
  return { guid, typeName, qualifiedName };
}

/** Validates one Atlas entity: typeName, attributes.qualifiedName and attributes.name are required. */
export function parseAtlasEntity(raw: unknown, path: string): AtlasEntityInput {
  if (!isObject(raw)) throw invalid(`${path} must be an AtlasEntity object.`);
  if (typeof raw.typeName !== 'string' || raw.typeName.trim() === '') throw invalid(`${path}.typeName is required.`);
  if (!isObject(raw.attributes))
    throw invalid(`${path}.attributes is required and must contain qualifiedName and name.`);
  const attributes = raw.attributes;
  if (typeof attributes.qualifiedName !== 'string' || attributes.qualifiedName === '') {
    throw invalid(
      `${path}.attributes.qualifiedName is required (a non-empty string) for an entity of type ${raw.typeName}.`,
    );
  }
  if (typeof attributes.name !== 'string' || attributes.name === '') {
    throw invalid(`${path}.attributes.name is required (a non-empty string) for an entity of type ${raw.typeName}.`);
  }
  const input: AtlasEntityInput = {
    path,
    guid: guidOf(raw.guid, path),
    typeName: raw.typeName,
    attributes: attributes as AtlasEntityInput['attributes'],
  };
  if (raw.relationshipAttributes !== undefined && raw.relationshipAttributes !== null) {
    if (!isObject(raw.relationshipAttributes)) throw invalid(`${path}.relationshipAttributes must be an object.`);
    input.relationshipAttributes = {};
    for (const [name, value] of Object.entries(raw.relationshipAttributes)) {
      const p = `${path}.relationshipAttributes.${name}`;
      input.relationshipAttributes[name] =
        value === null
          ? null
          : Array.isArray(value)
            ? value.map((v, i) => parseRelated(v, `${p}[${i}]`))
            : parseRelated(value, p);
    }
  }
  if (raw.classifications !== undefined && raw.classifications !== null) {
    if (!Array.isArray(raw.classifications)) throw invalid(`${path}.classifications must be an array.`);
    input.classifications = raw.classifications.map((c: unknown, i) => {
      if (!isObject(c) || typeof c.typeName !== 'string' || c.typeName === '')
        throw invalid(`${path}.classifications[${i}].typeName is required.`);
      const parsed = AtlasClassificationInputSchema.safeParse(c);
      if (!parsed.success)
        throw invalid(
          `${path}.classifications[${i}]: ${parsed.error.issues[0].message} (${parsed.error.issues[0].path.join('.')}).`,
        );
      return storedClassification(parsed.data);
    });
  }
  if (raw.labels !== undefined && raw.labels !== null) {
    if (!Array.isArray(raw.labels) || raw.labels.some((l) => typeof l !== 'string'))
      throw invalid(`${path}.labels must be an array of strings.`);
    input.labels = raw.labels as string[];
    // Atlas checks entity labels on create and update as on the label routes (ATLAS-400-00-08F / -090).
    validateLabels(input.labels);
  }
  if (raw.businessAttributes !== undefined && raw.businessAttributes !== null) {
    const bm = raw.businessAttributes;
    if (!isObject(bm) || Object.values(bm).some((attrs) => !isObject(attrs)))
      throw invalid(`${path}.businessAttributes must be an object of business metadata, each an object of attributes.`);
    input.businessAttributes = bm as Record<string, Record<string, unknown>>;
  }
  return input;
}

function referredEntities(body: Record<string, unknown>): AtlasEntityInput[] {
  const referred = body.referredEntities;
  if (referred === undefined || referred === null) return [];
  if (!isObject(referred)) throw invalid('referredEntities must be an object keyed by guid.');
  return Object.entries(referred).map(([guid, entity]) => {
    const input = parseAtlasEntity(entity, `referredEntities.${guid}`);
    return { ...input, guid: input.guid ?? guid };
  });
}

/** `AtlasEntityWithExtInfo`: `{ entity, referredEntities }`. */
export function parseEntityWithExtInfo(body: unknown): AtlasEntityInput[] {
  if (!isObject(body) || !('entity' in body))
    throw invalid('The request body must be an AtlasEntityWithExtInfo: {"entity": {...}, "referredEntities": {}}.');
  return [parseAtlasEntity(body.entity, 'entity'), ...referredEntities(body)];
}

/** `AtlasEntitiesWithExtInfo`: `{ entities: [...], referredEntities }`. */
export function parseEntitiesWithExtInfo(body: unknown): AtlasEntityInput[] {
  if (!isObject(body) || !Array.isArray(body.entities) || body.entities.length === 0) {
    throw invalid(
      'The request body must be an AtlasEntitiesWithExtInfo: {"entities": [...], "referredEntities": {}} with at least one entity.',
    );
  }
  return [...body.entities.map((e, i) => parseAtlasEntity(e, `entities[${i}]`)), ...referredEntities(body)];
}

/** Why a scanned asset cannot be ingested (the contract schema's first complaint), or undefined when it is valid. */
export function scannedAssetProblem(asset: unknown): string | undefined {
  const result = ScannedAssetSchema.safeParse(asset);
  return result.success ? undefined : result.error.issues[0].message;
}

export function isValidScannedAsset(asset: unknown): asset is ScannedAsset {
  return scannedAssetProblem(asset) === undefined;
}
