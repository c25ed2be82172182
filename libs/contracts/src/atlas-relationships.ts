/**
 * Data map relationships and lineage: `AtlasRelationship`, `AtlasRelationshipWithExtInfo` and `AtlasLineageInfo` of
 * the Purview Data Map 2023-09-01 spec (`Azure.Analytics.Purview.DataMap/stable/2023-09-01`, definitions of the
 * Relationship and Lineage groups). Request schemas are lenient where Atlas is (unknown fields are ignored).
 */
import { z } from 'zod';
import { type AtlasEntityHeader, RelationshipStatusSchema } from './datamap';

/** An end of a relationship as clients send it (`AtlasObjectId`): a guid, or a typeName with unique attributes. */
export const RelationshipEndSchema = z
  .object({
    guid: z.union([z.string(), z.number().int()]).transform(String).optional(),
    typeName: z.string().optional(),
    uniqueAttributes: z.record(z.unknown()).nullish(),
  })
  .passthrough();
export type RelationshipEnd = z.infer<typeof RelationshipEndSchema>;

/** `AtlasRelationship` as clients send it to `POST`/`PUT atlas/v2/relationship`. */
export const AtlasRelationshipInputSchema = z
  .object({
    typeName: z.string({ message: 'typeName must be a string' }).optional(),
    guid: z.union([z.string(), z.number().int()]).transform(String).optional(),
    end1: RelationshipEndSchema.nullish(),
    end2: RelationshipEndSchema.nullish(),
    attributes: z.record(z.unknown(), { message: 'attributes must be an object' }).nullish(),
    label: z.string().nullish(),
    status: RelationshipStatusSchema.nullish(),
  })
  .passthrough();
export type AtlasRelationshipInput = z.infer<typeof AtlasRelationshipInputSchema>;

/** `AtlasObjectId` as the service answers it. */
export const AtlasObjectIdSchema = z.object({
  guid: z.string(),
  typeName: z.string(),
  uniqueAttributes: z.object({ qualifiedName: z.string() }),
});

/** `AtlasRelationship` as the service answers it. */
export const AtlasRelationshipSchema = z.object({
  guid: z.string(),
  typeName: z.string(),
  end1: AtlasObjectIdSchema,
  end2: AtlasObjectIdSchema,
  attributes: z.record(z.unknown()),
  label: z.string(),
  status: RelationshipStatusSchema,
  provenanceType: z.number().int(),
  createTime: z.number().int(),
  createdBy: z.string(),
  updateTime: z.number().int(),
  updatedBy: z.string(),
  version: z.number().int(),
  lastModifiedTS: z.string(),
});
export type AtlasRelationship = z.infer<typeof AtlasRelationshipSchema>;

/** `AtlasRelationshipWithExtInfo`: the relationship and, with `extendedInfo=true`, the headers of its ends. */
export const AtlasRelationshipWithExtInfoSchema = z.object({
  relationship: AtlasRelationshipSchema,
  referredEntities: z.record(z.custom<AtlasEntityHeader>()),
});
export type AtlasRelationshipWithExtInfo = z.infer<typeof AtlasRelationshipWithExtInfoSchema>;

/** `LineageDirection`. */
export const LineageDirectionSchema = z.enum(['INPUT', 'OUTPUT', 'BOTH']);
export type LineageDirection = z.infer<typeof LineageDirectionSchema>;

/** `LineageRelation`: an edge in data-flow order (input dataset → process → output dataset). */
export const LineageRelationSchema = z.object({
  fromEntityId: z.string(),
  relationshipId: z.string(),
  toEntityId: z.string(),
});
export type LineageRelation = z.infer<typeof LineageRelationSchema>;

/** `ParentRelation`. */
export const ParentRelationSchema = z.object({
  childEntityId: z.string(),
  relationshipId: z.string(),
  parentEntityId: z.string(),
});
export type ParentRelation = z.infer<typeof ParentRelationSchema>;

/** `AtlasLineageInfo`. `widthCounts` is keyed by direction (INPUT, OUTPUT), then by entity guid. */
export const AtlasLineageInfoSchema = z.object({
  baseEntityGuid: z.string(),
  guidEntityMap: z.record(z.custom<AtlasEntityHeader>()),
  widthCounts: z.record(z.record(z.number().int())),
  lineageDepth: z.number().int(),
  lineageWidth: z.number().int(),
  childrenCount: z.number().int(),
  lineageDirection: LineageDirectionSchema,
  parentRelations: z.array(ParentRelationSchema),
  relations: z.array(LineageRelationSchema),
});
export type AtlasLineageInfo = z.infer<typeof AtlasLineageInfoSchema>;

const wholeNumber = (name: string, min: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= 1_000_000, `${name} must be between ${min} and 1000000`);

/** Query of `GET atlas/v2/lineage/…`: `direction` is required (spec), `depth` defaults to 3 and `width` to 10 (legacy catalog). */
export const LineageQuerySchema = z.object({
  direction: z
    .string({ required_error: 'direction is required (INPUT, OUTPUT or BOTH)' })
    .transform((d) => d.toUpperCase())
    .pipe(LineageDirectionSchema),
  depth: wholeNumber('depth', 0).default('3'),
  width: wholeNumber('width', 1).default('10'),
});
export type LineageQuery = z.infer<typeof LineageQuerySchema>;

/** Query of `GET lineage/{guid}/next`: one page of the entity's direct lineage. */
export const LineageNextPageQuerySchema = z.object({
  direction: LineageQuerySchema.shape.direction,
  offset: wholeNumber('offset', 0).default('0'),
  limit: wholeNumber('limit', 1).default('10'),
});
export type LineageNextPageQuery = z.infer<typeof LineageNextPageQuerySchema>;
