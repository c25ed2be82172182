import type { BlobConnector, ConnectorCallOptions } from './connector';

/** A random-access view of one blob (hyparquet's AsyncBuffer shape): every slice is one ranged read. */
export interface BlobByteSource {
  readonly byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
  /** Bytes fetched so far, over all slices. */
  readonly bytesRead: number;
}

/** Reads exactly [offset, offset + count) of a blob through the connector's ranged read. */
export async function readRange(
  connector: BlobConnector,
  container: string,
  blobName: string,
  offset: number,
  count: number,
  options: ConnectorCallOptions = {},
): Promise<Buffer> {
  if (count <= 0) return Buffer.alloc(0);
  const stream = await connector.openBlob(container, blobName, { offset, count }, options);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    total += buffer.length;
    // A store that ignores the range must not make us hold the whole blob.
    if (total >= count) break;
  }
  stream.destroy();
  const bytes = Buffer.concat(chunks, total).subarray(0, count);
  if (bytes.length < count)
    throw new Error(`Short read of ${container}/${blobName}: ${bytes.length} of ${count} bytes at offset ${offset}`);
  return bytes;
}

/** Byte ranges of a blob of known size, fetched on demand: a reader pays only for the ranges it asks for. */
export function blobByteSource(
  connector: BlobConnector,
  container: string,
  blobName: string,
  size: number,
  options: ConnectorCallOptions = {},
): BlobByteSource {
  let bytesRead = 0;
  return {
    byteLength: size,
    get bytesRead() {
      return bytesRead;
    },
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const from = Math.max(0, Math.min(start, size));
      const to = Math.max(from, Math.min(end, size));
      const bytes = await readRange(connector, container, blobName, from, to - from, options);
      bytesRead += bytes.length;
      // A standalone ArrayBuffer: Buffer.concat may return a view into a shared pool.
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
    },
  };
}
