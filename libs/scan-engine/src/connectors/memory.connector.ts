import { Readable } from 'node:stream';
import type { BlobConnector, BlobInfo, ByteRange, ConnectorCallOptions, ContainerInfo } from './connector';
import { ConnectorError } from './connector';

export interface MemoryBlob {
  content: string | Buffer;
  contentType?: string;
  lastModified?: Date;
  etag?: string;
  /** Makes openBlob fail, to exercise per-blob failures. */
  failWith?: Error;
}

/** An in-memory blob store: containers map blob names to contents. For tests and demos. */
export class MemoryConnector implements BlobConnector {
  readonly location: string;
  /** How many times each blob was opened, by `container/name`. */
  readonly opened = new Map<string, number>();
  private readonly containers: Map<string, Map<string, MemoryBlob>>;

  constructor(containers: Record<string, Record<string, string | Buffer | MemoryBlob>>, location = 'memory://') {
    this.location = location;
    this.containers = new Map(
      Object.entries(containers).map(([c, blobs]) => [
        c,
        new Map(
          Object.entries(blobs).map(([n, b]) => [n, typeof b === 'string' || Buffer.isBuffer(b) ? { content: b } : b]),
        ),
      ]),
    );
  }

  async *listContainers(options: ConnectorCallOptions = {}): AsyncIterable<ContainerInfo> {
    for (const name of [...this.containers.keys()].sort()) {
      options.signal?.throwIfAborted();
      yield { name };
    }
  }

  async *listBlobs(container: string, options: ConnectorCallOptions = {}): AsyncIterable<BlobInfo> {
    const blobs = this.containers.get(container);
    if (!blobs)
      throw new ConnectorError(
        `Cannot list blobs of ${this.location}${container}: 404 ContainerNotFound`,
        404,
        'ContainerNotFound',
      );
    for (const name of [...blobs.keys()].sort()) {
      options.signal?.throwIfAborted();
      const blob = blobs.get(name)!;
      yield {
        name,
        size: Buffer.byteLength(blob.content),
        lastModified: blob.lastModified ?? new Date(0),
        contentType: blob.contentType,
        ...(blob.etag !== undefined ? { etag: blob.etag } : {}),
      };
    }
  }

  async openBlob(
    container: string,
    blobName: string,
    range: ByteRange = { offset: 0 },
    options: ConnectorCallOptions = {},
  ): Promise<Readable> {
    options.signal?.throwIfAborted();
    const key = `${container}/${blobName}`;
    this.opened.set(key, (this.opened.get(key) ?? 0) + 1);
    const blob = this.containers.get(container)?.get(blobName);
    if (!blob) throw new ConnectorError(`Cannot read ${this.location}${key}: 404 BlobNotFound`, 404, 'BlobNotFound');
    if (blob.failWith) throw blob.failWith;
    const bytes = Buffer.isBuffer(blob.content) ? blob.content : Buffer.from(blob.content);
    const end = range.count === undefined ? bytes.length : range.offset + range.count;
    // Small chunks, like a network stream, so that byte limits are exercised.
    const slice = bytes.subarray(range.offset, end);
    const chunks: Buffer[] = [];
    for (let i = 0; i < slice.length; i += 16 * 1024) chunks.push(slice.subarray(i, i + 16 * 1024));
    return Readable.from(chunks, { objectMode: false });
  }
}
