import { type IngestionBatch, IngestionBatchSchema, type ScannedAsset } from '@purview-emulator/contracts';
import { asset } from '../testing/stub-scanner';
import { AssetBatcher, BATCH_ENVELOPE_BYTES, batchBody } from './batcher';
import { batchBlobName, batchIdFor } from './batch-names';

const sizeOf = (a: ScannedAsset) => Buffer.byteLength(JSON.stringify(a)) + 1;

describe('AssetBatcher', () => {
  it('closes a batch every maxAssets assets', () => {
    const batcher = new AssetBatcher({ maxAssets: 3, maxBytes: 1 << 20 });
    const closed = Array.from({ length: 7 }, (_, i) => batcher.add(asset(i))).flat();
    expect(closed.map((b) => b.assets.length)).toEqual([3, 3]);
    expect(batcher.flush()?.assets.length).toBe(1);
    expect(batcher.flush()).toBeUndefined();
  });

  it('closes a batch before it would exceed maxBytes', () => {
    const one = sizeOf(asset(0, { padding: 1000 }));
    const batcher = new AssetBatcher({ maxAssets: 500, maxBytes: BATCH_ENVELOPE_BYTES + one * 2 + 10 });
    const closed = Array.from({ length: 5 }, (_, i) => batcher.add(asset(i, { padding: 1000 }))).flat();
    expect(closed.map((b) => b.assets.length)).toEqual([2, 2]);
    for (const batch of closed) expect(batch.bytes).toBeLessThanOrEqual(one * 2 + 10);
    expect(batcher.flush()?.assets.length).toBe(1);
  });

  it('sends an asset larger than maxBytes alone', () => {
    const batcher = new AssetBatcher({ maxAssets: 500, maxBytes: 2000 });
    expect(batcher.add(asset(0))).toEqual([]);
    const closed = batcher.add(asset(1, { padding: 5000 }));
    expect(closed.map((b) => b.assets.length)).toEqual([1, 1]);
    expect(JSON.parse(closed[1].assets[0]).attributes.name).toBe('file-1.csv');
  });

  it('carries blob ETags with the assets, counted in bytes, and flushes them alone at the end', () => {
    const batcher = new AssetBatcher({ maxAssets: 2, maxBytes: 1 << 20 });
    const etag = (i: number) => ({ qualifiedName: `https://a.blob.core.windows.net/c/f${i}.csv`, etag: `"0x${i}"` });
    expect(batcher.addBlob(etag(0))).toEqual([]);
    batcher.add(asset(0));
    const [first] = batcher.add(asset(1));
    expect(first.assets).toHaveLength(2);
    expect(first.blobs.map((b) => JSON.parse(b))).toEqual([etag(0)]);
    expect(first.bytes).toBe(sizeOf(asset(0)) + sizeOf(asset(1)) + Buffer.byteLength(JSON.stringify(etag(0))) + 1);
    batcher.addBlob(etag(1));
    expect(batcher.flush()).toEqual({ assets: [], blobs: [JSON.stringify(etag(1))], bytes: expect.any(Number) });
    expect(batcher.flush()).toBeUndefined();
  });

  it('uses 500 assets or ~4 MiB by default, whichever comes first', () => {
    const batcher = new AssetBatcher();
    const small = Array.from({ length: 1001 }, (_, i) => batcher.add(asset(i))).flat();
    expect(small.map((b) => b.assets.length)).toEqual([500, 500]);
    batcher.flush();
    const big = Array.from({ length: 10 }, (_, i) => batcher.add(asset(i, { padding: 1024 * 1024 }))).flat();
    expect(big.every((b) => b.bytes <= 4 * 1024 * 1024)).toBe(true);
    expect(big[0].assets.length).toBe(3);
  });
});

describe('batch bodies and names', () => {
  it('builds a valid IngestionBatch from serialized assets', () => {
    const assets = [asset(1), asset(2, { classified: true })];
    const body = batchBody(
      { version: 1, runId: 'r', jobId: 'j', batchId: 'b', sequence: 3 },
      assets.map((a) => JSON.stringify(a)),
    );
    expect(JSON.parse(body) as IngestionBatch).toEqual({
      version: 1,
      runId: 'r',
      jobId: 'j',
      batchId: 'b',
      sequence: 3,
      assets,
    });
  });

  it('adds the blob ETags when the batch has some', () => {
    const blobs = [{ qualifiedName: 'https://a.blob.core.windows.net/c/f.csv', etag: '"0x1"' }];
    const body = batchBody(
      { version: 1, runId: 'r', jobId: 'j', batchId: 'b', sequence: 1 },
      [JSON.stringify(asset(1))],
      blobs.map((b) => JSON.stringify(b)),
    );
    expect(IngestionBatchSchema.parse(JSON.parse(body)).blobs).toEqual(blobs);
  });

  it('derives a stable UUID per job and sequence', () => {
    const id = batchIdFor('run-1', 1);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(batchIdFor('run-1', 1)).toBe(id);
    expect(batchIdFor('run-1', 2)).not.toBe(id);
    expect(batchIdFor('run-2', 1)).not.toBe(id);
  });

  it('names batch blobs after the prefix, job and padded sequence', () => {
    expect(
      batchBlobName(
        { jobId: 'run-1', ingestion: { blobPrefix: 'runs/run-1/', containerSasUrl: '', queueSasUrl: '' } },
        7,
      ),
    ).toBe('runs/run-1/run-1-00007.json');
  });
});
