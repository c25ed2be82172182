import { ContainerClient, type StorageRetryOptions } from '@azure/storage-blob';
import { QueueClient } from '@azure/storage-queue';
import type { IngestionMessage, ScanJob } from '@purview-emulator/contracts';
import { STORAGE_RETRY } from '@purview-emulator/scan-engine';
import { explainNetworkError, isProxyAuthError } from '../network/errors';
import { proxyRefusalOf } from '../network/proxy-refusal';
import { describeError, redactUrl } from '../redact';

/** Where a job's batches go: the ingestion container (one blob per batch) and queue (one message per batch). */
export interface IngestionSink {
  uploadBatch(blobName: string, body: string, signal: AbortSignal): Promise<void>;
  sendMessage(message: IngestionMessage, signal: AbortSignal): Promise<void>;
  /** Removes a batch blob whose message could not be sent (one quick try: storage may still be down). */
  deleteBatch(blobName: string, signal: AbortSignal): Promise<void>;
}

export type IngestionSinkFactory = (ingestion: ScanJob['ingestion']) => IngestionSink;

/**
 * An upload or enqueue that failed after the retries (STORAGE_RETRY, ~31 s, as for the source's listings): the job
 * fails as retryable and the emulator gives the part another attempt. The message is safe to log (no SAS).
 */
export class IngestionError extends Error {
  override readonly name = 'IngestionError';
}

/** One quick try for cleanup: a blob left behind is overwritten by the next attempt anyway. */
const CLEANUP: StorageRetryOptions = { maxTries: 1, tryTimeoutInMs: 5000 };

/** Storage pipeline options per URL: the proxy settings (NetworkContext.storagePipelineOptions). */
export type StorageOptionsFor = (url: string) => {
  proxyOptions?: { host: string; port: number; username?: string; password?: string };
};

/** The ingestion storage through the SAS URLs a job carries (Azurite or Azure), direct. */
export const azureIngestionSink: IngestionSinkFactory = (ingestion) => azureIngestionSinkWith(() => ({}))(ingestion);

/** The same, with each client's proxy options from the runtime's proxy settings. */
export const azureIngestionSinkWith =
  (optionsFor: StorageOptionsFor): IngestionSinkFactory =>
  (ingestion) => {
    const container = new ContainerClient(ingestion.containerSasUrl, undefined, {
      ...optionsFor(ingestion.containerSasUrl),
      retryOptions: STORAGE_RETRY,
    });
    const queue = new QueueClient(ingestion.queueSasUrl, undefined, {
      ...optionsFor(ingestion.queueSasUrl),
      retryOptions: STORAGE_RETRY,
    });
    const cleanup = new ContainerClient(ingestion.containerSasUrl, undefined, {
      ...optionsFor(ingestion.containerSasUrl),
      retryOptions: CLEANUP,
    });
    const secrets = [sasOf(ingestion.containerSasUrl), sasOf(ingestion.queueSasUrl)];
    return {
      async uploadBatch(blobName, body, signal) {
        try {
          await container.getBlockBlobClient(blobName).upload(body, Buffer.byteLength(body, 'utf8'), {
            abortSignal: signal,
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
        } catch (error) {
          if (signal.aborted) throw signal.reason ?? error;
          throw new IngestionError(
            `Cannot upload batch blob '${blobName}' to ${redactUrl(ingestion.containerSasUrl)}: ${storageErrorText(error, secrets)}`,
          );
        }
      },
      async sendMessage(message, signal) {
        try {
          await queue.sendMessage(JSON.stringify(message), { abortSignal: signal });
        } catch (error) {
          if (signal.aborted) throw signal.reason ?? error;
          throw new IngestionError(
            `Cannot put the message of batch ${message.sequence} on ${redactUrl(ingestion.queueSasUrl)}: ${storageErrorText(error, secrets)}`,
          );
        }
      },
      async deleteBatch(blobName, signal) {
        try {
          await cleanup.getBlockBlobClient(blobName).deleteIfExists({ abortSignal: signal });
        } catch (error) {
          if (signal.aborted) throw signal.reason ?? error;
          throw new IngestionError(`Cannot delete batch blob '${blobName}': ${storageErrorText(error, secrets)}`);
        }
      },
    };
  };

function sasOf(url: string): string {
  const index = url.indexOf('?');
  return index >= 0 ? url.slice(index + 1) : '';
}

function storageErrorText(error: unknown, secrets: string[]): string {
  // The proxy's own answer (refusal, target unreachable) is not storage's: say so rather than "403 (…)".
  if (isProxyAuthError(error) || proxyRefusalOf(error)) return explainNetworkError(error);
  const e = error as { statusCode?: number; code?: string; details?: { errorCode?: string } };
  const code = e.details?.errorCode ?? e.code;
  const parts = [e.statusCode, code].filter((p) => p !== undefined && p !== '').join(' ');
  const text = describeError(error, secrets);
  return parts && !text.startsWith(parts) ? `${parts} (${text})` : text;
}
