import { Readable } from 'node:stream';
import { DEFAULT_SAMPLE_ROWS, delimitedFormatOf, readDelimitedSample } from './delimited.reader';

const from = (text: string | Buffer) => Readable.from([Buffer.isBuffer(text) ? text : Buffer.from(text)]);
const csv = (text: string | Buffer, options: Partial<Parameters<typeof readDelimitedSample>[1]> = {}) =>
  readDelimitedSample(from(text), { delimiter: ',', ...options });

/**
 * An endless source, one row per read() call, that fails if pulled more than `limit` times.
 * highWaterMark 1 keeps read-ahead to a single chunk, so the count reflects what the reader asked for.
 */
function endlessRows(limit: number) {
  let reads = 0;
  const stream = new Readable({
    highWaterMark: 1,
    read() {
      reads++;
      if (reads > limit) this.destroy(new Error(`read past the sample limit (read ${reads})`));
      else this.push(reads === 1 ? 'id,email\n' : `${reads},user${reads}@example.com\n`);
    },
  });
  return { stream, reads: () => reads };
}

describe('delimitedFormatOf', () => {
  it.each([
    ['data/a.csv', 'CSV', ','],
    ['A.TSV', 'TSV', '\t'],
    ['x/y.psv', 'PSV', '|'],
    ['z.Ssv', 'SSV', ';'],
  ])('%s is %s', (path, format, delimiter) => {
    expect(delimitedFormatOf(path)).toEqual({ format, delimiter });
  });

  it.each(['a.parquet', 'a.csv.gz', 'README', 'folder/'])('%s is not delimited', (path) => {
    expect(delimitedFormatOf(path)).toBeUndefined();
  });
});

describe('readDelimitedSample', () => {
  it('reads the header and rows, every value a string', async () => {
    const sample = await csv('id,name,amount\n1,Ann,10.5\n2,Bob,3\n');
    expect(sample).toMatchObject({ status: 'ok', columns: ['id', 'name', 'amount'], sampledRows: 2, errorRows: 0 });
    expect(sample.rows).toEqual([
      ['1', 'Ann', '10.5'],
      ['2', 'Bob', '3'],
    ]);
    expect(sample.stoppedBy).toBeUndefined();
  });

  it('handles quoted fields: delimiters, escaped quotes and line breaks inside quotes', async () => {
    const sample = await csv('a,b\n"x, y","say ""hi"""\n"multi\nline",2\n');
    expect(sample.rows).toEqual([
      ['x, y', 'say "hi"'],
      ['multi\nline', '2'],
    ]);
    expect(sample.errorRows).toBe(0);
  });

  it('handles CRLF line endings and a UTF-8 BOM', async () => {
    const sample = await csv(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('email,n\r\na@b.com,1\r\nc@d.com,2\r\n')]),
    );
    expect(sample.columns).toEqual(['email', 'n']); // no BOM glued to the first column name
    expect(sample.rows).toEqual([
      ['a@b.com', '1'],
      ['c@d.com', '2'],
    ]);
  });

  it('keeps the last row without a trailing newline, and skips blank lines', async () => {
    const sample = await csv('a,b\n1,2\n\n3,4');
    expect(sample.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it.each([
    ['TSV', '\t', 'a\tb\n1,5\t2\n'],
    ['PSV', '|', 'a|b\n1,5|2\n'],
    ['SSV', ';', 'a;b\n1,5;2\n'],
  ])('splits %s on its delimiter', async (_format, delimiter, text) => {
    const sample = await readDelimitedSample(from(text), { delimiter });
    expect(sample.columns).toEqual(['a', 'b']);
    expect(sample.rows).toEqual([['1,5', '2']]);
  });

  it('reports an empty file, or one with only a BOM or blank lines, as empty', async () => {
    for (const text of ['', '\ufeff', '\n\n']) {
      const sample = await csv(text);
      expect(sample).toMatchObject({ status: 'empty', columns: [], sampledRows: 0 });
    }
  });

  it('reads a header-only file as a schema without rows', async () => {
    expect(await csv('id,email\n')).toMatchObject({ status: 'ok', columns: ['id', 'email'], rows: [], sampledRows: 0 });
    expect(await csv('id,email')).toMatchObject({ status: 'ok', columns: ['id', 'email'] });
  });

  it('names blank header cells and makes duplicate names unique', async () => {
    expect((await csv(' id ,,id\n1,2,3\n')).columns).toEqual(['id', 'Column2', 'id_1']);
  });

  describe('sample limits', () => {
    it(`samples ${DEFAULT_SAMPLE_ROWS} data rows by default`, async () => {
      const body = 'n\n' + Array.from({ length: 500 }, (_, i) => `${i}\n`).join('');
      const sample = await csv(body);
      expect(sample.sampledRows).toBe(DEFAULT_SAMPLE_ROWS);
      expect(sample.stoppedBy).toBe('rows');
    });

    it('stops pulling from the source once sampleRows rows are read, and destroys it', async () => {
      // 1 header + 10 rows are needed; a couple of reads of slack for the parser's look-ahead and read-ahead.
      const source = endlessRows(14);
      const sample = await readDelimitedSample(source.stream, { delimiter: ',', sampleRows: 10 });
      expect(sample).toMatchObject({ status: 'ok', sampledRows: 10, errorRows: 0, stoppedBy: 'rows' });
      expect(sample.rows[9]).toEqual(['11', 'user11@example.com']);
      expect(source.reads()).toBeLessThanOrEqual(14);
      expect(source.stream.destroyed).toBe(true);
    });

    it('stops at sampleBytes even when fewer rows were read, dropping the row cut in half', async () => {
      // header 7 bytes, rows 11 bytes: 7 + 5 * 11 + 5 = 67 bytes holds 5 whole rows and part of the 6th.
      const body = 'id,val\n' + Array.from({ length: 50 }, (_, i) => `r${String(i).padStart(4, '0')},aaaa\n`).join('');
      const sample = await csv(body, { sampleBytes: 67 });
      expect(sample).toMatchObject({ status: 'ok', sampledRows: 5, errorRows: 0, bytesRead: 67, stoppedBy: 'bytes' });
      expect(sample.rows.at(-1)).toEqual(['r0004', 'aaaa']);
    });

    it('keeps the last row when the byte limit falls right after its line feed', async () => {
      const body = 'id,val\n' + Array.from({ length: 50 }, (_, i) => `r${String(i).padStart(4, '0')},aaaa\n`).join('');
      const sample = await csv(body, { sampleBytes: 7 + 5 * 11 });
      expect(sample).toMatchObject({ sampledRows: 5, errorRows: 0, stoppedBy: 'bytes' });
    });

    it('does not count a quoted field cut by the byte limit as an error row', async () => {
      const sample = await csv('a,b\n1,2\n3,"long\nquoted value"\n', { sampleBytes: 16 });
      expect(sample).toMatchObject({ status: 'ok', sampledRows: 1, errorRows: 0, stoppedBy: 'bytes' });
    });

    it('reads a file of exactly sampleBytes completely when its size is known', async () => {
      const text = 'a,b\n1,2\n3,4';
      const sample = await csv(text, { sampleBytes: text.length, totalBytes: text.length });
      expect(sample.rows).toHaveLength(2);
      expect(sample.stoppedBy).toBeUndefined();
    });

    it('never pulls a byte range past sampleBytes from a source that fails beyond it', async () => {
      // A 9-byte header then 20-byte rows: 100 bytes need 6 reads (one of read-ahead slack allowed).
      const source = endlessRows(7);
      const sample = await readDelimitedSample(source.stream, { delimiter: ',', sampleBytes: 100 });
      expect(sample.status).toBe('ok');
      expect(sample.bytesRead).toBe(100);
      expect(source.stream.destroyed).toBe(true);
    });

    it('fails when no whole header row fits in sampleBytes', async () => {
      const sample = await csv('a'.repeat(100) + ',b\n1,2\n', { sampleBytes: 50 });
      expect(sample).toMatchObject({ status: 'failed', columns: [] });
      expect(sample.reason).toMatch(/header/);
    });
  });

  describe('error rows', () => {
    const rows = (good: number, bad: number) =>
      'a,b\n' +
      Array.from({ length: good }, (_, i) => `${i},x\n`).join('') +
      Array.from({ length: bad }, () => `1,2,3\n`).join('');

    it('trusts the schema below a 0.1 error-row ratio (1 of 11)', async () => {
      const sample = await csv(rows(10, 1));
      expect(sample).toMatchObject({ status: 'ok', sampledRows: 11, errorRows: 1 });
      expect(sample.rows).toHaveLength(10); // error rows are not sampled for classification
    });

    it('fails the file at a 0.1 ratio (1 of 10), with a reason, without throwing', async () => {
      const sample = await csv(rows(9, 1));
      expect(sample).toMatchObject({ status: 'failed', sampledRows: 10, errorRows: 1, columns: ['a', 'b'] });
      expect(sample.reason).toMatch(/1 of 10 sampled rows/);
    });

    it('counts short rows and an unclosed quote as error rows', async () => {
      const sample = await csv('a,b\n1\n2,3\n"open,4\n5,6\n');
      expect(sample.errorRows).toBe(2);
      expect(sample.status).toBe('failed');
    });

    it('only counts error rows within the sample', async () => {
      const sample = await csv(rows(10, 5), { sampleRows: 10 });
      expect(sample).toMatchObject({ status: 'ok', errorRows: 0 });
    });
  });

  it('rejects with the abort reason when aborted while waiting for bytes, and destroys the source', async () => {
    const stalled = new Readable({ read() {} });
    stalled.push('a,b\n');
    const controller = new AbortController();
    const reading = readDelimitedSample(stalled, { delimiter: ',', signal: controller.signal });
    setImmediate(() => controller.abort(new Error('stop now')));
    await expect(reading).rejects.toThrow('stop now');
    expect(stalled.destroyed).toBe(true);
  });

  it('propagates a read error from the source', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(readDelimitedSample(broken, { delimiter: ',' })).rejects.toThrow('connection reset');
  });
});
