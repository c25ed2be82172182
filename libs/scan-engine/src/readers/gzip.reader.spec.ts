import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { fileFormatOf } from './formats';
import { readGzipDelimitedSample } from './gzip.reader';

const csv = (rows: number) =>
  ['id,email,city']
    .concat(Array.from({ length: rows }, (_, i) => `${i},user${i}@contoso.com,City ${i % 7}`))
    .join('\n');
/** A source that counts what was pulled from it, in 16 KiB chunks like a network stream. */
function source(bytes: Buffer) {
  const state = { pulled: 0 };
  const stream = Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += 16384) {
        state.pulled += Math.min(16384, bytes.length - i);
        yield bytes.subarray(i, i + 16384);
      }
    })(),
  );
  return { stream, state };
}

describe('readGzipDelimitedSample', () => {
  it('reads the delimited file inside, all columns string', async () => {
    const gz = zlib.gzipSync(csv(300));
    const sample = await readGzipDelimitedSample(source(gz).stream, { delimiter: ',' });
    expect(sample).toMatchObject({ status: 'ok', sampledRows: 128, stoppedBy: 'rows', bytesRead: gz.length });
    expect(sample.columns).toEqual(['id', 'email', 'city'].map((name) => ({ name, type: 'string' })));
    expect(sample.rows[9]).toEqual(['9', 'user9@contoso.com', 'City 2']);
  });

  it('pulls a bounded amount of a large (or bomb-like) file: decompressed bytes stop at the sample', async () => {
    // 200 MB of repeated rows compress to a few hundred KB; only the first MB of text is decompressed. The rows are
    // filled natively (a 200 MB string built in JavaScript took seconds on a busy machine).
    const text = Buffer.alloc(200 * 1024 * 1024, 'a,b,c\n');
    text.write('x,y,z\n', 0);
    const big = zlib.gzipSync(text, { level: 9 });
    const { stream, state } = source(big);
    const sample = await readGzipDelimitedSample(stream, { delimiter: ',', sampleRows: 1_000_000 });
    expect(sample).toMatchObject({ status: 'ok', stoppedBy: 'bytes' });
    expect(sample.sampledRows).toBeGreaterThan(100_000);
    expect(state.pulled).toBeLessThan(big.length / 4);
    expect(sample.bytesRead).toBeLessThanOrEqual(state.pulled);
  }, 30_000);

  it('fails a corrupt or truncated GZIP with a reason, without throwing', async () => {
    expect(
      await readGzipDelimitedSample(source(Buffer.from('id,email\n1,a')).stream, { delimiter: ',' }),
    ).toMatchObject({ status: 'failed', reason: 'Cannot decompress GZIP: incorrect header check' });
    const gz = zlib.gzipSync(csv(50));
    expect(
      await readGzipDelimitedSample(source(gz.subarray(0, gz.length - 20)).stream, { delimiter: ',' }),
    ).toMatchObject({ status: 'failed', reason: 'Cannot decompress GZIP: unexpected end of file' });
  });

  it('rethrows a failure of the store itself (not a bad file)', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(readGzipDelimitedSample(broken, { delimiter: ',' })).rejects.toThrow('connection reset');
  });
});

describe('fileFormatOf', () => {
  it('tells formats by extension, case-insensitive, and GZIP by what it wraps', () => {
    expect(fileFormatOf('a/b.CSV')).toEqual({ format: 'CSV', delimiter: ',' });
    expect(fileFormatOf('x.snappy.parquet')).toEqual({ format: 'PARQUET' });
    expect(fileFormatOf('x.Avro')).toEqual({ format: 'AVRO' });
    expect(fileFormatOf('x.json')).toEqual({ format: 'JSON' });
    expect(fileFormatOf('x.xml')).toEqual({ format: 'XML' });
    expect(fileFormatOf('x.txt')).toEqual({ format: 'TXT' });
    expect(fileFormatOf('x.orc')).toEqual({ format: 'ORC' });
    expect(fileFormatOf('logs/2024.tsv.gz')).toEqual({ format: 'GZIP', delimiter: '\t', inner: 'TSV' });
    expect(fileFormatOf('dump.json.gz')).toEqual({ format: 'GZIP' });
    expect(fileFormatOf('report.pdf')).toBeUndefined();
    expect(fileFormatOf('noextension')).toBeUndefined();
  });
});
