import * as zlib from 'node:zlib';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { blobByteSource, MemoryConnector } from '../connectors';
import { CountingConnector } from '../testing/counting.connector';
import { parquetTypeName, readParquetSample } from './parquet.reader';

const emails = Array.from({ length: 300 }, (_, i) => `user${i}@contoso.com`);

function customersParquet(
  options: { codec?: 'SNAPPY' | 'GZIP' | 'BROTLI' | 'UNCOMPRESSED'; rowGroupSize?: number } = {},
): Buffer {
  const compressors = {
    GZIP: (b: Uint8Array) => zlib.gzipSync(b),
    BROTLI: (b: Uint8Array) => zlib.brotliCompressSync(b),
  };
  const buffer = parquetWriteBuffer({
    codec: options.codec ?? 'SNAPPY',
    compressors,
    rowGroupSize: options.rowGroupSize,
    columnData: [
      { name: 'id', data: BigInt64Array.from(emails, (_, i) => BigInt(i)), type: 'INT64' },
      { name: 'email', data: emails, type: 'STRING' },
      { name: 'score', data: Float64Array.from(emails, (_, i) => i / 4), type: 'DOUBLE' },
      { name: 'active', data: emails.map((_, i) => i % 2 === 0), type: 'BOOLEAN' },
      { name: 'joined', data: emails.map((_, i) => new Date(Date.UTC(2024, 0, 1 + i))), type: 'TIMESTAMP' },
      { name: 'note', data: emails.map((_, i) => (i % 3 ? null : `n${i}`)), type: 'STRING', nullable: true },
    ],
  });
  return Buffer.from(buffer);
}

function source(content: Buffer, name = 'f.parquet') {
  const counting = new CountingConnector(new MemoryConnector({ c: { [name]: content } }));
  return { counting, file: blobByteSource(counting, 'c', name, content.length) };
}

describe('readParquetSample', () => {
  it.each(['SNAPPY', 'GZIP', 'BROTLI', 'UNCOMPRESSED'] as const)(
    'reads the schema with Parquet types and samples the first 128 rows (%s)',
    async (codec) => {
      const { file } = source(customersParquet({ codec }));
      const sample = await readParquetSample(file);
      expect(sample.status).toBe('ok');
      expect(sample.columns).toEqual([
        { name: 'id', type: 'INT64' },
        { name: 'email', type: 'UTF8' },
        { name: 'score', type: 'DOUBLE' },
        { name: 'active', type: 'BOOLEAN' },
        { name: 'joined', type: 'TIMESTAMP_MILLIS' },
        { name: 'note', type: 'UTF8' },
      ]);
      expect(sample.sampledRows).toBe(128);
      expect(sample.stoppedBy).toBe('rows');
      expect(sample.rows[5]).toEqual(['5', 'user5@contoso.com', '1.25', 'false', '2024-01-06T00:00:00.000Z', '']);
      expect(sample.rows[6][5]).toBe('n6');
      expect(sample.bytesRead).toBe(file.bytesRead);
    },
  );

  it('reads only the footer and the first row group of a large file made of many row groups', async () => {
    // ~60 MB, uncompressed, unique values (no dictionary): 60 row groups of ~1 MB each.
    const rows = 600_000;
    const pad = 'x'.repeat(90);
    const content = Buffer.from(
      parquetWriteBuffer({
        codec: 'UNCOMPRESSED',
        rowGroupSize: 10_000,
        statistics: false,
        columnData: [
          { name: 'id', data: Int32Array.from({ length: rows }, (_, i) => i), type: 'INT32' },
          { name: 'payload', data: Array.from({ length: rows }, (_, i) => `${i}${pad}`), type: 'STRING' },
        ],
      }),
    );
    expect(content.length).toBeGreaterThan(50 * 1024 * 1024);
    const { counting, file } = source(content, 'big.parquet');
    const sample = await readParquetSample(file);
    expect(sample.status).toBe('ok');
    expect(sample.sampledRows).toBe(128);
    expect(sample.rows[127]).toEqual(['127', `127${pad}`]);

    // Every read is in the footer (the tail) or inside row group 0; nothing else was fetched.
    const { parquetMetadata } = await import('hyparquet');
    const metadata = parquetMetadata(content.buffer.slice(content.byteOffset, content.byteOffset + content.length));
    const group0End = Math.max(
      ...metadata.row_groups[0].columns.map(
        (c) => Number(c.meta_data!.data_page_offset) + Number(c.meta_data!.total_compressed_size),
      ),
    );
    const footerLength = content.readUInt32LE(content.length - 8) + 8;
    for (const read of counting.reads) {
      const inGroup0 = read.offset + read.count <= group0End;
      const inTail = read.offset >= content.length - Math.max(footerLength, 64 * 1024);
      expect({ read, ok: inGroup0 || inTail }).toEqual({ read, ok: true });
    }
    expect(counting.bytesRead).toBeLessThan(group0End + Math.max(footerLength, 64 * 1024) + 1);
    expect(counting.bytesRead).toBeLessThan(3 * 1024 * 1024);
  });

  it('returns the schema alone when the sampled row group is over the byte limit', async () => {
    const { counting, file } = source(customersParquet({ codec: 'UNCOMPRESSED' }));
    const sample = await readParquetSample(file, { maxRowGroupBytes: 100 });
    expect(sample).toMatchObject({
      status: 'ok',
      sampledRows: 0,
      stoppedBy: 'bytes',
      reason: expect.stringMatching(/^Schema only/),
    });
    expect(sample.columns).toHaveLength(6);
    expect(counting.reads).toHaveLength(1); // the footer only
  });

  it('gives no schema for a file with complex columns, and says which', async () => {
    const utf8 = { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' } as const;
    const schema = [
      { name: 'root', num_children: 3 },
      { name: 'id', type: 'INT32', repetition_type: 'REQUIRED' },
      { name: 'tags', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', ...utf8 },
      { name: 'address', repetition_type: 'OPTIONAL', num_children: 1 },
      { name: 'city', ...utf8 },
    ] as const;
    const content = Buffer.from(
      parquetWriteBuffer({
        schema: schema.map((e) => ({ ...e })),
        columnData: [
          { name: 'id', data: Int32Array.from([1, 2]) },
          { name: 'tags', data: [['a', 'b'], ['c']] },
          { name: 'address', data: [{ city: 'x' }, { city: 'y' }] },
        ],
      }),
    );
    const { file } = source(content);
    const sample = await readParquetSample(file);
    expect(sample.status).toBe('noSchema');
    expect(sample.reason).toBe(
      'Complex types are not supported for schema extraction (as in Purview): tags (LIST), address (STRUCT)',
    );
    expect(sample.columns).toEqual([]);
  });

  it('fails a corrupt or truncated file with a reason, without throwing', async () => {
    const good = customersParquet();
    const notParquet = await readParquetSample(source(Buffer.from('id,email\n1,a@b.c\n')).file);
    expect(notParquet).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Cannot read the Parquet footer: .*PAR1|Not a Parquet file/),
    });
    const truncated = await readParquetSample(source(good.subarray(0, good.length - 100)).file);
    expect(truncated).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Cannot read the Parquet footer/),
    });
    const tiny = await readParquetSample(source(Buffer.from('PAR1')).file);
    expect(tiny).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^Not a Parquet file/) });
    // Footer intact, data pages overwritten: the schema is read, the rows are not.
    const damaged = Buffer.from(good);
    damaged.fill(0xff, 4, 400);
    const rows = await readParquetSample(source(damaged).file);
    expect(rows).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^Cannot read Parquet rows/) });
    expect(rows.columns).toHaveLength(6);
  });

  it('names types as Purview shows them: converted type, else logical, else physical', () => {
    expect(parquetTypeName({ name: 'a', type: 'BYTE_ARRAY', converted_type: 'UTF8' })).toBe('UTF8');
    expect(parquetTypeName({ name: 'a', type: 'BYTE_ARRAY', logical_type: { type: 'STRING' } })).toBe('UTF8');
    expect(
      parquetTypeName({
        name: 'a',
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', unit: 'NANOS', isAdjustedToUTC: true },
      }),
    ).toBe('TIMESTAMP_NANOS');
    expect(parquetTypeName({ name: 'a', type: 'FIXED_LEN_BYTE_ARRAY', logical_type: { type: 'UUID' } })).toBe('UUID');
    expect(
      parquetTypeName({ name: 'a', type: 'INT32', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: false } }),
    ).toBe('UINT_16');
    expect(parquetTypeName({ name: 'a', type: 'FLOAT' })).toBe('FLOAT');
  });
});
