import type { ScannedAsset } from '@purview-emulator/contracts';
import { type BlobInfo, MemoryConnector } from '../connectors';
import { withKnownEtags } from './known-etags';
import { type BlobVersion, runScan } from './scan';

const BASE = 'https://acct.blob.core.windows.net';
const TARGET = { accountName: 'acct', qualifiedNameBase: BASE };
const SINCE = '2024-06-01T12:00:00Z';
const before = new Date('2024-06-01T11:00:00Z');
const after = new Date('2024-06-01T12:30:00Z');
const csv = 'id,name\n1,a\n2,b\n';
const qn = (name: string) => `${BASE}/data/${name}`;

async function collect(iterable: AsyncIterable<ScannedAsset>): Promise<string[]> {
  const out: string[] = [];
  for await (const asset of iterable)
    if (asset.typeName === 'azure_blob_path') out.push(asset.attributes.qualifiedName);
  return out;
}

function estate() {
  return new MemoryConnector({
    data: {
      'same.csv': { content: csv, lastModified: before, etag: '"0x1"' },
      // Rewritten in the second the last run started, or by a storage clock behind ours: Last-Modified did not move.
      'rewritten.csv': { content: csv, lastModified: before, etag: '"0x2b"' },
      'new.csv': { content: csv, lastModified: after, etag: '"0x3"' },
      'never-recorded.csv': { content: csv, lastModified: before, etag: '"0x4"' },
    },
  });
}

const recorded = new Map([
  [qn('same.csv'), '"0x1"'],
  [qn('rewritten.csv'), '"0x2a"'],
]);

describe('incremental scans by ETag', () => {
  it('reads a blob whose ETag changed although its Last-Modified is older than the point', async () => {
    const connector = estate();
    const lookups: string[][] = [];
    const versions: BlobVersion[] = [];
    const run = runScan(
      connector,
      { ...TARGET, modifiedSince: SINCE },
      {
        knownEtags: async (names) => {
          lookups.push(names);
          return new Map(names.filter((n) => recorded.has(n)).map((n) => [n, recorded.get(n)!]));
        },
        onBlobVersion: (v) => versions.push(v),
      },
    );
    expect((await collect(run)).sort()).toEqual([qn('new.csv'), qn('rewritten.csv')]);
    expect([...connector.opened.keys()].sort()).toEqual(['data/new.csv', 'data/rewritten.csv']);
    expect(run.stats.blobsUnchanged).toBe(2);
    // Only the blobs older than the point are looked up, in one call for the chunk.
    expect(lookups).toEqual([[qn('never-recorded.csv'), qn('rewritten.csv'), qn('same.csv')]]);
    // What to record: every ETag that is not the one known (a blob never recorded keeps Last-Modified's verdict).
    expect(versions.sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName))).toEqual([
      { qualifiedName: qn('never-recorded.csv'), etag: '"0x4"' },
      { qualifiedName: qn('new.csv'), etag: '"0x3"' },
      { qualifiedName: qn('rewritten.csv'), etag: '"0x2b"' },
    ]);
  });

  it('without recorded ETags, goes by Last-Modified alone', async () => {
    const connector = estate();
    const run = runScan(connector, { ...TARGET, modifiedSince: SINCE });
    expect(await collect(run)).toEqual([qn('new.csv')]);
  });

  it('a full scan reads everything, looks nothing up and reports every ETag', async () => {
    const versions: BlobVersion[] = [];
    const lookup = jest.fn();
    const assets = await collect(
      runScan(estate(), TARGET, { knownEtags: lookup, onBlobVersion: (v) => versions.push(v) }),
    );
    expect(assets).toHaveLength(4);
    expect(lookup).not.toHaveBeenCalled();
    expect(versions.map((v) => v.etag).sort()).toEqual(['"0x1"', '"0x2b"', '"0x3"', '"0x4"']);
  });

  it('re-emits a resource set when one member was rewritten under the same Last-Modified', async () => {
    const members = Object.fromEntries(
      Array.from({ length: 3 }, (_, i) => [
        `logs/part-${i}.csv`,
        { content: csv, lastModified: before, etag: `"0x${i}"` },
      ]),
    );
    const connector = new MemoryConnector({ data: members });
    const known = new Map(Array.from({ length: 3 }, (_, i) => [qn(`logs/part-${i}.csv`), `"0x${i}"`]));
    const unchanged = runScan(connector, { ...TARGET, modifiedSince: SINCE }, { knownEtags: async () => known });
    const sets = async (run: AsyncIterable<ScannedAsset>) => {
      const out: string[] = [];
      for await (const a of run) if (a.typeName === 'azure_blob_resource_set') out.push(a.attributes.qualifiedName);
      return out;
    };
    expect(await sets(unchanged)).toEqual([]);
    known.set(qn('logs/part-1.csv'), '"0xold"');
    const rescanned = runScan(connector, { ...TARGET, modifiedSince: SINCE }, { knownEtags: async () => known });
    expect(await sets(rescanned)).toEqual([`${BASE}/data/logs/part-{N}.csv`]);
  });
});

describe('withKnownEtags', () => {
  it('looks up chunk by chunk and keeps the listing order', async () => {
    async function* listing(): AsyncGenerator<BlobInfo> {
      for (let i = 0; i < 5; i++) yield { name: `b${i}`, size: 1, lastModified: before, etag: `e${i}` };
    }
    const calls: string[][] = [];
    const out: [string, string | undefined][] = [];
    for await (const { blob, knownEtag } of withKnownEtags(
      listing(),
      {
        needs: (b) => b.name !== 'b2',
        keyOf: (b) => b.name,
        lookup: async (keys) => {
          calls.push(keys);
          return new Map(keys.map((k) => [k, `known-${k}`]));
        },
      },
      2,
    ))
      out.push([blob.name, knownEtag]);
    expect(calls).toEqual([['b0', 'b1'], ['b3'], ['b4']]);
    expect(out).toEqual([
      ['b0', 'known-b0'],
      ['b1', 'known-b1'],
      ['b2', undefined],
      ['b3', 'known-b3'],
      ['b4', 'known-b4'],
    ]);
  });
});
