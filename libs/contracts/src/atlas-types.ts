/**
 * Data map type system: Apache Atlas v2 type definitions as the Purview Data Map 2023-09-01 API carries them
 * (`AtlasTypesDef`, `AtlasEntityDef`, … in `Azure.Analytics.Purview.DataMap/stable/2023-09-01`). One schema per
 * shape, used for request bodies and responses alike: every field is optional here because clients send partial
 * definitions and the service fills in the rest (guid, category, versions, attribute defaults).
 */
import { z } from 'zod';

/** `TypeCategory` of the spec, plus Atlas's BUSINESS_METADATA (what Purview answers for business metadata defs). */
export const TYPE_CATEGORIES = [
  'PRIMITIVE',
  'OBJECT_ID_TYPE',
  'ENUM',
  'STRUCT',
  'CLASSIFICATION',
  'ENTITY',
  'ARRAY',
  'MAP',
  'RELATIONSHIP',
  'TERM_TEMPLATE',
  'BUSINESS_METADATA',
] as const;
export const TypeCategorySchema = z.enum(TYPE_CATEGORIES);
export type TypeCategory = z.infer<typeof TypeCategorySchema>;

/** The categories a client can define (the others are built into the type system). */
export type DefinableCategory =
  'ENUM' | 'STRUCT' | 'CLASSIFICATION' | 'ENTITY' | 'RELATIONSHIP' | 'BUSINESS_METADATA' | 'TERM_TEMPLATE';

export const CardinalitySchema = z.enum(['SINGLE', 'LIST', 'SET']);
export type Cardinality = z.infer<typeof CardinalitySchema>;

export const RelationshipCategorySchema = z.enum(['ASSOCIATION', 'AGGREGATION', 'COMPOSITION']);
export type RelationshipCategory = z.infer<typeof RelationshipCategorySchema>;

/** Atlas keeps options as string → string; clients sometimes send numbers or booleans, which Atlas stringifies. */
const scalarAsString = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const OptionsSchema = z.record(scalarAsString);

export const AtlasConstraintDefSchema = z.object({
  type: z.string().optional(),
  params: z.record(z.unknown()).optional(),
});
export type AtlasConstraintDef = z.infer<typeof AtlasConstraintDefSchema>;

export const AtlasAttributeDefSchema = z.object({
  name: z.string({ required_error: 'name is required' }),
  typeName: z.string({ required_error: 'typeName is required' }),
  cardinality: CardinalitySchema.optional(),
  constraints: z.array(AtlasConstraintDefSchema).optional(),
  defaultValue: scalarAsString.optional(),
  description: z.string().optional(),
  includeInNotification: z.boolean().optional(),
  isIndexable: z.boolean().optional(),
  isOptional: z.boolean().optional(),
  isUnique: z.boolean().optional(),
  options: OptionsSchema.optional(),
  valuesMaxCount: z.number().int().optional(),
  valuesMinCount: z.number().int().optional(),
});
export type AtlasAttributeDef = z.infer<typeof AtlasAttributeDefSchema>;

/** An entity def's relationship attribute, derived from the relationship defs that name the entity type at an end. */
export const AtlasRelationshipAttributeDefSchema = AtlasAttributeDefSchema.extend({
  isLegacyAttribute: z.boolean().optional(),
  relationshipTypeName: z.string().optional(),
});
export type AtlasRelationshipAttributeDef = z.infer<typeof AtlasRelationshipAttributeDefSchema>;

export const AtlasEnumElementDefSchema = z.object({
  value: z.string({ required_error: 'value is required' }),
  ordinal: z.number().int().optional(),
  description: z.string().optional(),
});
export type AtlasEnumElementDef = z.infer<typeof AtlasEnumElementDefSchema>;

/** Fields every type definition carries (`AtlasBaseTypeDef`). */
const baseTypeDefShape = {
  category: TypeCategorySchema.optional(),
  guid: z.string().optional(),
  name: z.string({ required_error: 'name is required' }),
  description: z.string().optional(),
  typeVersion: z.string().optional(),
  serviceType: z.string().optional(),
  options: OptionsSchema.optional(),
  dateFormatter: z.record(z.unknown()).optional(),
  createdBy: z.string().optional(),
  updatedBy: z.string().optional(),
  createTime: z.number().optional(),
  updateTime: z.number().optional(),
  version: z.number().optional(),
  lastModifiedTS: scalarAsString.optional(),
};

export const AtlasEnumDefSchema = z.object({
  ...baseTypeDefShape,
  elementDefs: z.array(AtlasEnumElementDefSchema).optional(),
  defaultValue: z.string().optional(),
});
export type AtlasEnumDef = z.infer<typeof AtlasEnumDefSchema>;

export const AtlasStructDefSchema = z.object({
  ...baseTypeDefShape,
  attributeDefs: z.array(AtlasAttributeDefSchema).optional(),
});
export type AtlasStructDef = z.infer<typeof AtlasStructDefSchema>;

export const AtlasClassificationDefSchema = AtlasStructDefSchema.extend({
  superTypes: z.array(z.string()).optional(),
  subTypes: z.array(z.string()).optional(),
  entityTypes: z.array(z.string()).optional(),
});
export type AtlasClassificationDef = z.infer<typeof AtlasClassificationDefSchema>;

export const AtlasEntityDefSchema = AtlasStructDefSchema.extend({
  superTypes: z.array(z.string()).optional(),
  subTypes: z.array(z.string()).optional(),
  relationshipAttributeDefs: z.array(AtlasRelationshipAttributeDefSchema).optional(),
});
export type AtlasEntityDef = z.infer<typeof AtlasEntityDefSchema>;

export const AtlasRelationshipEndDefSchema = z.object({
  type: z.string({ required_error: 'type is required' }),
  name: z.string({ required_error: 'name is required' }),
  cardinality: CardinalitySchema.optional(),
  description: z.string().optional(),
  isContainer: z.boolean().optional(),
  isLegacyAttribute: z.boolean().optional(),
});
export type AtlasRelationshipEndDef = z.infer<typeof AtlasRelationshipEndDefSchema>;

export const AtlasRelationshipDefSchema = AtlasStructDefSchema.extend({
  endDef1: AtlasRelationshipEndDefSchema.optional(),
  endDef2: AtlasRelationshipEndDefSchema.optional(),
  relationshipCategory: RelationshipCategorySchema.optional(),
  relationshipLabel: z.string().optional(),
});
export type AtlasRelationshipDef = z.infer<typeof AtlasRelationshipDefSchema>;

export const AtlasBusinessMetadataDefSchema = AtlasStructDefSchema;
export type AtlasBusinessMetadataDef = z.infer<typeof AtlasBusinessMetadataDefSchema>;

/** `TermTemplateDef`: the attributes glossary terms of a template carry. */
export const TermTemplateDefSchema = AtlasStructDefSchema;
export type TermTemplateDef = z.infer<typeof TermTemplateDefSchema>;

/** `AtlasTypesDef`: the body and answer of the bulk operations. */
export const AtlasTypesDefSchema = z.object({
  enumDefs: z.array(AtlasEnumDefSchema).optional(),
  structDefs: z.array(AtlasStructDefSchema).optional(),
  classificationDefs: z.array(AtlasClassificationDefSchema).optional(),
  entityDefs: z.array(AtlasEntityDefSchema).optional(),
  relationshipDefs: z.array(AtlasRelationshipDefSchema).optional(),
  businessMetadataDefs: z.array(AtlasBusinessMetadataDefSchema).optional(),
  termTemplateDefs: z.array(TermTemplateDefSchema).optional(),
});
export type AtlasTypesDef = z.infer<typeof AtlasTypesDefSchema>;

/** Which `AtlasTypesDef` array holds each definable category. */
export const TYPES_DEF_KEYS = {
  ENUM: 'enumDefs',
  STRUCT: 'structDefs',
  CLASSIFICATION: 'classificationDefs',
  ENTITY: 'entityDefs',
  RELATIONSHIP: 'relationshipDefs',
  BUSINESS_METADATA: 'businessMetadataDefs',
  TERM_TEMPLATE: 'termTemplateDefs',
} as const satisfies Record<DefinableCategory, keyof AtlasTypesDef>;

/**
 * `AtlasTypeDef`: any one definition, as `GET /types/typedef/name/{name}` answers it. Business metadata and term
 * template defs have the struct def's shape (`AtlasStructDef` stands for them).
 */
export type AtlasTypeDef =
  AtlasEnumDef | AtlasStructDef | AtlasClassificationDef | AtlasEntityDef | AtlasRelationshipDef;

export const AtlasTypeDefHeaderSchema = z.object({ category: TypeCategorySchema, guid: z.string(), name: z.string() });
export type AtlasTypeDefHeader = z.infer<typeof AtlasTypeDefHeaderSchema>;
