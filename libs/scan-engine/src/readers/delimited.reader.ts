import type { Readable } from 'node:stream';
import { type Options as CsvOptions, Parser } from 'csv-parse';
import { DEFAULT_SAMPLE_BYTES, DEFAULT_SAMPLE_ROWS, uniqueColumnNames } from './sample';

export { DEFAULT_SAMPLE_BYTES, DEFAULT_SAMPLE_ROWS } from './sample';
/** The schema is not trusted when error rows / sampled rows reach this ratio (Purview: "must be less than 0.1"). */
export const MAX_ERROR_ROW_RATIO = 0.1;

export type DelimitedFormat = 'CSV' | 'TSV' | 'PSV' | 'SSV';

const FORMATS: Record<string, { format: DelimitedFormat; delimiter: string }> = {
  csv: { format: 'CSV', delimiter: ',' },
  tsv: { format: 'TSV', delimiter: '\t' },
  psv: { format: 'PSV', delimiter: '|' },
  ssv: { format: 'SSV', delimiter: ';' },
};

/** The delimited format of a file, by extension (case-insensitive), or undefined when it is not one. */
export function delimitedFormatOf(path: string): { format: DelimitedFormat; delimiter: string } | undefined {
  const match = /\.([A-Za-z]+)$/.exec(path);
  return match ? FORMATS[match[1].toLowerCase()] : undefined;
}

export interface DelimitedReadOptions {
  delimiter: string;
  /** Data rows to sample (the header excluded). */
  sampleRows?: number;
  /** Bytes of input to read at most. */
  sampleBytes?: number;
  /** Size of the whole input when known: lets a file of exactly `sampleBytes` count as complete. */
  totalBytes?: number;
  signal?: AbortSignal;
}

export interface DelimitedSample {
  /** `empty`: no header row at all; `failed`: the schema is not trusted (see `reason`). */
  status: 'ok' | 'empty' | 'failed';
  reason?: string;
  /** Column names from the header row (trimmed; blanks named `Column{n}`, duplicates suffixed). */
  columns: string[];
  /** Sampled data rows whose column count equals the header's. */
  rows: string[][];
  /** Data rows sampled, error rows included. */
  sampledRows: number;
  /** Rows whose column count differs from the header's, or that could not be parsed. */
  errorRows: number;
  /** Bytes taken from the input. */
  bytesRead: number;
  /** Why reading stopped before the end of the input, if it did. */
  stoppedBy?: 'rows' | 'bytes';
}

/**
 * Reads the sample of a delimited file: the header, then at most `sampleRows` data rows or `sampleBytes` bytes,
 * whichever comes first. It stops pulling from the input (and destroys it) as soon as a limit is reached.
 * Never throws for bad content: an unreadable schema comes back as `status: 'failed'` with a reason.
 */
export async function readDelimitedSample(
  input: Readable | AsyncIterable<Buffer | string>,
  options: DelimitedReadOptions,
): Promise<DelimitedSample> {
  const sampleRows = Math.max(0, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const sampleBytes = Math.max(1, options.sampleBytes ?? DEFAULT_SAMPLE_BYTES);
  const { signal } = options;
  signal?.throwIfAborted();

  let header: string[] | undefined;
  let headerUnreadable = false;
  const rows: string[][] = [];
  let sampledRows = 0;
  let errorRows = 0;
  let full = false;
  // After a byte cut, the rows the parser still holds are flushed into `held`: the last one may be cut short.
  let cut = false;
  let cutRowSkipped = false;
  const held: string[][] = [];

  const countRow = (ok: boolean, record?: string[]) => {
    sampledRows++;
    if (ok && record) rows.push(record);
    else errorRows++;
    if (sampledRows >= sampleRows) full = true;
  };
  const take = (record: string[]) => {
    if (full) return;
    if (!header) {
      header = record;
      if (sampleRows === 0) full = true;
    } else countRow(record.length === header.length, record);
  };
  const csvOptions: CsvOptions & { on_skip: (error: Error) => void } = {
    delimiter: options.delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: () => {
      if (cut)
        cutRowSkipped = true; // a quoted field cut by the byte limit: no error row
      else if (full) return;
      else if (!header) headerUnreadable = true;
      else countRow(false);
    },
  };
  const parser = parserOf(csvOptions);
  let parserError: Error | undefined;
  const onRecord = (record: string[]) => {
    if (cut) held.push(record);
    else take(record);
  };
  /** Feeds the parser (or ends it, with no chunk); false once it has failed. */
  const feed = (chunk?: Buffer): boolean => {
    if (parserError) return false;
    parserError = parser.parse(chunk, chunk === undefined, onRecord, noop);
    return !parserError;
  };

  const readable = isReadable(input) ? input : undefined;
  const onAbort = () => readable?.destroy(signal?.reason as Error);
  signal?.addEventListener('abort', onAbort, { once: true });
  const iterator = input[Symbol.asyncIterator]();
  let bytesRead = 0;
  let ended = false;
  let lastByte = -1;
  let stoppedBy: DelimitedSample['stoppedBy'];
  try {
    while (!full && !headerUnreadable) {
      const next = await iterator.next();
      signal?.throwIfAborted();
      if (next.done) {
        ended = true;
        break;
      }
      let chunk = typeof next.value === 'string' ? Buffer.from(next.value) : (next.value as Buffer);
      if (chunk.length > sampleBytes - bytesRead) chunk = chunk.subarray(0, sampleBytes - bytesRead);
      bytesRead += chunk.length;
      if (chunk.length) lastByte = chunk[chunk.length - 1];
      if (!feed(chunk)) break;
      if (bytesRead >= sampleBytes) {
        stoppedBy = 'bytes';
        break;
      }
    }
    if (full) stoppedBy = 'rows';
    const complete =
      ended || (stoppedBy === 'bytes' && options.totalBytes !== undefined && bytesRead >= options.totalBytes);
    if (!full && !headerUnreadable && !parserError) {
      if (complete) {
        // Flush the last, unterminated row.
        stoppedBy = undefined;
        feed();
      } else if (stoppedBy === 'bytes') {
        cut = true;
        feed();
        // The parser holds rows back for look-ahead; only the very last one can be cut short.
        if (!cutRowSkipped && lastByte !== 0x0a) held.pop();
        held.forEach(take);
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stop the source: no more bytes are pulled than the sample needs.
    if (readable) readable.destroy();
    else void iterator.return?.();
  }

  const base = { rows, sampledRows, errorRows, bytesRead, ...(stoppedBy ? { stoppedBy } : {}) };
  if (parserError)
    return {
      ...base,
      status: 'failed',
      reason: `Cannot parse: ${parserError.message}`,
      columns: header ? normalizeColumns(header) : [],
    };
  if (headerUnreadable) return { ...base, status: 'failed', reason: 'The header row cannot be parsed', columns: [] };
  if (!header) {
    return stoppedBy === 'bytes'
      ? {
          ...base,
          status: 'failed',
          reason: `No complete header row within the first ${sampleBytes} bytes`,
          columns: [],
        }
      : { ...base, status: 'empty', reason: 'The file has no header row', columns: [] };
  }
  const columns = normalizeColumns(header);
  if (sampledRows > 0 && errorRows / sampledRows >= MAX_ERROR_ROW_RATIO) {
    return {
      ...base,
      status: 'failed',
      reason: `${errorRows} of ${sampledRows} sampled rows have a different number of columns than the header (${columns.length}); the error-row ratio must be below ${MAX_ERROR_ROW_RATIO}`,
      columns,
    };
  }
  return { ...base, status: 'ok', columns };
}

/** Column names must be unique within a schema (they are part of the column qualifiedName). */
const normalizeColumns = uniqueColumnNames;

function isReadable(input: unknown): input is Readable {
  return typeof (input as Readable).destroy === 'function' && typeof (input as Readable).pipe === 'function';
}

/** csv-parse's parsing state machine: what its stream `Parser` runs for each chunk. */
interface CsvApi {
  parse(
    chunk: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): Error | undefined;
}

/**
 * The state machine behind a csv-parse `Parser` (`Parser.api`, not documented: csv-parse is pinned to an exact version
 * in package.json for that reason, and this throws at once if an upgrade drops it), fed directly: the same parsing as writing to the stream, without a
 * stream write, a callback and a promise per chunk, nor the info object csv-parse builds for an `on_record` hook on
 * every row (together half the reader's CPU on small files).
 */
function parserOf(options: CsvOptions): CsvApi {
  const api = (new Parser(options) as unknown as { api?: CsvApi }).api;
  if (typeof api?.parse !== 'function') throw new Error('csv-parse no longer exposes Parser.api.parse');
  return api;
}

function noop(): void {}
