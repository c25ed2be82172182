/**
 * Where ingestion reports each batch's outcome: the scanning module's `ScanRunsService`, bound in IngestionModule.
 * A token keeps the consumer testable with a fake and keeps the dependency one-way (scanning never imports ingestion).
 */
export const INGESTION_RESULT_SINK = Symbol('INGESTION_RESULT_SINK');

export interface IngestedBatchResult {
  assetsSucceeded: number;
  assetsFailed: number;
  relationships: number;
}

/** How the sink took a batch: counted now, already counted (a redelivery), or of a run it does not know. */
export type BatchRecordOutcome = 'recorded' | 'duplicate' | 'unknown-run';

export interface IngestionResultSink {
  /** Idempotent by batchId: a redelivered batch answers 'duplicate'. */
  recordIngestedBatch(runId: string, batchId: string, result: IngestedBatchResult): Promise<BatchRecordOutcome>;
  /** A batch of the run can never be ingested (poison message). */
  failIngestion(runId: string, message: string): Promise<void>;
}

/** Ingestion's settings, from EmulatorConfig. */
export const INGESTION_OPTIONS = Symbol('INGESTION_OPTIONS');

export interface IngestionOptions {
  /** PURVIEW_KEEP_INGESTION_BLOBS=true keeps batch blobs after ingestion, for debugging. */
  keepBlobs: boolean;
  /** How long a received message stays invisible unless renewed (default VISIBILITY_TIMEOUT_SECONDS; tests shorten it). */
  visibilityTimeoutSeconds?: number;
}

