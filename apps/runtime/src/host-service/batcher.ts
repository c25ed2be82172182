import type { IngestionBatch, ScannedAsset } from '@purview-emulator/contracts';

export interface BatchLimits {
  /** Assets per batch at most. */
  maxAssets: number;
  /** Bytes of a batch blob at most (a single larger asset still travels, alone). */
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxAssets: 500, maxBytes: 4 * 1024 * 1024 };

/** Room kept for the batch's own fields around the assets. */
export const BATCH_ENVELOPE_BYTES = 512;

/** Assets of one batch, already serialized (each element is one asset's JSON). */
export interface AssetBatch {
  assets: string[];
  /** Bytes of the assets with their separators. */
  bytes: number;
}

/** Groups assets into batches by count and by size, whichever limit is reached first. */
export class AssetBatcher {
  private current: AssetBatch = { assets: [], bytes: 0 };

  constructor(private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS) {}

  /** Adds one asset; returns the batches it completed (usually none). */
  add(asset: ScannedAsset): AssetBatch[] {
    const json = JSON.stringify(asset);
    const size = Buffer.byteLength(json, 'utf8') + 1;
    const closed: AssetBatch[] = [];
    const budget = Math.max(1, this.limits.maxBytes - BATCH_ENVELOPE_BYTES);
    if (this.current.assets.length > 0 && this.current.bytes + size > budget) closed.push(this.take());
    this.current.assets.push(json);
    this.current.bytes += size;
    if (this.current.assets.length >= this.limits.maxAssets || this.current.bytes >= budget) closed.push(this.take());
    return closed;
  }

  /** The last, partial batch, if any asset is waiting. */
  flush(): AssetBatch | undefined {
    return this.current.assets.length > 0 ? this.take() : undefined;
  }

  private take(): AssetBatch {
    const batch = this.current;
    this.current = { assets: [], bytes: 0 };
    return batch;
  }
}

/** The `IngestionBatch` JSON of a batch, built from the serialized assets without parsing them again. */
export function batchBody(header: Omit<IngestionBatch, 'assets'>, assets: readonly string[]): string {
  const head = JSON.stringify({
    version: header.version,
    runId: header.runId,
    jobId: header.jobId,
    batchId: header.batchId,
    sequence: header.sequence,
  });
  return `${head.slice(0, -1)},"assets":[${assets.join(',')}]}`;
}
