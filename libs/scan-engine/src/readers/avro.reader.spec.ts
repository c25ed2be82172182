import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import * as avro from 'avsc';
import { avroTypeName, readAvroSample } from './avro.reader';

const schema = {
  type: 'record',
  name: 'Customer',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'email', type: 'string' },
    { name: 'score', type: ['null', 'double'], default: null },
    { name: 'joined', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tier', type: { type: 'enum', name: 'Tier', symbols: ['GOLD', 'SILVER'] } },
  ],
};
const records = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: i,
    email: `user${i}@contoso.com`,
    score: i % 2 ? i / 2 : null,
    joined: 1704067200000 + i,
    tier: i % 2 ? 'GOLD' : 'SILVER',
  }));

// hyparquet-writer's snappy compressor (its types resolve only under node16 module resolution).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { snappyCompress } = require('hyparquet-writer/src/snappy.js') as {
  snappyCompress: (input: Uint8Array) => Uint8Array;
};
const snappyCodec = (data: Buffer, cb: (e: Error | null, out?: Buffer) => void) => {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(data));
  cb(null, Buffer.concat([Buffer.from(snappyCompress(data)), crc]));
};

/** An Avro container file written by avsc's own encoder. */
async function avroFile(
  rows: object[],
  options: { codec?: string; blockSize?: number; writerSchema?: object } = {},
): Promise<Buffer> {
  const encoder = new avro.streams.BlockEncoder((options.writerSchema ?? schema) as avro.Schema, {
    codec: options.codec ?? 'null',
    blockSize: options.blockSize,
    codecs: { ...avro.streams.BlockEncoder.defaultCodecs(), snappy: snappyCodec },
  });
  const chunks: Buffer[] = [];
  encoder.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((r) => encoder.on('end', r));
  for (const row of rows) encoder.write(row);
  encoder.end();
  await ended;
  return Buffer.concat(chunks);
}

const read = (bytes: Buffer, options: Parameters<typeof readAvroSample>[1] = {}) =>
  readAvroSample(Readable.from([bytes]), { totalBytes: bytes.length, ...options });

describe('readAvroSample', () => {
  it.each(['null', 'deflate', 'snappy'])(
    'reads the schema from the header and samples records (codec %s)',
    async (codec) => {
      const sample = await read(await avroFile(records(300), { codec }));
      expect(sample.status).toBe('ok');
      expect(sample.columns).toEqual([
        { name: 'id', type: 'long' },
        { name: 'email', type: 'string' },
        { name: 'score', type: 'double' },
        { name: 'joined', type: 'timestamp-millis' },
        { name: 'tier', type: 'enum' },
      ]);
      expect(sample.sampledRows).toBe(128);
      expect(sample.stoppedBy).toBe('rows');
      expect(sample.rows[3]).toEqual(['3', 'user3@contoso.com', '1.5', '1704067200003', 'GOLD']);
      expect(sample.rows[2][2]).toBe('');
    },
  );

  it('reads no more than the byte sample of a large file', async () => {
    const bytes = await avroFile(records(100_000), { blockSize: 16 * 1024 });
    expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    const sample = await read(bytes, { sampleRows: 1_000_000, sampleBytes: 256 * 1024 });
    expect(sample).toMatchObject({ status: 'ok', stoppedBy: 'bytes', bytesRead: 256 * 1024 });
    expect(sample.sampledRows).toBeGreaterThan(1000);
  });

  it('gives no schema for records with complex fields, and says which', async () => {
    const nested = {
      type: 'record',
      name: 'Order',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'lines', type: { type: 'array', items: 'string' } },
        {
          name: 'address',
          type: ['null', { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] }],
        },
        { name: 'attrs', type: { type: 'map', values: 'string' } },
      ],
    };
    const sample = await read(
      await avroFile([{ id: 1, lines: ['a'], address: { city: 'x' }, attrs: {} }], { writerSchema: nested }),
    );
    expect(sample).toMatchObject({ status: 'noSchema', columns: [] });
    expect(sample.reason).toBe(
      'Complex types are not supported for schema extraction (as in Purview): lines (array), address (record), attrs (map)',
    );
  });

  it('fails a corrupt or truncated file with a reason, without throwing', async () => {
    expect(await read(Buffer.from('id,email\n1,a@b.c\n'))).toMatchObject({
      status: 'failed',
      reason: 'Not a readable Avro file: invalid magic bytes',
    });
    const good = await avroFile(records(50));
    expect(await read(good.subarray(0, 20))).toMatchObject({
      status: 'failed',
      reason: 'Not a readable Avro file: the header is truncated',
    });
    expect(await read(good.subarray(0, good.length - 10))).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Truncated Avro file/),
    });
    const corrupt = Buffer.from(await avroFile(records(50), { codec: 'deflate' }));
    corrupt.fill(0x41, corrupt.length - 200, corrupt.length - 40);
    expect(await read(corrupt)).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Cannot read Avro records/),
    });
    expect(await read(Buffer.alloc(0))).toMatchObject({ status: 'empty' });
  });

  it('maps Avro types: nullable unions take their branch, named types resolve', () => {
    expect(avroTypeName(['null', 'string'])).toBe('string');
    expect(avroTypeName(['string', 'int'])).toBe('complex:union');
    expect(avroTypeName({ type: 'bytes', logicalType: 'decimal' })).toBe('decimal');
    expect(avroTypeName('Tier', new Map([['Tier', { type: 'enum', name: 'Tier' }]]))).toBe('enum');
  });
});
