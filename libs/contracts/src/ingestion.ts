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
export interface AssetReference {
  typeName: string;
  uniqueAttributes: { qualifiedName: string };
}

/** One asset as a scanner emits it: an Atlas entity without server-side fields. */
export interface ScannedAsset {
  typeName: string;
  attributes: { qualifiedName: string; name: string; [k: string]: unknown };
  relationshipAttributes?: Record<string, AssetReference | AssetReference[]>;
  classifications?: { typeName: string; attributes?: Record<string, unknown> }[];
}

export interface IngestionBatch {
  version: 1;
  runId: string;
  jobId: string;
  batchId: string;
  sequence: number;
  assets: ScannedAsset[];
}

export interface IngestionMessage {
  version: 1;
  runId: string;
  jobId: string;
  batchId: string;
  sequence: number;
  blobName: string;
  assetCount: number;
}

/** typeNames that are not counted as discovered assets (they describe another asset). */
export const NON_COUNTED_TYPENAMES: ReadonlySet<string> = new Set(['tabular_schema', 'column']);
