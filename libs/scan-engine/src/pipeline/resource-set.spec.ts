import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScannedAsset } from '@purview-emulator/contracts';
import { EMAIL_CLASSIFICATION } from '../classifiers';
import { MemoryConnector, type MemoryBlob } from '../connectors';
import { SAMPLES_DIR } from '../samples';
import { runScan } from './scan';

const BASE = 'https://acct.blob.core.windows.net';
const TARGET = { accountName: 'acct', qualifiedNameBase: BASE };

async function collect(iterable: AsyncIterable<ScannedAsset>): Promise<ScannedAsset[]> {
  const out: ScannedAsset[] = [];
  for await (const asset of iterable) out.push(asset);
  return out;
}
const qn = (a: ScannedAsset) => a.attributes.qualifiedName;
const emails = ['email', ...Array.from({ length: 20 }, (_, i) => `user${i}@contoso.com`)].join('\n');

/** 250 daily CSV partitions: file 0 has `id,amount`, file 100 adds `region`, file 200 is a column of e-mails. */
function partitioned(): Record<string, MemoryBlob> {
  const files: Record<string, MemoryBlob> = {};
  for (let i = 0; i < 250; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const name = `sales/2024/05/${day}/part_${String(i).padStart(4, '0')}.csv`;
    files[name] = { content: 'id,amount\n1,2\n', lastModified: new Date('2024-05-01T00:00:00Z') };
  }
  const names = Object.keys(files).sort();
  files[names[100]] = { content: 'id,amount,region\n1,2,EU\n', lastModified: new Date('2024-05-02T00:00:00Z') };
  files[names[200]] = { content: emails, lastModified: new Date('2024-05-03T00:00:00Z') };
  return files;
}

describe('resource sets in a scan', () => {
  it('turns a partitioned folder into one azure_blob_resource_set, sampling 1 delimited file in 100', async () => {
    const memory = new MemoryConnector({ c: { ...partitioned(), 'z.csv': 'a\n1\n' } });
    const run = runScan(memory, TARGET);
    const assets = await collect(run);
    const setQn = `${BASE}/c/sales/{Year}/{Month}/{Day}/part_{N}.csv`;
    const set = assets.find((a) => qn(a) === setQn)!;
    expect(set).toMatchObject({
      typeName: 'azure_blob_resource_set',
      attributes: {
        name: 'part',
        path: '/c/sales/{Year}/{Month}/{Day}/part_{N}.csv',
        partitionCount: 250,
        schemaCount: 3,
        modifiedTime: Date.parse('2024-05-03T00:00:00Z'),
      },
      relationshipAttributes: {
        container: { typeName: 'azure_blob_container', uniqueAttributes: { qualifiedName: `${BASE}/c` } },
      },
      classifications: [{ typeName: EMAIL_CLASSIFICATION }],
    });
    const totalSize = Object.values(partitioned()).reduce((n, b) => n + Buffer.byteLength(b.content), 0);
    expect(set.attributes.totalSizeBytes).toBe(totalSize);
    // The union of the three sampled files' schemas, in first-seen order.
    expect(
      assets.filter((a) => a.typeName === 'column' && qn(a).startsWith(`${setQn}#`)).map((a) => a.attributes.name),
    ).toEqual(['id', 'amount', 'region', 'email']);
    expect([...memory.opened.keys()].filter((k) => k.startsWith('c/sales/'))).toHaveLength(3);
    // No member is an asset of its own; the set is emitted before the file listed after it.
    expect(assets.some((a) => a.typeName === 'azure_blob_path' && qn(a).includes('/sales/'))).toBe(false);
    expect(assets.findIndex((a) => qn(a) === setQn)).toBeLessThan(assets.findIndex((a) => qn(a) === `${BASE}/c/z.csv`));
    expect(run.stats).toMatchObject({
      assetsDiscovered: 2 + 1 + 1 + 1,
      assetsClassified: 1,
      blobsListed: 251,
      resourceSets: 1,
    });
  });

  it('reads one file of a Parquet set', async () => {
    const parquet = fs.readFileSync(path.join(SAMPLES_DIR, 'products.parquet'));
    const memory = new MemoryConnector({
      c: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`products/batch=${i}/data.parquet`, parquet])),
    });
    const assets = await collect(runScan(memory, TARGET));
    expect(assets.find((a) => a.typeName === 'azure_blob_resource_set')?.attributes).toMatchObject({
      qualifiedName: `${BASE}/c/products/batch={N}/data.parquet`,
      partitionCount: 5,
      schemaCount: 1,
    });
    expect(new Set([...memory.opened.keys()])).toEqual(new Set(['c/products/batch=0/data.parquet']));
    expect(assets.find((a) => qn(a).endsWith('#__tabular_schema//price'))?.attributes.type).toBe('DOUBLE');
  });

  it('keeps every member of a set in one part of a spread scan', async () => {
    const files = { ...partitioned(), 'a.csv': 'x\n1\n', 'b.csv': 'x\n1\n' };
    const whole = await collect(runScan(new MemoryConnector({ c: files }), TARGET));
    const parts = await Promise.all(
      [0, 1, 2].map((index) =>
        collect(runScan(new MemoryConnector({ c: files }), { ...TARGET, partition: { index, count: 3 } })),
      ),
    );
    const sets = parts.map((p) => p.filter((a) => a.typeName === 'azure_blob_resource_set'));
    expect(sets.flat()).toHaveLength(1);
    expect(sets.flat()[0].attributes.partitionCount).toBe(250);
    expect(parts.flat().map(qn).sort()).toEqual(whole.map(qn).sort());
  });

  it('can be turned off: every file is its own asset', async () => {
    const assets = await collect(runScan(new MemoryConnector({ c: partitioned() }), TARGET, { resourceSets: false }));
    expect(assets.filter((a) => a.typeName === 'azure_blob_path')).toHaveLength(250);
  });
});

describe('incremental scans (modifiedSince)', () => {
  const old = new Date('2024-01-01T00:00:00Z');
  const recent = new Date('2024-06-01T12:00:00Z');
  const since = '2024-06-01T12:00:00.500Z';

  it('reads only blobs modified since the point (or in its second), and leaves the rest alone', async () => {
    const memory = new MemoryConnector({
      c: {
        'a.csv': { content: 'x\n1\n', lastModified: old },
        'b.csv': { content: 'x\n1\n', lastModified: recent },
        'c.csv': { content: 'x\n1\n', lastModified: new Date('2024-06-02T00:00:00Z') },
      },
    });
    const run = runScan(memory, { ...TARGET, modifiedSince: since });
    const files = (await collect(run)).filter((a) => a.typeName === 'azure_blob_path').map((a) => a.attributes.name);
    expect(files).toEqual(['b.csv', 'c.csv']);
    expect([...memory.opened.keys()].sort()).toEqual(['c/b.csv', 'c/c.csv']);
    expect(run.stats).toMatchObject({ blobsListed: 3, blobsUnchanged: 1 });
  });

  it('emits a resource set again only when a member changed, counting every member', async () => {
    const unchanged = Object.fromEntries(
      Array.from({ length: 3 }, (_, i) => [`quiet/${i}.csv`, { content: 'x\n1\n', lastModified: old }]),
    );
    const touched = Object.fromEntries(
      Array.from({ length: 3 }, (_, i) => [
        `busy/${i}.csv`,
        { content: 'x\n1\n', lastModified: i === 2 ? recent : old },
      ]),
    );
    const memory = new MemoryConnector({ c: { ...unchanged, ...touched } });
    const assets = await collect(runScan(memory, { ...TARGET, modifiedSince: since }));
    const sets = assets.filter((a) => a.typeName === 'azure_blob_resource_set');
    expect(sets.map((a) => [qn(a), a.attributes.partitionCount])).toEqual([[`${BASE}/c/busy/{N}.csv`, 3]]);
    expect([...memory.opened.keys()]).toEqual(['c/busy/2.csv']);
  });

  it('refuses a modifiedSince that is not a date', () => {
    expect(() => runScan(new MemoryConnector({}), { ...TARGET, modifiedSince: 'yesterday' })).toThrow(
      'Invalid modifiedSince',
    );
  });
});
