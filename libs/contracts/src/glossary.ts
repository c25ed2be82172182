/**
 * Data map business glossary: glossaries, categories, terms and term assignments, as the Glossary group of the
 * 2023-09-01 Data Map spec (purviewdatamap.json) names them. Input schemas first; the answers are typed below.
 */
import { z } from 'zod';

/** `TermStatus`: Purview's term lifecycle (Atlas itself has none). */
export const TermStatusSchema = z.enum(['Draft', 'Approved', 'Alert', 'Expired']);
export type TermStatus = z.infer<typeof TermStatusSchema>;

/** `AtlasTermRelationshipStatus` (term-term, term-category links). */
export const TermRelationshipStatusSchema = z.enum(['DRAFT', 'ACTIVE', 'DEPRECATED', 'OBSOLETE', 'OTHER']);
export type TermRelationshipStatus = z.infer<typeof TermRelationshipStatusSchema>;

/** `AtlasTermAssignmentStatus`. */
export const TermAssignmentStatusSchema = z.enum([
  'DISCOVERED',
  'PROPOSED',
  'IMPORTED',
  'VALIDATED',
  'DEPRECATED',
  'OBSOLETE',
  'OTHER',
]);
export type TermAssignmentStatus = z.infer<typeof TermAssignmentStatusSchema>;

const text = z
  .string()
  .max(32 * 1024)
  .optional();

/** The term-term relations of `AtlasGlossaryTerm`, each with the attribute its other end shows (Atlas's pairs). */
export const TERM_RELATIONS = {
  seeAlso: 'seeAlso',
  synonyms: 'synonyms',
  antonyms: 'antonyms',
  preferredTerms: 'preferredToTerms',
  preferredToTerms: 'preferredTerms',
  replacementTerms: 'replacedBy',
  replacedBy: 'replacementTerms',
  translationTerms: 'translatedTerms',
  translatedTerms: 'translationTerms',
  isA: 'classifies',
  classifies: 'isA',
  validValues: 'validValuesFor',
  validValuesFor: 'validValues',
} as const;
export type TermRelation = keyof typeof TERM_RELATIONS;
export const TERM_RELATION_NAMES = Object.keys(TERM_RELATIONS) as TermRelation[];

/** `AtlasGlossaryHeader` as sent: the glossary a category or term belongs to. */
export const GlossaryAnchorInputSchema = z.object({ glossaryGuid: z.string().min(1).optional() });

export const RelatedTermInputSchema = z.object({
  termGuid: z.string({ required_error: 'termGuid is required' }).min(1, 'termGuid is required'),
  description: text,
  expression: text,
  status: TermRelationshipStatusSchema.optional(),
  steward: text,
});
export type RelatedTermInput = z.infer<typeof RelatedTermInputSchema>;

export const RelatedCategoryInputSchema = z.object({
  categoryGuid: z.string({ required_error: 'categoryGuid is required' }).min(1, 'categoryGuid is required'),
  description: text,
});

export const TermCategorizationInputSchema = z.object({
  categoryGuid: z.string({ required_error: 'categoryGuid is required' }).min(1, 'categoryGuid is required'),
  description: text,
  status: TermRelationshipStatusSchema.optional(),
});

const GlossaryBaseInput = {
  name: z.string().max(4096).optional(),
  qualifiedName: z.string().max(4096).optional(),
  shortDescription: text,
  longDescription: text,
};

/** `AtlasGlossary` as sent (`terms`/`categories` are read-only: they follow the terms' and categories' anchors). */
export const GlossaryInputSchema = z.object({
  ...GlossaryBaseInput,
  language: text,
  usage: text,
});
export type GlossaryInput = z.infer<typeof GlossaryInputSchema>;

/** `AtlasGlossaryCategory` as sent. */
export const GlossaryCategoryInputSchema = z.object({
  ...GlossaryBaseInput,
  anchor: GlossaryAnchorInputSchema.optional(),
  parentCategory: RelatedCategoryInputSchema.nullable().optional(),
  childrenCategories: z.array(RelatedCategoryInputSchema).nullable().optional(),
  terms: z.array(RelatedTermInputSchema).nullable().optional(),
});
export type GlossaryCategoryInput = z.infer<typeof GlossaryCategoryInputSchema>;

export const ResourceLinkSchema = z.object({ displayName: text, url: text });
export const ContactInfoSchema = z.object({ id: z.string().max(256).optional(), info: text });

/** `AtlasGlossaryTerm` as sent, with the `parentTerm` Purview (and pyapacheatlas) use for the term hierarchy. */
export const GlossaryTermInputSchema = z.object({
  ...GlossaryBaseInput,
  anchor: GlossaryAnchorInputSchema.optional(),
  abbreviation: text,
  nickName: text,
  usage: text,
  examples: z.array(z.string().max(4096)).nullable().optional(),
  status: TermStatusSchema.optional(),
  resources: z.array(ResourceLinkSchema).nullable().optional(),
  contacts: z.record(z.array(ContactInfoSchema)).nullable().optional(),
  attributes: z.record(z.record(z.unknown())).nullable().optional(),
  templateName: z.array(z.unknown()).nullable().optional(),
  categories: z.array(TermCategorizationInputSchema).nullable().optional(),
  parentTerm: z
    .object({ termGuid: z.string().min(1) })
    .nullable()
    .optional(),
  ...(Object.fromEntries(
    Object.keys(TERM_RELATIONS).map((r) => [r, z.array(RelatedTermInputSchema).nullable().optional()]),
  ) as Record<TermRelation, z.ZodOptional<z.ZodNullable<z.ZodArray<typeof RelatedTermInputSchema>>>>),
});
export type GlossaryTermInput = z.infer<typeof GlossaryTermInputSchema>;

/** `AtlasRelatedObjectId` as sent to `terms/{termId}/assignedEntities`. */
export const TermAssignmentInputSchema = z.object({
  guid: z.string({ required_error: 'guid is required' }).min(1, 'guid is required'),
  typeName: z.string().optional(),
  relationshipGuid: z.string().optional(),
  relationshipAttributes: z
    .object({
      attributes: z
        .object({
          confidence: z.number().int().optional(),
          createdBy: text,
          description: text,
          expression: text,
          source: text,
          status: TermAssignmentStatusSchema.optional(),
          steward: text,
        })
        .optional(),
    })
    .nullable()
    .optional(),
});
export const TermAssignmentsInputSchema = z.array(TermAssignmentInputSchema);
export type TermAssignmentInput = z.infer<typeof TermAssignmentInputSchema>;

/** Partial updates send `{attribute: value}` (`map<string>` in the spec). */
export const GlossaryPartialInputSchema = z.record(z.string());

// ------------------------------------------------------------------------------------------------ answers

/** `AtlasGlossaryHeader`. */
export interface AtlasGlossaryHeader {
  glossaryGuid: string;
  relationGuid: string;
  displayText?: string;
}

/** `AtlasRelatedTermHeader`. */
export interface AtlasRelatedTermHeader {
  termGuid: string;
  relationGuid?: string;
  displayText?: string;
  description?: string;
  expression?: string;
  status?: TermRelationshipStatus;
  steward?: string;
}

/** `AtlasRelatedCategoryHeader`. */
export interface AtlasRelatedCategoryHeader {
  categoryGuid: string;
  parentCategoryGuid?: string;
  relationGuid?: string;
  displayText?: string;
  description?: string;
}

/** `AtlasTermCategorizationHeader`. */
export interface AtlasTermCategorizationHeader {
  categoryGuid: string;
  relationGuid?: string;
  displayText?: string;
  description?: string;
  status?: TermRelationshipStatus;
}

/** `AtlasTermAssignmentHeader`: a term as an entity's `meanings` show it. */
export interface AtlasTermAssignmentHeader {
  termGuid: string;
  relationGuid: string;
  displayText: string;
  confidence?: number;
  createdBy?: string;
  description?: string;
  expression?: string;
  status?: TermAssignmentStatus;
  steward?: string;
}

/** `AtlasRelatedObjectId` of a term assignment (either end: the entity on a term, the term on an entity). */
export interface AtlasTermAssignmentObjectId {
  guid: string;
  typeName: string;
  uniqueAttributes: { qualifiedName: string };
  displayText: string;
  entityStatus: 'ACTIVE' | 'DELETED';
  relationshipType: 'AtlasGlossarySemanticAssignment';
  relationshipGuid: string;
  relationshipStatus: 'ACTIVE';
  relationshipAttributes: { typeName: 'AtlasGlossarySemanticAssignment'; attributes: Record<string, unknown> };
}

interface GlossaryObjectBase {
  guid: string;
  qualifiedName: string;
  name: string;
  shortDescription?: string;
  longDescription?: string;
  lastModifiedTS: string;
  createdBy: string;
  updatedBy: string;
  createTime: number;
  updateTime: number;
}

/** `AtlasGlossary`. */
export interface AtlasGlossary extends GlossaryObjectBase {
  language?: string;
  usage?: string;
  categories?: AtlasRelatedCategoryHeader[];
  terms?: AtlasRelatedTermHeader[];
}

/** `AtlasGlossaryExtInfo` (`glossary/{glossaryId}/detailed`). */
export interface AtlasGlossaryExtInfo extends AtlasGlossary {
  categoryInfo: Record<string, AtlasGlossaryCategory>;
  termInfo: Record<string, AtlasGlossaryTerm>;
}

/** `AtlasGlossaryCategory`. */
export interface AtlasGlossaryCategory extends GlossaryObjectBase {
  anchor: AtlasGlossaryHeader;
  parentCategory?: AtlasRelatedCategoryHeader;
  childrenCategories?: AtlasRelatedCategoryHeader[];
  terms?: AtlasRelatedTermHeader[];
}

/** `PurviewObjectId`: one step of a term's `hierarchyInfo`. */
export interface PurviewObjectId {
  guid: string;
  typeName: string;
  name: string;
  displayText: string;
  uniqueAttributes: { qualifiedName: string };
}

/** `AtlasGlossaryTerm`. */
export type AtlasGlossaryTerm = GlossaryObjectBase & {
  anchor: AtlasGlossaryHeader;
  status: TermStatus;
  abbreviation?: string;
  nickName?: string;
  usage?: string;
  examples?: string[];
  resources?: { displayName?: string; url?: string }[];
  contacts?: Record<string, { id?: string; info?: string }[]>;
  attributes?: Record<string, Record<string, unknown>>;
  templateName?: unknown[];
  categories?: AtlasTermCategorizationHeader[];
  assignedEntities?: AtlasTermAssignmentObjectId[];
  hierarchyInfo?: PurviewObjectId[];
  parentTerm?: AtlasRelatedTermHeader;
} & Partial<Record<TermRelation, AtlasRelatedTermHeader[]>>;
