import type { Readable } from 'node:stream';

export interface ContainerInfo {
  name: string;
}

export interface BlobInfo {
  /** The blob name, i.e. its path inside the container (no leading '/'). */
  name: string;
  size: number;
  lastModified: Date;
  contentType?: string;
  /** Changes with every write, even two in the same second (Last-Modified has a resolution of one second). */
  etag?: string;
}

export interface ByteRange {
  offset: number;
  /** Bytes to read from `offset`; the rest of the blob when omitted. */
  count?: number;
}

export interface ConnectorCallOptions {
  signal?: AbortSignal;
}

/**
 * Where bytes come from: any blob-like store (Azure Blob, S3, a file system...).
 * Listings are async iterables so that callers hold one page at a time, however many blobs exist.
 */
export interface BlobConnector {
  /** A printable location for messages (never containing secrets). */
  readonly location: string;
  listContainers(options?: ConnectorCallOptions): AsyncIterable<ContainerInfo>;
  listBlobs(container: string, options?: ConnectorCallOptions): AsyncIterable<BlobInfo>;
  openBlob(container: string, blobName: string, range?: ByteRange, options?: ConnectorCallOptions): Promise<Readable>;
}

/** A failure of a connector call, with a message safe to log (secrets removed). */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Removes SAS signatures and other secrets (and any given secret strings) from a text meant for humans. */
export { redactSecrets } from '@purview-emulator/contracts';
