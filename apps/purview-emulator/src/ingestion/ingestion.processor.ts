import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { FaultsService } from '../faults/faults.service';
import type { IngestionMessage } from '@purview-emulator/contracts';
import { DataMapService, SCANNER } from '../datamap/datamap.service';
import {
  IngestionFormatError,
  countedAssets,
  parseIngestionBatch,
  parseIngestionMessage,
  runIdOf,
} from './ingestion-message';
import {
  BatchRecordOutcome,
  INGESTION_OPTIONS,
  INGESTION_RESULT_SINK,
  IngestionOptions,
  IngestionResultSink,
} from './ingestion-result-sink';
import { IngestionStorage, ReceivedIngestionMessage, describeError } from './ingestion-storage';

/** A message delivered more often than this is moved to the poison queue instead of being tried again. */
export const MAX_DEQUEUE_COUNT = 5;

export type ProcessOutcome =
  | { kind: 'ingested'; runId: string; batchId: string; recorded: BatchRecordOutcome }
  | { kind: 'dropped'; runId: string; batchId: string; reason: string }
  | { kind: 'poisoned'; reason: string }
  | { kind: 'delayed'; delaySeconds: number };

/**
 * Ingests one queue message: reads the batch blob, writes its assets to the data map, reports to the scan run, then
 * deletes the message and the blob. Safe under at-least-once delivery: asset writes are idempotent and the scan run
 * counts each batchId once, so a crash before the delete only means the same work is redone harmlessly.
 * Transient failures (storage or database) throw and leave the message to reappear after its visibility timeout.
 */
@Injectable()
export class IngestionProcessor {
  private readonly logger = new Logger('Ingestion');

  constructor(
    private readonly storage: IngestionStorage,
    private readonly dataMap: DataMapService,
    @Inject(INGESTION_RESULT_SINK) private readonly sink: IngestionResultSink,
    @Inject(INGESTION_OPTIONS) private readonly options: IngestionOptions,
    @Optional() private readonly faults?: FaultsService,
  ) {}

  async process(received: ReceivedIngestionMessage, abortSignal?: AbortSignal): Promise<ProcessOutcome> {
    if (received.dequeueCount > MAX_DEQUEUE_COUNT) {
      return this.poison(
        received,
        runIdOf(received.messageText),
        `it was delivered ${received.dequeueCount} times without being ingested`,
        abortSignal,
      );
    }
    const fault = this.faults?.take('ingestion', () => true, `ingestion message ${received.messageId}`);
    if (fault?.action === 'reject')
      return this.poison(
        received,
        runIdOf(received.messageText),
        'the batch was rejected by an ingestion fault injected with /_emulator/faults',
        abortSignal,
      );
    if (fault?.action === 'delay') {
      // Back in the queue, visible again after the delay: as a message that waits behind a backlog.
      await this.storage.renewVisibility(received, fault.delaySeconds!, abortSignal);
      return { kind: 'delayed', delaySeconds: fault.delaySeconds! };
    }
    let message: IngestionMessage;
    try {
      message = parseIngestionMessage(received.messageText);
    } catch (error) {
      if (error instanceof IngestionFormatError) return this.poison(received, error.runId, error.message, abortSignal);
      throw error;
    }
    let parsed;
    try {
      const text = await this.storage.downloadBatch(message.blobName, abortSignal);
      if (text === undefined) return await this.withoutBlob(received, message, abortSignal);
      parsed = parseIngestionBatch(text, message);
    } catch (error) {
      if (error instanceof IngestionFormatError) return this.poison(received, error.runId, error.message, abortSignal);
      throw error;
    }
    if (parsed.invalid.length) {
      const first = parsed.invalid[0];
      this.logger.warn(
        `Batch ${message.batchId} of run ${message.runId}: ${parsed.invalid.length} asset(s) skipped (asset ${first.index}: ${first.problem}).`,
      );
    }
    const written = await this.dataMap.upsertAssets(parsed.valid, { updatedBy: SCANNER });
    const recorded = await this.sink.recordIngestedBatch(message.runId, message.batchId, {
      assetsSucceeded: countedAssets(parsed.valid.map((a) => a.typeName)),
      assetsFailed: countedAssets(parsed.invalid.map((a) => a.typeName)),
      relationships: written.relationships,
      assets: parsed.valid.map((a) => ({ typeName: a.typeName, qualifiedName: a.attributes.qualifiedName })),
      ...(parsed.batch.blobs?.length ? { blobs: parsed.batch.blobs } : {}),
    });
    if (recorded === 'unknown-run')
      this.logger.warn(
        `Batch ${message.batchId} belongs to run ${message.runId}, which the emulator does not know; its assets were ingested anyway.`,
      );
    // Message first, blob second: a crash in between leaves an orphan blob, never a message without its blob.
    await this.storage.deleteMessage(received, abortSignal);
    if (!this.options.keepBlobs) await this.storage.deleteBlob(message.blobName, abortSignal);
    this.logger.log(
      `Ingested batch ${message.batchId} (#${message.sequence}) of run ${message.runId}: ${written.created} created, ${written.updated} updated, ${written.unchanged} unchanged (${recorded}).`,
    );
    return { kind: 'ingested', runId: message.runId, batchId: message.batchId, recorded };
  }

  /**
   * The batch's blob is gone. Harmless when the batch was already ingested (an attempt that re-sent its batches: the
   * first message ingested and deleted the blob both point at) or when its run has ended (its leftovers were swept);
   * otherwise the message can never be ingested.
   */
  private async withoutBlob(
    received: ReceivedIngestionMessage,
    message: IngestionMessage,
    abortSignal?: AbortSignal,
  ): Promise<ProcessOutcome> {
    const state = await this.sink.batchState(message.runId, message.batchId);
    if (state === 'recorded' || state === 'run-ended') {
      await this.storage.deleteMessage(received, abortSignal);
      const reason = state === 'recorded' ? 'the batch was already ingested' : 'its run has ended';
      this.logger.log(
        `Dropped the message of batch ${message.batchId} (#${message.sequence}) of run ${message.runId}: its blob is gone and ${reason}.`,
      );
      return { kind: 'dropped', runId: message.runId, batchId: message.batchId, reason };
    }
    return this.poison(received, message.runId, `batch blob '${message.blobName}' does not exist`, abortSignal);
  }

  private async poison(
    received: ReceivedIngestionMessage,
    runId: string | undefined,
    reason: string,
    abortSignal?: AbortSignal,
  ): Promise<ProcessOutcome> {
    await this.storage.sendToPoison(received.messageText, abortSignal);
    await this.storage.deleteMessage(received, abortSignal);
    this.logger.error(
      `Moved ingestion message ${received.messageId}${runId ? ` of run ${runId}` : ''} to queue purview-ingestion-poison: ${reason}.`,
    );
    if (runId) {
      try {
        await this.sink.failIngestion(runId, `Ingestion failed: ${reason}.`);
      } catch (error) {
        this.logger.error(`Could not mark run ${runId} as failed: ${describeError(error)}`);
      }
    }
    return { kind: 'poisoned', reason };
  }
}
