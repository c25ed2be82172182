import type { BlobVersion, IngestionBatch, ScannedAsset } from '@purview-emulator/contracts';

export interface BatchLimits {
  /** Assets per batch at most. */
  maxAssets: number;
  /** Bytes of a batch blob at most (a single larger asset still travels, alone). */
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxAssets: 500, maxBytes: 4 * 1024 * 1024 };

/** Room kept for the batch's own fields around the assets. */
export const BATCH_ENVELOPE_BYTES = 512;

/** Assets of one batch, already serialized (each element is one asset's JSON), and blob ETags to record. */
export interface AssetBatch {
  assets: string[];
  /** IngestionBatch.blobs, serialized. */
  blobs: string[];
  /** Bytes of the assets and blobs with their separators. */
  bytes: number;
}

/** Groups assets into batches by count and by size, whichever limit is reached first. */
export class AssetBatcher {
  private current: AssetBatch = { assets: [], blobs: [], bytes: 0 };

  constructor(private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS) {}

  /** Adds one asset; returns the batches it completed (usually none). */
  add(asset: ScannedAsset): AssetBatch[] {
    return this.push('assets', JSON.stringify(asset));
  }

  /** Adds a blob's ETag to record (it travels with the assets, counted in bytes only). */
  addBlob(blob: BlobVersion): AssetBatch[] {
    return this.push('blobs', JSON.stringify({ qualifiedName: blob.qualifiedName, etag: blob.etag }));
  }

  /** The last, partial batch, if anything is waiting. */
  flush(): AssetBatch | undefined {
    return this.current.assets.length > 0 || this.current.blobs.length > 0 ? this.take() : undefined;
  }

  private push(kind: 'assets' | 'blobs', json: string): AssetBatch[] {
    const size = Buffer.byteLength(json, 'utf8') + 1;
    const closed: AssetBatch[] = [];
    const budget = Math.max(1, this.limits.maxBytes - BATCH_ENVELOPE_BYTES);
    const held = this.current.assets.length + this.current.blobs.length;
    if (held > 0 && this.current.bytes + size > budget) closed.push(this.take());
    this.current[kind].push(json);
    this.current.bytes += size;
    if (this.current.assets.length >= this.limits.maxAssets || this.current.bytes >= budget) closed.push(this.take());
    return closed;
  }

  private take(): AssetBatch {
    const batch = this.current;
    this.current = { assets: [], blobs: [], bytes: 0 };
    return batch;
  }
}

/** The `IngestionBatch` JSON of a batch, built from the serialized assets (and blobs) without parsing them again. */
export function batchBody(
  header: Omit<IngestionBatch, 'assets' | 'blobs'>,
  assets: readonly string[],
  blobs: readonly string[] = [],
): string {
  const head = JSON.stringify({
    version: header.version,
    runId: header.runId,
    jobId: header.jobId,
    batchId: header.batchId,
    sequence: header.sequence,
  });
  const tail = blobs.length ? `,"blobs":[${blobs.join(',')}]` : '';
  return `${head.slice(0, -1)},"assets":[${assets.join(',')}]${tail}}`;
}
