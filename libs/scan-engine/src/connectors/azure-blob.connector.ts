import type { Readable } from 'node:stream';
import { BlobServiceClient, type StoragePipelineOptions, type StorageRetryOptions } from '@azure/storage-blob';
import {
  type BlobConnector,
  type BlobInfo,
  type ByteRange,
  type ConnectorCallOptions,
  type ContainerInfo,
  ConnectorError,
  redactSecrets,
} from './connector';
import { type BlobPage, ContainerReader } from './container-reader';
import { STORAGE_RETRY } from './storage-retry';

/**
 * Blobs per listing page. The service allows 5000, but a page of 5000 is a ~3 MB XML body parsed at once: its parse
 * was the runtime's memory peak (25 MiB over its steady state, bench:scan at 10,000 blobs). Five times the calls
 * for a listing is nothing next to one read per blob.
 */
export const DEFAULT_LIST_PAGE_SIZE = 1000;

export interface AzureBlobConnectorOptions {
  /** Blob service URL without query, e.g. http://127.0.0.1:10000/devstoreaccount1 */
  serviceUrl: string;
  /** Account SAS (read + list), with or without the leading '?'. */
  sasToken: string;
  /** Items per listing page (the service caps it at 5000); default DEFAULT_LIST_PAGE_SIZE. */
  pageSize?: number;
  /** Overrides the retries of each call (default STORAGE_RETRY: a storage restart of up to ~30 s is outlasted). */
  retryOptions?: StorageRetryOptions;
  /** An HTTP proxy for every call (the runtime's proxy setting); direct when absent. */
  proxyOptions?: { host: string; port: number; username?: string; password?: string };
}

/** Azure Blob Storage (or Azurite) through `@azure/storage-blob`, authenticated by an account SAS. */
export class AzureBlobConnector implements BlobConnector {
  readonly location: string;
  private readonly client: BlobServiceClient;
  private readonly sasToken: string;
  private readonly pageSize: number;
  /**
   * One client per container, made once: each SDK client builds its own service client (URL parsing, operation
   * context), and building one per blob read was a tenth of the runtime's CPU in a scan of small files.
   */
  private readonly containers = new Map<string, ContainerReader>();
  private readonly pipelineOptions: StoragePipelineOptions;

  constructor(options: AzureBlobConnectorOptions) {
    this.location = options.serviceUrl.replace(/[?#].*$/, '').replace(/\/+$/, '');
    this.sasToken = options.sasToken.replace(/^\?/, '');
    this.pageSize = Math.min(Math.max(options.pageSize ?? DEFAULT_LIST_PAGE_SIZE, 1), 5000);
    this.pipelineOptions = {
      retryOptions: options.retryOptions ?? STORAGE_RETRY,
      ...(options.proxyOptions ? { proxyOptions: options.proxyOptions } : {}),
    };
    this.client = new BlobServiceClient(`${this.location}?${this.sasToken}`, undefined, this.pipelineOptions);
  }

  async *listContainers(options: ConnectorCallOptions = {}): AsyncIterable<ContainerInfo> {
    const what = `containers of ${this.location}`;
    const pages = this.client.listContainers({ abortSignal: options.signal }).byPage({ maxPageSize: this.pageSize });
    for await (const page of this.guard(pages, what, options.signal)) {
      for (const item of page.containerItems ?? []) yield { name: item.name };
    }
  }

  async *listBlobs(container: string, options: ConnectorCallOptions = {}): AsyncIterable<BlobInfo> {
    const what = `blobs of ${this.location}/${container}`;
    const reader = this.containerClient(container);
    let marker: string | undefined;
    do {
      let page: BlobPage;
      try {
        page = await reader.listPage(marker, this.pageSize, options.signal);
      } catch (error) {
        throw this.wrap(error, `Cannot list ${what}`, options.signal);
      }
      yield* page.blobs;
      marker = page.nextMarker;
    } while (marker);
  }

  openBlob(
    container: string,
    blobName: string,
    range: ByteRange = { offset: 0 },
    options: ConnectorCallOptions = {},
  ): Promise<Readable> {
    const { signal } = options;
    return this.containerClient(container).readRange(blobName, range, {
      signal,
      mapError: (error) => this.wrap(error, `Cannot read ${this.location}/${container}/${blobName}`, signal),
    });
  }

  private containerClient(name: string): ContainerReader {
    let client = this.containers.get(name);
    if (!client) {
      // A scan reads one container at a time: only the current one is kept, so that the map stays small.
      this.containers.clear();
      const { url } = this.client.getContainerClient(name);
      this.containers.set(name, (client = new ContainerReader(url, undefined, this.pipelineOptions)));
    }
    return client;
  }

  private async *guard<T>(pages: AsyncIterable<T>, what: string, signal: AbortSignal | undefined): AsyncIterable<T> {
    try {
      yield* pages;
    } catch (error) {
      throw this.wrap(error, `Cannot list ${what}`, signal);
    }
  }

  private wrap(error: unknown, prefix: string, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason ?? error;
    if (error instanceof ConnectorError) return error;
    const e = error as { statusCode?: number; code?: string; message?: string; details?: { errorCode?: string } };
    const code = e.details?.errorCode ?? e.code;
    const firstLine = (e.message ?? String(error)).split('\n')[0].trim();
    const parts = [e.statusCode, code].filter((p) => p !== undefined && p !== '').join(' ');
    const detail = parts && !firstLine.startsWith(parts) ? `${parts} (${firstLine})` : firstLine || parts;
    return new ConnectorError(redactSecrets(`${prefix}: ${detail}`, [this.sasToken]), e.statusCode, code);
  }
}
