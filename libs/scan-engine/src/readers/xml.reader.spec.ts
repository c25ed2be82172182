import { Readable } from 'node:stream';
import { readXmlSample } from './xml.reader';

const customers = (n: number) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<customers>\n${Array.from(
    { length: n },
    (_, i) =>
      `  <customer id="${i}"><email>user${i}@contoso.com</email><address><city>City ${i}</city></address><phone type="mobile">+31 6 ${1000 + i}</phone></customer>`,
  ).join('\n')}\n</customers>\n`;
const read = (text: string, options: Parameters<typeof readXmlSample>[1] = {}) => {
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / 16384) }, (_, i) =>
    bytes.subarray(i * 16384, (i + 1) * 16384),
  );
  return readXmlSample(Readable.from(chunks), { totalBytes: bytes.length, ...options });
};

describe('readXmlSample', () => {
  it('turns repeated elements into rows: children as dotted columns, attributes as @name, all string', async () => {
    const sample = await read(customers(200));
    expect(sample).toMatchObject({ status: 'ok', sampledRows: 128, stoppedBy: 'rows' });
    expect(sample.columns).toEqual(
      ['email', 'address.city', 'phone', 'phone.@type', '@id'].map((name) => ({ name, type: 'string' })),
    );
    expect(sample.rows[7]).toEqual(['user7@contoso.com', 'City 7', '+31 6 1007', 'mobile', '7']);
  });

  it('descends through single wrappers, and reads a root without repeats as one row', async () => {
    const wrapped = await read(
      '<catalog><books><book><title>A</title></book><book><title>B</title></book></books></catalog>',
    );
    expect(wrapped).toMatchObject({
      status: 'ok',
      sampledRows: 2,
      rows: [['A'], ['B']],
      columns: [{ name: 'title', type: 'string' }],
    });
    const single = await read('<config><name>x</name><owner>ann@contoso.com</owner></config>');
    expect(single).toMatchObject({ status: 'ok', sampledRows: 1, rows: [['x', 'ann@contoso.com']] });
  });

  it('stops at the byte sample of a large file and drops the element cut through', async () => {
    const text = customers(20_000);
    const sample = await read(text, { sampleRows: 1_000_000, sampleBytes: 64 * 1024 });
    expect(sample).toMatchObject({ status: 'ok', stoppedBy: 'bytes', bytesRead: 64 * 1024 });
    const complete =
      Buffer.from(text)
        .subarray(0, 64 * 1024)
        .toString()
        .split('</customer>').length - 1;
    expect(sample.sampledRows).toBe(complete);
    expect(sample.rows.at(-1)![4]).toBe(String(complete - 1));
  });

  it('fails malformed or truncated XML with a reason, and reports an empty file as empty', async () => {
    expect(await read('<customers><customer><email>a</customer></customers>')).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Invalid XML: .*\(line 1, column \d+\)$/),
    });
    const whole = customers(5);
    expect(await read(whole.slice(0, whole.length - 30))).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^Invalid XML/),
    });
    expect(await read('{"a": 1}')).toMatchObject({
      status: 'failed',
      reason: 'Not XML: the content does not start with a tag',
    });
    expect(await read(`<r><big>${'x'.repeat(5000)}</big></r>`, { sampleBytes: 1000 })).toMatchObject({
      status: 'failed',
      reason: 'No complete <big> element within the first 1000 bytes',
    });
    expect(await read(' \n')).toMatchObject({ status: 'empty' });
  });
});
