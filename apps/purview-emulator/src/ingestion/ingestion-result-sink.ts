import type { BlobVersion } from '@purview-emulator/contracts';

/**
 * Where ingestion reports each batch's outcome: the scanning module's `ScanRunsService`, bound in IngestionModule.
 * A token keeps the consumer testable with a fake and keeps the dependency one-way (scanning never imports ingestion).
 */
export const INGESTION_RESULT_SINK = Symbol('INGESTION_RESULT_SINK');

export interface IngestedBatchResult {
  assetsSucceeded: number;
  assetsFailed: number;
  relationships: number;
  /** The assets written (every type, schemas and columns too): what the run's scan has now seen. */
  assets?: { typeName: string; qualifiedName: string }[];
  /** The ETags of listed blobs the batch carries (IngestionBatch.blobs), for the scan's next incremental run. */
  blobs?: BlobVersion[];
}

/** How the sink took a batch: counted now, already counted (a redelivery), or of a run it does not know. */
export type BatchRecordOutcome = 'recorded' | 'duplicate' | 'unknown-run';

export interface IngestionResultSink {
  /** Idempotent by batchId: a redelivered batch answers 'duplicate'. */
  recordIngestedBatch(runId: string, batchId: string, result: IngestedBatchResult): Promise<BatchRecordOutcome>;
  /** A batch of the run can never be ingested (poison message). */
  failIngestion(runId: string, message: string): Promise<void>;
  /**
   * Where a batch stands, for a message whose blob is gone: 'recorded' (already ingested, e.g. through the message of
   * an earlier attempt), 'run-ended' (its run is final: nothing waits for it), 'open' or 'unknown-run'.
   */
  batchState(runId: string, batchId: string): Promise<'recorded' | 'run-ended' | 'open' | 'unknown-run'>;
  /** Of `runIds`, the runs that reached a final state at least `graceSeconds` ago (their blobs are leftovers). */
  endedRuns(runIds: readonly string[], graceSeconds: number): Promise<string[]>;
}

/** Ingestion's settings, from EmulatorConfig. */
export const INGESTION_OPTIONS = Symbol('INGESTION_OPTIONS');

export interface IngestionOptions {
  /** PURVIEW_KEEP_INGESTION_BLOBS=true keeps batch blobs after ingestion, for debugging. */
  keepBlobs: boolean;
  /** How long a received message stays invisible unless renewed (default VISIBILITY_TIMEOUT_SECONDS; tests shorten it). */
  visibilityTimeoutSeconds?: number;
  /**
   * Blobs left under runs/{runId}/ by a run that ended (failed, canceled, or a batch nobody announced) are deleted
   * this long after its end (by then a node still uploading for it has been told to stop); 0 in tests.
   */
  leftoverGraceSeconds?: number;
  /** How often the ingestion container is looked through for such leftovers (and once at start-up). */
  leftoverSweepMs?: number;
}
