import type { BlobConnector, ByteRange, ConnectorCallOptions } from '../connectors';

/** Test helper: a connector that records every byte range read through it (the real connector does the reading). */
export class CountingConnector implements BlobConnector {
  readonly reads: { blob: string; offset: number; count: number }[] = [];
  constructor(
    private readonly inner: BlobConnector,
    private readonly sizes: Record<string, number> = {},
  ) {}
  get location(): string {
    return this.inner.location;
  }
  get bytesRead(): number {
    return this.reads.reduce((sum, r) => sum + r.count, 0);
  }
  listContainers(options?: ConnectorCallOptions) {
    return this.inner.listContainers(options);
  }
  listBlobs(container: string, options?: ConnectorCallOptions) {
    return this.inner.listBlobs(container, options);
  }
  async openBlob(
    container: string,
    blobName: string,
    range: ByteRange = { offset: 0 },
    options?: ConnectorCallOptions,
  ) {
    const size = this.sizes[`${container}/${blobName}`];
    const count = range.count ?? (size !== undefined ? size - range.offset : Number.POSITIVE_INFINITY);
    this.reads.push({ blob: `${container}/${blobName}`, offset: range.offset, count });
    return this.inner.openBlob(container, blobName, range, options);
  }
}
