import { z } from 'zod';
import { DATABASE_COLUMN_TYPENAMES } from './database-scan-source';

/**
 * Ingestion: how scan results travel from a runtime to the data map, through the emulator's ingestion storage
 * (a blob container and a queue in Azurite), as Purview's managed storage does.
 *
 * The runtime writes each batch as one blob (`IngestionBatch` JSON) under `runs/{runId}/`, then puts an
 * `IngestionMessage` on the queue. The emulator consumes the queue; a batch delivered twice (at-least-once)
 * changes nothing the second time, because batches are keyed by `batchId` and entities by typeName+qualifiedName.
 */
export const INGESTION_CONTAINER = 'purview-ingestion';
export const INGESTION_QUEUE = 'purview-ingestion';

/** A reference to another asset by its unique attribute, as scanners write relationships. */
export const AssetReferenceSchema = z
  .object({ typeName: z.string(), uniqueAttributes: z.object({ qualifiedName: z.string() }).passthrough() })
  .passthrough();
export type AssetReference = z.infer<typeof AssetReferenceSchema>;

const nonEmpty = (message: string) => z.string({ message }).min(1, message);
const wholeNumber = (message: string) => z.number({ message }).int(message).min(0, message);
const CLASSIFICATIONS = 'classifications must be an array of {typeName}';

/**
 * One asset as a scanner emits it: an Atlas entity without server-side fields. The messages say why an asset cannot
 * be ingested (the first one is reported; such an asset is skipped, the rest of its batch is ingested).
 */
export const ScannedAssetSchema = z.object(
  {
    typeName: nonEmpty('typeName is missing'),
    attributes: z
      .object(
        {
          qualifiedName: nonEmpty('attributes.qualifiedName is missing'),
          name: nonEmpty('attributes.name is missing'),
        },
        { message: 'attributes are missing' },
      )
      .catchall(z.unknown()),
    // A null relationship (or null entry) clears it, as in Atlas.
    relationshipAttributes: z
      .record(
        z.union([AssetReferenceSchema.nullable(), z.array(AssetReferenceSchema.nullable())], {
          errorMap: (issue) => ({
            message: `relationshipAttributes.${String(issue.path[issue.path.length - 1])} must reference assets by typeName and uniqueAttributes.qualifiedName`,
          }),
        }),
        { message: 'relationshipAttributes is not an object' },
      )
      .nullish(),
    classifications: z
      .array(
        z
          .object(
            {
              typeName: nonEmpty(CLASSIFICATIONS),
              attributes: z.record(z.unknown(), { message: CLASSIFICATIONS }).nullish(),
            },
            { message: CLASSIFICATIONS },
          )
          .passthrough(),
        { message: CLASSIFICATIONS },
      )
      .nullish(),
  },
  { message: 'the asset is not an object' },
);
export type ScannedAsset = z.infer<typeof ScannedAssetSchema>;

/** A blob's ETag under its qualifiedName (incremental scans compare it with the blob's ETag when listed). */
export const BlobVersionSchema = z.object({ qualifiedName: z.string().min(1), etag: z.string().min(1) });
export type BlobVersion = z.infer<typeof BlobVersionSchema>;

/** One batch blob: the assets of one upload of a job. */
export const IngestionBatchSchema = z.object({
  version: z.literal(1, {
    errorMap: (_issue, ctx) => ({ message: `unsupported version ${JSON.stringify(ctx.data)} (expected 1)` }),
  }),
  runId: z.string().min(1),
  jobId: z.string().min(1),
  batchId: z.string().min(1),
  sequence: z.number().int().min(0),
  assets: z.array(ScannedAssetSchema),
  /**
   * The ETags of blobs the job listed, as the emulator has not recorded them yet (every blob on a full run): what the
   * next incremental run compares against (`KnownEtagsRequest`). Not part of the data map.
   */
  blobs: z.array(BlobVersionSchema).optional(),
});
export type IngestionBatch = z.infer<typeof IngestionBatchSchema>;

/** A blob name inside the ingestion container: no URL, no absolute path, no '..' segment. */
export function isIngestionBlobName(name: string): boolean {
  return !(/^[a-z]+:\/\//i.test(name) || name.startsWith('/') || name.split('/').includes('..'));
}

/** The queue message announcing a batch blob. The messages say why a message can never be ingested. */
export const IngestionMessageSchema = z.object(
  {
    version: z.literal(1, {
      errorMap: (_issue, ctx) => ({ message: `unsupported message version ${JSON.stringify(ctx.data)} (expected 1)` }),
    }),
    runId: nonEmpty("the message has no 'runId'"),
    jobId: nonEmpty("the message has no 'jobId'"),
    batchId: nonEmpty("the message has no 'batchId'"),
    sequence: wholeNumber("the message's 'sequence' must be a whole number"),
    blobName: nonEmpty("the message has no 'blobName'").refine(isIngestionBlobName, (name) => ({
      message: `blobName '${name}' must be a blob name inside the ingestion container`,
    })),
    assetCount: wholeNumber("the message's 'assetCount' must be a whole number"),
  },
  { message: 'the message is not a JSON object' },
);
export type IngestionMessage = z.infer<typeof IngestionMessageSchema>;

/** typeNames that are not counted as discovered assets (they describe another asset). */
export const NON_COUNTED_TYPENAMES: ReadonlySet<string> = new Set([
  'tabular_schema',
  'column',
  ...DATABASE_COLUMN_TYPENAMES,
]);
