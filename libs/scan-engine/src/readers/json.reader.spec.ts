import { Readable } from 'node:stream';
import { readJsonSample } from './json.reader';

const docs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: i,
    email: `user${i}@contoso.com`,
    address: { city: `City ${i}`, geo: { lat: i + 0.5 } },
    tags: ['a', String(i)],
    vip: i % 2 === 0,
    note: i % 3 ? null : 'x',
  }));
const read = (text: string | Buffer, options: Parameters<typeof readJsonSample>[1] = {}) => {
  const bytes = Buffer.from(text);
  // 16 KiB chunks, like a network stream.
  const chunks = Array.from({ length: Math.ceil(bytes.length / 16384) }, (_, i) =>
    bytes.subarray(i * 16384, (i + 1) * 16384),
  );
  return readJsonSample(Readable.from(chunks), { totalBytes: bytes.length, ...options });
};

describe('readJsonSample', () => {
  const expectedColumns = [
    { name: 'id', type: 'integer' },
    { name: 'email', type: 'string' },
    { name: 'address.city', type: 'string' },
    { name: 'address.geo.lat', type: 'number' },
    { name: 'tags', type: 'array' },
    { name: 'vip', type: 'boolean' },
    { name: 'note', type: 'string' },
  ];

  it('reads an array of documents, flattening nested objects', async () => {
    const sample = await read(JSON.stringify(docs(200), null, 2));
    expect(sample).toMatchObject({ status: 'ok', sampledRows: 128, stoppedBy: 'rows', errorRows: 0 });
    expect(sample.columns).toEqual(expectedColumns);
    expect(sample.rows[3]).toEqual(['3', 'user3@contoso.com', 'City 3', '3.5', '["a","3"]', 'false', 'x']);
  });

  it('reads JSON lines, and a single document as one row', async () => {
    const lines = await read(
      `${docs(10)
        .map((d) => JSON.stringify(d))
        .join('\n')}\n`,
    );
    expect(lines).toMatchObject({ status: 'ok', sampledRows: 10, columns: expectedColumns });
    expect(lines.stoppedBy).toBeUndefined();
    const single = await read('\ufeff{"customer": {"name": "Ann", "email": "ann@contoso.com"}, "orders": [1, 2]}');
    expect(single).toMatchObject({ status: 'ok', sampledRows: 1, rows: [['Ann', 'ann@contoso.com', '[1,2]']] });
    expect(single.columns.map((c) => c.name)).toEqual(['customer.name', 'customer.email', 'orders']);
  });

  it('merges types over the sample: nulls take the other type, int + float make number, other mixes are string', async () => {
    const sample = await read('[{"a": 1, "b": 1, "c": null}, {"a": 2.5, "b": "x", "c": true}, {"d": {}}]');
    expect(sample.columns).toEqual([
      { name: 'a', type: 'number' },
      { name: 'b', type: 'string' },
      { name: 'c', type: 'boolean' },
      { name: 'd', type: 'string' },
    ]);
    expect(sample.rows[2]).toEqual(['', '', '', '']);
  });

  it('stops at the byte sample of a large file and drops only the document cut through', async () => {
    const text = JSON.stringify(docs(50_000));
    const sample = await read(text, { sampleRows: 1_000_000, sampleBytes: 64 * 1024 });
    expect(sample).toMatchObject({ status: 'ok', stoppedBy: 'bytes', bytesRead: 64 * 1024, errorRows: 0 });
    const complete =
      Buffer.from(text)
        .subarray(0, 64 * 1024)
        .toString()
        .split('},{"id"').length - 1;
    expect(sample.sampledRows).toBe(complete);
    expect(sample.rows.at(-1)![0]).toBe(String(complete - 1));
  });

  it('keeps at most 800 columns and says how many were dropped', async () => {
    const wide = Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`c${i}`, i]));
    const sample = await read(JSON.stringify([wide]));
    expect(sample.columns).toHaveLength(800);
    expect(sample.columnsTruncated).toBe(100);
    expect(sample.rows[0]).toHaveLength(800);
  });

  it('fails invalid or truncated JSON with a reason, and reports an empty file as empty', async () => {
    expect(await read('id,email\n1,a@b.c')).toMatchObject({
      status: 'failed',
      reason: 'Not JSON: the content starts with "i", not an object or an array',
    });
    expect(await read('[{"a": 1}, {"a": }]')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Invalid JSON: /),
    });
    expect(await read('[{"a": 1}, {"a": 2')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Invalid JSON: .*ended/),
    });
    expect(await read('{"a": 1}\n{"a": 2}\n{"a"')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Invalid JSON/),
    });
    expect(await read(`{"big": "${'x'.repeat(5000)}"}`, { sampleBytes: 1000 })).toMatchObject({
      status: 'failed',
      reason: 'No complete JSON document within the first 1000 bytes',
    });
    expect(await read('  \n')).toMatchObject({ status: 'empty' });
    expect(await read('[]')).toMatchObject({ status: 'empty' });
    expect(await read('[1, 2, {"a": "x"}]')).toMatchObject({
      status: 'ok',
      errorRows: 2,
      sampledRows: 3,
      columns: [{ name: 'a', type: 'string' }],
    });
  });
});
