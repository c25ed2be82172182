/**
 * Labels and business metadata on data map entities (Data Map 2023-09-01: `Entity_AddLabel`, `Entity_SetLabels`,
 * `Entity_RemoveLabels`, `Entity_AddOrUpdateBusinessMetadata[Attributes]`, `Entity_RemoveBusinessMetadata[Attributes]`,
 * `Entity_ImportBusinessMetadata`, `Entity_GetSampleBusinessMetadataTemplate`).
 */
import { z } from 'zod';

/** Body of the label operations: a set of labels. The spec marks it optional; `null` and absent mean "none". */
export const LabelsBodySchema = z.array(z.string({ invalid_type_error: 'each label must be a string' }), {
  invalid_type_error: 'the body must be a JSON array of labels, e.g. ["label1","label2"]',
});
export type LabelsBody = z.infer<typeof LabelsBodySchema>;

/** One business metadata's attribute values on an entity: `{ attrName: value }`. */
export const BusinessMetadataAttributesSchema = z.record(z.unknown(), {
  invalid_type_error: 'the body must be a JSON object of business attribute values, e.g. {"bizAttr1":"value"}',
});
export type BusinessMetadataAttributes = z.infer<typeof BusinessMetadataAttributesSchema>;

/** An entity's `businessAttributes`: `{ bmName: { attrName: value } }`. */
export const BusinessAttributesSchema = z.record(
  z.record(z.unknown(), { invalid_type_error: 'each business metadata must map attribute names to values' }),
  {
    invalid_type_error:
      'the body must be a JSON object keyed by business metadata name, e.g. {"bm1":{"attr1":"value"}}',
  },
);
export type BusinessAttributes = z.infer<typeof BusinessAttributesSchema>;

/** `ImportStatus`. */
export const ImportStatusSchema = z.enum(['SUCCESS', 'FAILED']);
export type ImportStatus = z.infer<typeof ImportStatusSchema>;

/**
 * `ImportInfo`: for a success, `parentObjectName` is the entity guid and `childObjectName` the business attributes
 * written (rendered as Atlas renders a Java map, `{bm={attr=value}}`); a refused line has empty names and says why
 * in `remarks` (`Line #3: …`).
 */
export const ImportInfoSchema = z.object({
  parentObjectName: z.string(),
  childObjectName: z.string(),
  importStatus: ImportStatusSchema,
  remarks: z.string(),
});
export type ImportInfo = z.infer<typeof ImportInfoSchema>;

/** `BulkImportResult` of `POST /entity/businessmetadata/import`. */
export const BulkImportResultSchema = z.object({
  failedImportInfoList: z.array(ImportInfoSchema),
  successImportInfoList: z.array(ImportInfoSchema),
});
export type BulkImportResult = z.infer<typeof BulkImportResultSchema>;

/** The CSV header of the business metadata import (Atlas's `FileUtils.getBusinessMetadataHeaders`). */
export const BUSINESS_METADATA_IMPORT_COLUMNS = [
  'EntityType',
  'EntityUniqueAttributeValue',
  'BusinessAttributeName',
  'BusinessAttributeValue',
  'EntityUniqueAttributeName[optional]',
] as const;
