/** Purview's structured-file sampling limits: the top 128 rows or the first 1 MB, whichever is lower. */
export const DEFAULT_SAMPLE_ROWS = 128;
export const DEFAULT_SAMPLE_BYTES = 1024 * 1024;
/** Columns kept per schema: flattened JSON/XML can explode; the first ones in document order are kept. */
export const MAX_COLUMNS = 800;

export interface SchemaColumn {
  name: string;
  /** As Purview shows it: `string` for text formats, the file's own type name for typed formats (e.g. Parquet `UTF8`). */
  type: string;
}

/**
 * What a reader got out of a file. Readers never throw for bad content: an unreadable file comes back as
 * `failed` with a reason; a file Purview extracts no schema from (complex types, free text) as `noSchema`.
 */
export interface FileSample {
  status: 'ok' | 'empty' | 'noSchema' | 'failed';
  reason?: string;
  columns: SchemaColumn[];
  /** Sampled rows as strings (the classifiers' input), aligned with `columns`. */
  rows: string[][];
  sampledRows: number;
  errorRows: number;
  /** Bytes pulled from the source (compressed bytes for compressed files). */
  bytesRead: number;
  /** Why reading stopped before the end of the file, if it did. */
  stoppedBy?: 'rows' | 'bytes';
  /** Set when the schema had more than MAX_COLUMNS columns and was cut. */
  columnsTruncated?: number;
}

export interface SampleOptions {
  sampleRows?: number;
  sampleBytes?: number;
  signal?: AbortSignal;
}

/** Column names must be unique within a schema (they are part of the column qualifiedName). */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw, i) => {
    const name = raw.trim() || `Column${i + 1}`;
    let unique = name;
    for (let n = 1; seen.has(unique); n++) unique = `${name}_${n}`;
    seen.add(unique);
    return unique;
  });
}

/** A sampled value as the classifiers see it: text, or '' for nulls and binary data. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (value instanceof Uint8Array || Buffer.isBuffer(value)) return '';
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return '';
  }
}

export function failed(reason: string, bytesRead: number, extra: Partial<FileSample> = {}): FileSample {
  return { status: 'failed', reason, columns: [], rows: [], sampledRows: 0, errorRows: 0, bytesRead, ...extra };
}

export function noSchema(reason: string, bytesRead: number): FileSample {
  return { status: 'noSchema', reason, columns: [], rows: [], sampledRows: 0, errorRows: 0, bytesRead };
}

export function errorMessage(error: unknown): string {
  // Not `instanceof Error`: errors from Node's core (zlib) may come from another realm (e.g. under Jest).
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * Reads at most `maxBytes` from a byte stream into one buffer, then stops pulling (and destroys the stream).
 * `complete` says whether the end of the stream was reached within the limit.
 */
export async function readPrefix(
  input: AsyncIterable<Buffer | string | Uint8Array>,
  maxBytes: number,
  options: { signal?: AbortSignal; totalBytes?: number } = {},
): Promise<{ bytes: Buffer; complete: boolean }> {
  const { signal } = options;
  const chunks: Buffer[] = [];
  let total = 0;
  const iterator = input[Symbol.asyncIterator]();
  let complete = false;
  try {
    while (total < maxBytes) {
      const next = await iterator.next();
      signal?.throwIfAborted();
      if (next.done) {
        complete = true;
        break;
      }
      let chunk =
        typeof next.value === 'string'
          ? Buffer.from(next.value)
          : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      if (chunk.length > maxBytes - total) chunk = chunk.subarray(0, maxBytes - total);
      chunks.push(chunk);
      total += chunk.length;
    }
  } finally {
    const destroy = (input as { destroy?: () => void }).destroy;
    if (typeof destroy === 'function') destroy.call(input);
    else void iterator.return?.();
  }
  // A file of exactly `maxBytes` is whole even though its end was not seen.
  if (options.totalBytes !== undefined && total >= options.totalBytes) complete = true;
  return { bytes: Buffer.concat(chunks, total), complete };
}

/** Keeps the first MAX_COLUMNS columns (and the matching cells); says how many were dropped. */
export function capColumns(sample: FileSample, max = MAX_COLUMNS): FileSample {
  if (sample.columns.length <= max) return sample;
  return {
    ...sample,
    columnsTruncated: sample.columns.length - max,
    columns: sample.columns.slice(0, max),
    rows: sample.rows.map((r) => r.slice(0, max)),
  };
}
