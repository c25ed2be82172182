import * as fs from 'node:fs';
import * as path from 'node:path';
import { blobByteSource, MemoryConnector } from '../connectors';
import { readOrcSample } from './orc.reader';

/** ORC files written by Apache ORC itself (its examples; test-fixtures/orc/README.md says which and where from). */
const FIXTURES = path.join(__dirname, '..', '..', 'test-fixtures', 'orc');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

/** The file as the scan reads it: ranged reads through a connector, counted. */
function source(bytes: Buffer) {
  const connector = new MemoryConnector({ c: { 'f.orc': bytes } });
  return blobByteSource(connector, 'c', 'f.orc', bytes.length);
}

describe('readOrcSample', () => {
  it.each([
    [
      'TestVectorOrcFile.testZstd.0.12.orc',
      'ZSTD',
      10_000,
      [
        { name: 'x', type: 'bigint' },
        { name: 'y', type: 'int' },
        { name: 'z', type: 'bigint' },
      ],
    ],
    [
      'TestOrcFile.testSnappy.orc',
      'SNAPPY',
      10_000,
      [
        { name: 'int1', type: 'int' },
        { name: 'string1', type: 'string' },
      ],
    ],
    [
      'decimal64_v2.orc',
      'ZLIB',
      10,
      [
        { name: 'a', type: 'bigint' },
        { name: 'b', type: 'decimal(12,0)' },
        { name: 'c', type: 'decimal(20,2)' },
        { name: 'd', type: 'decimal(12,2)' },
        { name: 'e', type: 'decimal(2,2)' },
      ],
    ],
    // A file whose root is not a struct: one column, named as Hive names it.
    ['TestOrcFile.testTimestamp.orc', 'ZLIB', 12, [{ name: '_col0', type: 'timestamp' }]],
  ])('reads the schema of %s (%s) from its footer, typed', async (name, compression, totalRows, columns) => {
    const sample = await readOrcSample(source(fixture(name)));
    expect(sample).toMatchObject({ status: 'ok', compression, totalRows, columns, rows: [], sampledRows: 0 });
    expect(sample.reason).toBe('Schema only: ORC rows are not sampled, so ORC columns are not classified');
  });

  it('reads only the tail of a large file: a 1.9 million-row file costs its last 16 KiB', async () => {
    const bytes = fixture('demo-12-zlib.orc');
    const file = source(bytes);
    const sample = await readOrcSample(file);
    expect(sample).toMatchObject({ status: 'ok', totalRows: 1_920_800 });
    expect(sample.columns.map((c) => c.type)).toEqual([
      'int',
      'string',
      'string',
      'string',
      'int',
      'string',
      'int',
      'int',
      'int',
    ]);
    expect(file.bytesRead).toBe(16 * 1024);
    expect(bytes.length).toBeGreaterThan(2 * file.bytesRead);
  });

  it('reads a footer that the first read did not hold with one more read of just the footer', async () => {
    const bytes = fixture('TestOrcFile.test1.orc');
    const file = source(bytes);
    const sample = await readOrcSample(file, { tailBytes: 64 });
    expect(sample.status).toBe('noSchema');
    expect(file.bytesRead).toBeGreaterThan(64);
    expect(file.bytesRead).toBeLessThan(bytes.length);
  });

  it('gives no schema for complex columns, as Purview, and says which, with the whole type', async () => {
    const sample = await readOrcSample(source(fixture('TestOrcFile.test1.orc')));
    expect(sample).toMatchObject({ status: 'noSchema', columns: [], totalRows: 2, compression: 'ZLIB' });
    expect(sample.reason).toBe(
      'Complex types are not supported for schema extraction (as in Purview): middle (struct), list (array), map (map)',
    );
    expect(sample.schema).toBe(
      'struct<boolean1:boolean,byte1:tinyint,short1:smallint,int1:int,long1:bigint,float1:float,double1:double,' +
        'bytes1:binary,string1:string,middle:struct<list:array<struct<int1:int,string1:string>>>,' +
        'list:array<struct<int1:int,string1:string>>,map:map<string,struct<int1:int,string1:string>>>',
    );
  });

  it('reads files without rows, and without a recorded compression chunk size', async () => {
    expect(await readOrcSample(source(fixture('TestOrcFile.testWithoutCompressionBlockSize.orc')))).toMatchObject({
      status: 'ok',
      compression: 'SNAPPY',
      totalRows: 0,
      columns: [{ name: '_col0', type: 'bigint' }],
    });
    const empty = await readOrcSample(source(fixture('TestOrcFile.emptyFile.orc')));
    expect(empty).toMatchObject({ status: 'noSchema', compression: 'NONE', totalRows: 0 });
  });

  it('gives basic metadata, with the reason, for footers it cannot inflate (LZ4, LZO)', async () => {
    expect(await readOrcSample(source(fixture('TestVectorOrcFile.testLz4.orc')))).toMatchObject({
      status: 'noSchema',
      compression: 'LZ4',
      reason: 'ORC: basic metadata only (the footer is LZ4-compressed, which is not read)',
    });
  });

  it.each([
    ['an empty file', Buffer.alloc(0), /^Not an ORC file: 0 bytes/],
    ['a text file', Buffer.from('id,name\n1,a\n'.repeat(10)), /^Not an ORC file/],
    ['a file cut short', fixture('TestOrcFile.testSnappy.orc').subarray(0, 60_000), /^Not an ORC file/],
    [
      'a footer that does not inflate',
      (() => {
        const bytes = Buffer.from(fixture('decimal64_v2.orc'));
        const psLength = bytes[bytes.length - 1];
        // The byte after the footer's first chunk header: the deflate stream starts there.
        bytes.fill(0xff, bytes.length - 1 - psLength - 40, bytes.length - 1 - psLength - 20);
        return bytes;
      })(),
      /^Cannot read the ORC footer \(ZLIB\)/,
    ],
  ])('fails %s with a reason, and never throws', async (_what, bytes, reason) => {
    const sample = await readOrcSample(source(bytes));
    expect(sample.status).toBe('failed');
    expect(sample.reason).toMatch(reason);
  });
});
