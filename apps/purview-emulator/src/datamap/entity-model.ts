import type {
  AtlasClassification,
  AtlasEntity,
  AtlasEntityHeader,
  AtlasRelatedObjectId,
  EntityStatus,
  TimeBoundary,
} from '@purview-emulator/contracts';
import { AtlasEntityRecord } from './atlas-entity.record';
import { SearchDocument } from './search/search-document';

/** How relationship attributes are stored: references by unique attribute, resolved to guids when read. */
export interface StoredRef {
  typeName: string;
  qualifiedName: string;
}
export type StoredRelationships = Record<string, StoredRef | StoredRef[] | null>;

export interface StoredClassification {
  typeName: string;
  attributes?: Record<string, unknown>;
  /** Stored as sent (Atlas propagates along lineage; the emulator keeps the flag but does not propagate). */
  propagate?: boolean;
  removePropagationsOnEntityDelete?: boolean;
  validityPeriods?: TimeBoundary[];
  /**
   * 'scanner' when a scan applied it (never rendered): a later scan of the entity replaces these, and never removes
   * one without it (applied by hand through the API).
   */
  origin?: 'scanner';
}

/** Minimal view of a referenced entity, enough to render an `AtlasRelatedObjectId`. */
export interface RefTarget {
  guid: string;
  typeName: string;
  qualifiedName: string;
  name: string;
  status: EntityStatus;
}

export function refKey(typeName: string, qualifiedName: string): string {
  return `${typeName}\u0000${qualifiedName}`;
}

/** JSON with object keys sorted, so that equal content always serializes to equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === '') return fallback;
  return JSON.parse(text) as T;
}

export function refsOf(relationships: StoredRelationships): StoredRef[] {
  const refs: StoredRef[] = [];
  for (const value of Object.values(relationships)) {
    if (Array.isArray(value)) refs.push(...value);
    else if (value) refs.push(value);
  }
  return refs;
}

export function classificationNamesOf(record: AtlasEntityRecord): string[] {
  return parseJson<StoredClassification[]>(record.classifications, []).map((c) => c.typeName);
}

/** What is kept of a classification a client sent: empty attributes and unset flags are left out. */
export function storedClassification(c: {
  typeName: string;
  attributes?: Record<string, unknown> | null;
  propagate?: boolean | null;
  removePropagationsOnEntityDelete?: boolean | null;
  validityPeriods?: TimeBoundary[] | null;
}): StoredClassification {
  const out: StoredClassification = { typeName: c.typeName };
  if (c.attributes && Object.keys(c.attributes).length) out.attributes = c.attributes;
  if (typeof c.propagate === 'boolean') out.propagate = c.propagate;
  if (typeof c.removePropagationsOnEntityDelete === 'boolean')
    out.removePropagationsOnEntityDelete = c.removePropagationsOnEntityDelete;
  if (c.validityPeriods) out.validityPeriods = c.validityPeriods;
  return out;
}

/** An entity's classifications in the `AtlasClassification` shape. */
export function classificationsOf(record: AtlasEntityRecord): AtlasClassification[] {
  return parseJson<StoredClassification[]>(record.classifications, []).map((c) => toAtlasClassification(c, record));
}

export function toAtlasClassification(c: StoredClassification, record: AtlasEntityRecord): AtlasClassification {
  const out: AtlasClassification = {
    typeName: c.typeName,
    attributes: c.attributes ?? {},
    entityGuid: record.guid,
    entityStatus: record.status,
  };
  if (c.propagate !== undefined) out.propagate = c.propagate;
  if (c.removePropagationsOnEntityDelete !== undefined)
    out.removePropagationsOnEntityDelete = c.removePropagationsOnEntityDelete;
  if (c.validityPeriods !== undefined) out.validityPeriods = c.validityPeriods;
  return out;
}

/** Every change to an entity: a new version and lastModifiedTS (Atlas's ETag), the time and who. */
export function bumpVersion(record: AtlasEntityRecord, updatedBy: string, nowMs: number): void {
  record.version = Number(record.version) + 1;
  record.lastModifiedTS = String((Number(record.lastModifiedTS) || 0) + 1);
  record.updateTime = nowMs;
  record.updatedBy = updatedBy;
}

export function attributesOf(record: AtlasEntityRecord): AtlasEntity['attributes'] {
  return parseJson<AtlasEntity['attributes']>(record.attributes, {
    qualifiedName: record.qualifiedName,
    name: record.name,
  });
}

function relatedObjectId(ref: StoredRef, targets: ReadonlyMap<string, RefTarget>): AtlasRelatedObjectId | undefined {
  const target = targets.get(refKey(ref.typeName, ref.qualifiedName));
  if (!target) return undefined;
  return {
    guid: target.guid,
    typeName: target.typeName,
    uniqueAttributes: { qualifiedName: target.qualifiedName },
    displayText: target.name,
    entityStatus: target.status,
    relationshipStatus: 'ACTIVE',
  };
}

/**
 * Resolves stored references against the entities found. A reference to an entity not (yet) in the data map is left
 * out (a single-valued one becomes null): a scan may upload the referenced asset in a later batch.
 */
export function resolveRelationships(
  relationships: StoredRelationships,
  targets: ReadonlyMap<string, RefTarget>,
): AtlasEntity['relationshipAttributes'] {
  const out: AtlasEntity['relationshipAttributes'] = {};
  for (const [name, value] of Object.entries(relationships)) {
    if (Array.isArray(value)) {
      out[name] = value
        .map((r) => relatedObjectId(r, targets))
        .filter((r): r is AtlasRelatedObjectId => r !== undefined);
    } else {
      out[name] = value ? (relatedObjectId(value, targets) ?? null) : null;
    }
  }
  return out;
}

export function toAtlasEntity(
  record: AtlasEntityRecord,
  targets: ReadonlyMap<string, RefTarget> | undefined,
): AtlasEntity {
  const entity: AtlasEntity = {
    typeName: record.typeName,
    guid: record.guid,
    status: record.status,
    attributes: attributesOf(record),
    relationshipAttributes: targets
      ? resolveRelationships(parseJson<StoredRelationships>(record.relationshipAttributes, {}), targets)
      : {},
    classifications: classificationsOf(record),
    labels: parseJson<string[]>(record.labels, []),
    createTime: Number(record.createTime),
    updateTime: Number(record.updateTime),
    createdBy: record.createdBy,
    updatedBy: record.updatedBy,
    lastModifiedTS: record.lastModifiedTS,
    version: Number(record.version),
    collectionId: record.collectionId,
    isIncomplete: false,
  };
  const sourceDetails = parseJson<Record<string, string> | null>(record.sourceDetails, null);
  if (sourceDetails) entity.sourceDetails = sourceDetails;
  return entity;
}

export function toEntityHeader(record: AtlasEntityRecord): AtlasEntityHeader {
  const classifications = classificationsOf(record);
  return {
    typeName: record.typeName,
    guid: record.guid,
    status: record.status,
    displayText: record.name,
    attributes: attributesOf(record),
    classificationNames: classifications.map((c) => c.typeName),
    classifications,
    labels: parseJson<string[]>(record.labels, []),
    meaningNames: [],
    meanings: [],
    isIncomplete: false,
    lastModifiedTS: record.lastModifiedTS,
  };
}

export function toSearchDocument(record: AtlasEntityRecord): SearchDocument {
  return {
    guid: record.guid,
    typeName: record.typeName,
    qualifiedName: record.qualifiedName,
    name: record.name,
    description: record.description,
    attributes: attributesOf(record),
    classifications: classificationNamesOf(record),
    labels: labelsOf(record),
    collectionId: record.collectionId,
    createTime: Number(record.createTime),
    updateTime: Number(record.updateTime),
  };
}

/** The entity's Atlas labels (the JSON `labels` column). */
export function labelsOf(record: AtlasEntityRecord): string[] {
  const labels = JSON.parse(record.labels) as unknown;
  return Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [];
}
