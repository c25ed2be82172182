import { JSONParser } from '@streamparser/json';
import {
  DEFAULT_SAMPLE_BYTES,
  DEFAULT_SAMPLE_ROWS,
  errorMessage,
  failed,
  type FileSample,
  MAX_COLUMNS,
  readPrefix,
  type SampleOptions,
  valueText,
} from './sample';

/** Bytes handed to the streaming parser at a time: parsing stops once the row sample is full. */
const PARSE_CHUNK = 64 * 1024;

/**
 * Reads a JSON file within the first `sampleBytes`: a document, an array of documents, or JSON lines. Each document
 * is a row; nested objects are flattened into dotted column names (`address.city`), arrays stay one column (`array`).
 * A byte cut drops only the document it cuts through.
 */
export async function readJsonSample(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: SampleOptions & { totalBytes?: number } = {},
): Promise<FileSample> {
  const sampleRows = Math.max(0, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const sampleBytes = Math.max(1, options.sampleBytes ?? DEFAULT_SAMPLE_BYTES);
  const { bytes, complete } = await readPrefix(input, sampleBytes, {
    signal: options.signal,
    totalBytes: options.totalBytes,
  });
  const bytesRead = bytes.length;
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (start < bytes.length && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[start])) start++;
  if (start >= bytes.length)
    return complete
      ? {
          status: 'empty',
          reason: 'The file has no JSON content',
          columns: [],
          rows: [],
          sampledRows: 0,
          errorRows: 0,
          bytesRead,
        }
      : failed(`No JSON content within the first ${sampleBytes} bytes`, bytesRead);
  const first = String.fromCharCode(bytes[start]);
  if (first !== '[' && first !== '{')
    return failed(`Not JSON: the content starts with ${JSON.stringify(first)}, not an object or an array`, bytesRead);

  // An array's elements are the documents; otherwise every top-level value is (one document, or JSON lines).
  const parser = new JSONParser(
    first === '[' ? { paths: ['$.*'], keepStack: false } : { paths: ['$'], keepStack: false, separator: '' },
  );
  const documents: unknown[] = [];
  let parseError: Error | undefined;
  parser.onValue = ({ value }) => {
    if (documents.length < sampleRows) documents.push(value);
  };
  parser.onError = (error) => (parseError ??= error);
  for (
    let offset = start;
    offset < bytes.length && !parseError && documents.length < sampleRows;
    offset += PARSE_CHUNK
  ) {
    try {
      parser.write(bytes.subarray(offset, Math.min(offset + PARSE_CHUNK, bytes.length)));
    } catch (error) {
      parseError ??= error as Error;
    }
  }
  const full = documents.length >= sampleRows;
  // A document or array parser ends by itself at its closing bracket; JSON lines end only when told.
  if (complete && !full && !parseError && !parser.isEnded) {
    try {
      parser.end();
    } catch (error) {
      parseError ??= error as Error;
    }
  }
  if (parseError && !full) return failed(`Invalid JSON: ${errorMessage(parseError)}`, bytesRead);
  if (documents.length === 0) {
    return complete
      ? {
          status: 'empty',
          reason: 'The JSON holds no documents',
          columns: [],
          rows: [],
          sampledRows: 0,
          errorRows: 0,
          bytesRead,
        }
      : failed(`No complete JSON document within the first ${sampleBytes} bytes`, bytesRead);
  }

  const table = flattenDocuments(documents);
  const stoppedBy = full ? 'rows' : complete ? undefined : 'bytes';
  return {
    status: 'ok',
    columns: table.columns,
    rows: table.rows,
    sampledRows: documents.length,
    errorRows: table.errorRows,
    bytesRead,
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(table.truncated ? { columnsTruncated: table.truncated } : {}),
  };
}

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'null';

/** Flattens documents into one table: columns in order of first appearance, types merged over the sample. */
export function flattenDocuments(
  documents: readonly unknown[],
  maxColumns = MAX_COLUMNS,
): { columns: { name: string; type: string }[]; rows: string[][]; errorRows: number; truncated: number } {
  const index = new Map<string, number>();
  const types: JsonType[] = [];
  const dropped = new Set<string>();
  const flat: Map<string, unknown>[] = [];
  let errorRows = 0;
  for (const document of documents) {
    if (!isObject(document)) {
      errorRows++; // a bare value in a list of documents has no column name
      continue;
    }
    const cells = new Map<string, unknown>();
    flattenInto(document, '', cells);
    for (const [name, value] of cells) {
      let i = index.get(name);
      if (i === undefined) {
        if (index.size >= maxColumns) {
          dropped.add(name);
          continue;
        }
        i = index.size;
        index.set(name, i);
        types.push('null');
      }
      types[i] = mergeType(types[i], jsonType(value));
    }
    flat.push(cells);
  }
  const names = [...index.keys()];
  return {
    columns: names.map((name, i) => ({ name, type: types[i] === 'null' ? 'string' : types[i] })),
    rows: flat.map((cells) => names.map((n) => valueText(cells.get(n)))),
    errorRows,
    truncated: dropped.size,
  };
}

function flattenInto(object: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  for (const [key, value] of Object.entries(object)) {
    const name = `${prefix}${key}`;
    if (isObject(value) && Object.keys(value).length > 0) flattenInto(value, `${name}.`, out);
    else out.set(name, isObject(value) ? null : value);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'string';
}

/** Nulls take the other type; integers and numbers make numbers; any other mix is a string. */
function mergeType(a: JsonType, b: JsonType): JsonType {
  if (a === b || b === 'null') return a;
  if (a === 'null') return b;
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  return 'string';
}
