/** Data map: Apache Atlas v2 entities and Purview search (2023-09-01 shapes). */
import { z } from 'zod';
import type { AtlasTermAssignmentHeader } from './glossary';
import { DATABASE_TYPENAMES } from './database-scan-source';

/** `EntityStatus`: an entity is ACTIVE until it is deleted (the data map keeps deleted entities, soft-deleted). */
export const EntityStatusSchema = z.enum(['ACTIVE', 'DELETED']);
export type EntityStatus = z.infer<typeof EntityStatusSchema>;
export const ENTITY_STATUSES = EntityStatusSchema.options;

/** `RelationshipStatus`. */
export const RelationshipStatusSchema = z.enum(['ACTIVE', 'DELETED']);
export type RelationshipStatus = z.infer<typeof RelationshipStatusSchema>;

export interface AtlasObjectId {
  guid?: string;
  typeName: string;
  uniqueAttributes: { qualifiedName: string };
}

export interface AtlasRelatedObjectId extends AtlasObjectId {
  guid: string;
  displayText?: string;
  entityStatus?: EntityStatus;
  relationshipType?: string;
  relationshipStatus?: RelationshipStatus;
}

/** `TimeBoundary`: one validity period of a classification. */
export const TimeBoundarySchema = z.object({
  startTime: z.string().optional(),
  endTime: z.string().optional(),
  timeZone: z.string().optional(),
});
export type TimeBoundary = z.infer<typeof TimeBoundarySchema>;

/**
 * `AtlasClassification` as clients send it. The 2023-09-01 spec lists typeName, attributes, entityGuid,
 * entityStatus, removePropagationsOnEntityDelete and validityPeriods; Atlas (and pyapacheatlas) also send `propagate`.
 */
export const AtlasClassificationInputSchema = z.object({
  typeName: z.string({ required_error: 'typeName is required' }).min(1, 'typeName is required'),
  attributes: z.record(z.unknown()).nullish(),
  entityGuid: z.string().nullish(),
  entityStatus: EntityStatusSchema.nullish(),
  propagate: z.boolean().nullish(),
  removePropagationsOnEntityDelete: z.boolean().nullish(),
  validityPeriods: z.array(TimeBoundarySchema).nullish(),
});
export type AtlasClassificationInput = z.infer<typeof AtlasClassificationInputSchema>;

export interface AtlasClassification {
  typeName: string;
  attributes?: Record<string, unknown>;
  entityGuid?: string;
  entityStatus?: EntityStatus;
  lastModifiedTS?: string;
  propagate?: boolean;
  removePropagationsOnEntityDelete?: boolean;
  validityPeriods?: TimeBoundary[];
}

/** `AtlasClassifications`: Atlas's "REST serialization friendly list" (PList) of an entity's classifications. */
export interface AtlasClassifications {
  list: AtlasClassification[];
  pageSize: number;
  sortType: 'NONE' | 'ASC' | 'DESC';
  startIndex: number;
  totalCount: number;
}

/** `ClassificationAssociateOptions`, the body of `POST entity/bulk/classification`. */
export const ClassificationAssociateOptionsSchema = z.object({
  classification: AtlasClassificationInputSchema,
  entityGuids: z.array(z.string().min(1, 'a guid cannot be empty')).min(1, 'at least one entity guid is required'),
});
export type ClassificationAssociateOptions = z.infer<typeof ClassificationAssociateOptionsSchema>;

/** `AtlasEntityHeaders`, the body of `POST entity/bulk/setClassifications`: headers keyed by guid. */
export const AtlasEntityHeadersSchema = z.object({
  guidHeaderMap: z.record(
    z.object({
      typeName: z.string({ required_error: 'typeName is required' }).min(1, 'typeName is required'),
      guid: z.string().nullish(),
      attributes: z.record(z.unknown()).nullish(),
      classifications: z.array(AtlasClassificationInputSchema).nullish(),
    }),
  ),
});
export type AtlasEntityHeaders = z.infer<typeof AtlasEntityHeadersSchema>;

export interface AtlasEntity {
  typeName: string;
  guid: string;
  status: EntityStatus;
  attributes: { qualifiedName: string; name: string; [k: string]: unknown };
  /** `AtlasRelatedObjectId`, an array of them or null per declared relationship; undeclared ones as sent. */
  relationshipAttributes: Record<string, unknown>;
  classifications: AtlasClassification[];
  labels: string[];
  /** `AtlasTermAssignmentHeader`s of the glossary terms assigned to the entity; present when there are any. */
  meanings?: AtlasTermAssignmentHeader[];
  /** `{ bmName: { attrName: value } }`; present when the entity carries business metadata. */
  businessAttributes?: Record<string, Record<string, unknown>>;
  createTime: number;
  updateTime: number;
  createdBy: string;
  updatedBy: string;
  lastModifiedTS: string;
  version: number;
  collectionId: string;
  isIncomplete: boolean;
  sourceDetails?: Record<string, string>;
}

export interface AtlasEntityWithExtInfo {
  entity: AtlasEntity;
  referredEntities: Record<string, AtlasEntity>;
}

export interface AtlasEntityHeader {
  typeName: string;
  guid: string;
  status: EntityStatus;
  displayText: string;
  attributes: { qualifiedName: string; name: string; [k: string]: unknown };
  classificationNames: string[];
  classifications: AtlasClassification[];
  labels: string[];
  meaningNames: string[];
  meanings: AtlasTermAssignmentHeader[];
  isIncomplete: boolean;
  lastModifiedTS: string;
}

export interface EntityMutationResult {
  guidAssignments?: Record<string, string>;
  mutatedEntities?: {
    CREATE?: AtlasEntityHeader[];
    UPDATE?: AtlasEntityHeader[];
    PARTIAL_UPDATE?: AtlasEntityHeader[];
    DELETE?: AtlasEntityHeader[];
  };
  partialUpdatedEntities?: AtlasEntityHeader[];
}

/** Search filter: both the plain style (`{and:[…]}`, `{entityType}`) and the kind-tagged style (`{kind:'TypeFilter'}`). */
export type SearchFilter = Record<string, unknown>;

export interface QueryOptions {
  keywords?: string | null;
  limit?: number;
  continuationToken?: string;
  orderby?: Record<string, 'ASC' | 'DESC' | 'asc' | 'desc'>[];
  filter?: SearchFilter;
  facets?: { facet: string; count?: number; sort?: Record<string, string> }[];
}

export interface SearchResultValue {
  '@search.score': number;
  '@search.highlights'?: Record<string, string[]>;
  objectType: string;
  createTime: number;
  updateTime: number;
  id: string;
  name: string;
  qualifiedName: string;
  entityType: string;
  description: string | null;
  endorsement?: string | null;
  owner: string | null;
  classification: string[];
  label: string[];
  term: unknown[];
  contact: unknown[];
  assetType: string[];
  collectionId?: string;
  /** Glossary term hits only (`objectType` "Glossary terms"). */
  glossaryType?: string;
  glossary?: string;
  termStatus?: string;
  termTemplate?: string[];
  longDescription?: string;
}

export interface QueryResult {
  '@search.count': number;
  '@search.count.approximate': boolean;
  continuationToken?: string;
  /** `null` when no facets were asked, as the real service sends it. */
  '@search.facets': Record<string, { count: number; value: string }[]> | null;
  value: SearchResultValue[];
}

/** Display names Purview's search uses for `assetType`, by entity typeName. */
export const ASSET_TYPE_BY_TYPENAME: Record<string, string> = {
  azure_storage_account: 'Azure Storage Account',
  azure_blob_service: 'Azure Blob Storage',
  azure_blob_container: 'Azure Blob Storage',
  azure_blob_path: 'Azure Blob Storage',
  azure_blob_resource_set: 'Azure Blob Storage',
  tabular_schema: 'Azure Blob Storage',
  column: 'Azure Blob Storage',
  azure_datalake_gen2_service: 'Azure Data Lake Storage Gen2',
  azure_datalake_gen2_filesystem: 'Azure Data Lake Storage Gen2',
  azure_datalake_gen2_path: 'Azure Data Lake Storage Gen2',
  azure_datalake_gen2_resource_set: 'Azure Data Lake Storage Gen2',
  azure_sql_table: 'Azure SQL Database',
  ...Object.fromEntries(Object.values(DATABASE_TYPENAMES.postgresql).map((t) => [t, 'Azure Database for PostgreSQL'])),
  ...Object.fromEntries(
    Object.values(DATABASE_TYPENAMES.mysql).flatMap((t): [string, string][] =>
      t ? [[t, 'Azure Database for MySQL']] : [],
    ),
  ),
};

/** Search `objectType`, by entity typeName. */
export const OBJECT_TYPE_BY_TYPENAME: Record<string, string> = {
  azure_storage_account: 'Accounts',
  azure_blob_service: 'Others',
  azure_blob_container: 'Folders',
  azure_blob_path: 'Files',
  azure_blob_resource_set: 'Files',
  tabular_schema: 'Others',
  column: 'Columns',
  // Tables and views are 'Tables' in Purview's published objectType list; the other database levels are guesses.
  ...Object.fromEntries(
    Object.values(DATABASE_TYPENAMES).flatMap((t): [string, string][] => [
      [t.server, 'Servers'],
      [t.database, 'Databases'],
      ...(t.schema ? [[t.schema, 'Schemas'] as [string, string]] : []),
      [t.table, 'Tables'],
      [t.view, 'Tables'],
      [t.tableColumn, 'Columns'],
      [t.viewColumn, 'Columns'],
    ]),
  ),
  // Glossary terms are search hits too (from the glossary, not the entity store).
  AtlasGlossaryTerm: 'Glossary terms',
};

/** The `entityType` and `glossaryType` of a glossary term hit. */
export const GLOSSARY_TERM_TYPENAME = 'AtlasGlossaryTerm';
