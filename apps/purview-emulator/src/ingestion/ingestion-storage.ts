import { Injectable } from '@nestjs/common';
import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { INGESTION_CONTAINER, INGESTION_QUEUE, redactSecrets } from '@purview-emulator/contracts';
import { StorageAccountsService } from '../storage/storage-accounts.service';
import { IngestionFormatError } from './ingestion-message';

export const POISON_QUEUE = 'purview-ingestion-poison';
/** Batch blobs live under runs/{runId}/ (runtimes name them from the job's blobPrefix, runs/{runId}/parts/{n}/). */
export const RUNS_FOLDER = 'runs/';
/** Batches are small JSON documents; anything bigger is refused rather than buffered. */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;
/** Deadlines per storage call (Azurite is local: anything slower means it is down or stuck). */
const SHORT_CALL_MS = 5_000;
/** Creating the container and queues is retried by the consumer with its own backoff until Azurite answers. */
const ENSURE_CALL_MS = 2_000;
const LONG_CALL_MS = 60_000;

export interface ReceivedIngestionMessage {
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
  messageText: string;
  /** When the runtime put it on the queue (the queue's clock: real time). */
  insertedOn: Date;
}

export function statusCodeOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Error text safe for logs: no SAS signatures or account keys. */
export function describeError(error: unknown): string {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; cause?: { code?: unknown } };
  const parts = [typeof e?.message === 'string' ? e.message.split('\n')[0] : String(error)];
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  if (code && !parts[0].includes(code)) parts.push(`(${code})`);
  return redactSecrets(parts.join(' '));
}

/** The ingestion container and queues in Azurite: all of ingestion's storage I/O. */
@Injectable()
export class IngestionStorage {
  private clients?: { container: ContainerClient; queue: QueueClient; poison: QueueClient };
  /** Visibility renewals in flight, per message: a delete waits for one so it uses the newest pop receipt. */
  private readonly renewals = new Map<ReceivedIngestionMessage, Promise<void>>();
  /** Messages being deleted: no renewal starts for them any more. */
  private readonly settling = new WeakSet<ReceivedIngestionMessage>();

  constructor(private readonly storage: StorageAccountsService) {}

  private get(): { container: ContainerClient; queue: QueueClient; poison: QueueClient } {
    if (!this.clients) {
      const queues = this.storage.queueServiceClient();
      this.clients = {
        container: this.storage.blobServiceClient().getContainerClient(INGESTION_CONTAINER),
        queue: queues.getQueueClient(INGESTION_QUEUE),
        poison: queues.getQueueClient(POISON_QUEUE),
      };
    }
    return this.clients;
  }

  /** Where ingestion reads from, for logs and health (no credentials). */
  describe(): string {
    const { container, queue } = this.get();
    return `container ${container.url} and queue ${queue.url}`;
  }

  async ensure(abortSignal?: AbortSignal): Promise<void> {
    const { container, queue, poison } = this.get();
    await this.call('creating the ingestion container', ENSURE_CALL_MS, abortSignal, (signal) =>
      container.createIfNotExists({ abortSignal: signal }),
    );
    await this.call('creating the ingestion queue', ENSURE_CALL_MS, abortSignal, (signal) =>
      queue.createIfNotExists({ abortSignal: signal }),
    );
    await this.call('creating the poison queue', ENSURE_CALL_MS, abortSignal, (signal) =>
      poison.createIfNotExists({ abortSignal: signal }),
    );
  }

  async receive(
    numberOfMessages: number,
    visibilityTimeout: number,
    abortSignal?: AbortSignal,
  ): Promise<ReceivedIngestionMessage[]> {
    const response = await this.call('receiving messages', SHORT_CALL_MS, abortSignal, (signal) =>
      this.get().queue.receiveMessages({ numberOfMessages, visibilityTimeout, abortSignal: signal }),
    );
    return response.receivedMessageItems.map((m) => ({
      messageId: m.messageId,
      popReceipt: m.popReceipt,
      dequeueCount: m.dequeueCount,
      messageText: m.messageText,
      insertedOn: m.insertedOn,
    }));
  }

  /**
   * Keeps a message invisible for `seconds` more while it is being worked on. Updates `message.popReceipt` (the
   * queue issues a new one). Does nothing once the message is being deleted.
   */
  async renewVisibility(message: ReceivedIngestionMessage, seconds: number, abortSignal?: AbortSignal): Promise<void> {
    if (this.settling.has(message) || this.renewals.has(message)) return;
    const renewal = (async () => {
      const response = await this.call('renewing a message', SHORT_CALL_MS, abortSignal, (signal) =>
        this.get().queue.updateMessage(message.messageId, message.popReceipt, undefined, seconds, {
          abortSignal: signal,
        }),
      );
      if (response.popReceipt) message.popReceipt = response.popReceipt;
    })();
    this.renewals.set(message, renewal);
    try {
      await renewal;
    } finally {
      this.renewals.delete(message);
    }
  }

  async deleteMessage(message: ReceivedIngestionMessage, abortSignal?: AbortSignal): Promise<void> {
    this.settling.add(message);
    await this.renewals.get(message)?.catch(() => undefined);
    try {
      await this.call('deleting a message', SHORT_CALL_MS, abortSignal, (signal) =>
        this.get().queue.deleteMessage(message.messageId, message.popReceipt, { abortSignal: signal }),
      );
    } catch (error) {
      // Already gone (its visibility timed out and another delivery deleted it): nothing left to do.
      if (statusCodeOf(error) !== 404) throw error;
    }
  }

  /** The batch blob's text, or undefined when the blob does not exist; IngestionFormatError when it is too big. */
  async downloadBatch(blobName: string, abortSignal?: AbortSignal): Promise<string | undefined> {
    const blob = this.get().container.getBlockBlobClient(blobName);
    try {
      return await this.call(`downloading blob '${blobName}'`, LONG_CALL_MS, abortSignal, async (signal) => {
        const properties = await blob.getProperties({ abortSignal: signal });
        if ((properties.contentLength ?? 0) > MAX_BATCH_BYTES)
          throw new IngestionFormatError(
            `blob '${blobName}' is ${properties.contentLength} bytes; batches may be at most ${MAX_BATCH_BYTES}`,
          );
        return (await blob.downloadToBuffer(0, undefined, { abortSignal: signal })).toString('utf8');
      });
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw error;
    }
  }

  async deleteBlob(blobName: string, abortSignal?: AbortSignal): Promise<void> {
    await this.call(`deleting blob '${blobName}'`, SHORT_CALL_MS, abortSignal, (signal) =>
      this.get().container.getBlockBlobClient(blobName).deleteIfExists({ abortSignal: signal }),
    );
  }

  /** The run ids that have blobs under runs/{runId}/ in the ingestion container (one listing by folder). */
  async runFolders(abortSignal?: AbortSignal): Promise<string[]> {
    return this.call('listing the run folders', LONG_CALL_MS, abortSignal, async (signal) => {
      const ids: string[] = [];
      for await (const item of this.get().container.listBlobsByHierarchy('/', {
        prefix: RUNS_FOLDER,
        abortSignal: signal,
      })) {
        if (item.kind === 'prefix') ids.push(item.name.slice(RUNS_FOLDER.length).replace(/\/$/, ''));
      }
      return ids;
    });
  }

  /** Deletes every blob under runs/{runId}/; returns how many it deleted. */
  async deleteRunFolder(runId: string, abortSignal?: AbortSignal): Promise<number> {
    const prefix = `${RUNS_FOLDER}${runId}/`;
    return this.call(`deleting the blobs under '${prefix}'`, LONG_CALL_MS, abortSignal, async (signal) => {
      const container = this.get().container;
      let deleted = 0;
      for await (const blob of container.listBlobsFlat({ prefix, abortSignal: signal })) {
        if ((await container.getBlockBlobClient(blob.name).deleteIfExists({ abortSignal: signal })).succeeded)
          deleted++;
      }
      return deleted;
    });
  }

  /** Every message of the ingestion queue, gone (a reset: they belong to runs that no longer exist). */
  async clearQueue(abortSignal?: AbortSignal): Promise<void> {
    await this.call('clearing the ingestion queue', SHORT_CALL_MS, abortSignal, (signal) =>
      this.get().queue.clearMessages({ abortSignal: signal }),
    );
  }

  async sendToPoison(messageText: string, abortSignal?: AbortSignal): Promise<void> {
    await this.call('writing to the poison queue', SHORT_CALL_MS, abortSignal, (signal) =>
      this.get().poison.sendMessage(messageText, { abortSignal: signal }),
    );
  }

  /**
   * Runs one storage call with a deadline. The SDK's own retry policy waits seconds between attempts when Azurite is
   * down; the deadline hands control back to the consumer, which owns backoff and health.
   */
  private async call<T>(
    operation: string,
    timeoutMs: number,
    outer: AbortSignal | undefined,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    // One controller per call, and no AbortSignal.any: dependents of a long-lived signal are not freed on Node 20.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onOuterAbort = () => controller.abort();
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
    try {
      return await fn(controller.signal);
    } catch (error) {
      if (timedOut)
        throw new Error(`No answer from storage within ${timeoutMs} ms while ${operation}`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }
}
