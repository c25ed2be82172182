import * as zlib from 'node:zlib';
import * as avro from 'avsc';
import { snappyUncompress } from 'hyparquet';
import {
  DEFAULT_SAMPLE_BYTES,
  DEFAULT_SAMPLE_ROWS,
  errorMessage,
  failed,
  type FileSample,
  noSchema,
  readPrefix,
  type SampleOptions,
  type SchemaColumn,
  uniqueColumnNames,
  valueText,
} from './sample';

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

type AvroSchema =
  | string
  | AvroSchema[]
  | {
      type: AvroSchema;
      name?: string;
      namespace?: string;
      logicalType?: string;
      fields?: { name: string; type: AvroSchema }[];
    };

/**
 * Reads an Avro object container file: the schema from its header, records from the blocks within the first
 * `sampleBytes` (at most `sampleRows`). Codecs: null, deflate, snappy. Records with complex fields (record, array,
 * map, union of several types) get no schema, as in Purview.
 */
export async function readAvroSample(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  options: SampleOptions & { totalBytes?: number } = {},
): Promise<FileSample> {
  const sampleRows = Math.max(0, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const sampleBytes = Math.max(1, options.sampleBytes ?? DEFAULT_SAMPLE_BYTES);
  const { bytes, complete } = await readPrefix(input, sampleBytes, {
    signal: options.signal,
    totalBytes: options.totalBytes,
  });
  if (bytes.length === 0)
    return {
      status: 'empty',
      reason: 'The file is empty',
      columns: [],
      rows: [],
      sampledRows: 0,
      errorRows: 0,
      bytesRead: 0,
    };

  const decoded = await decode(bytes, sampleRows);
  const base = { bytesRead: bytes.length, errorRows: 0 };
  if (!decoded.schema) {
    const why = decoded.error
      ? errorMessage(decoded.error)
      : complete
        ? 'the header is truncated'
        : `no complete header within the first ${sampleBytes} bytes`;
    return failed(`Not a readable Avro file: ${why}`, bytes.length);
  }
  if (decoded.error) return failed(`Cannot read Avro records: ${errorMessage(decoded.error)}`, bytes.length);
  if (complete && decoded.leftover > 0 && decoded.records.length < sampleRows) {
    return failed(`Truncated Avro file: ${decoded.leftover} bytes after the last complete block`, bytes.length);
  }

  const schema = decoded.schema;
  if (typeof schema !== 'object' || Array.isArray(schema) || schema.type !== 'record' || !schema.fields) {
    return noSchema(
      `The Avro schema is not a record (${JSON.stringify(typeof schema === 'object' && !Array.isArray(schema) ? schema.type : schema)}): no columns`,
      bytes.length,
    );
  }
  const named = new Map<string, AvroSchema>();
  collectNamed(schema, named);
  const complex: string[] = [];
  const types = schema.fields.map((field) => {
    const type = avroTypeName(field.type, named);
    if (type.startsWith('complex:')) complex.push(`${field.name} (${type.slice('complex:'.length)})`);
    return type;
  });
  if (complex.length)
    return noSchema(
      `Complex types are not supported for schema extraction (as in Purview): ${complex.join(', ')}`,
      bytes.length,
    );

  const names = schema.fields.map((f) => f.name);
  const columns: SchemaColumn[] = uniqueColumnNames(names).map((name, i) => ({ name, type: types[i] }));
  const rows = decoded.records.slice(0, sampleRows).map((record) => names.map((n) => valueText(record[n])));
  const stoppedBy = rows.length >= sampleRows && (decoded.more || !complete) ? 'rows' : !complete ? 'bytes' : undefined;
  return { ...base, status: 'ok', columns, rows, sampledRows: rows.length, ...(stoppedBy ? { stoppedBy } : {}) };
}

interface Decoded {
  schema?: AvroSchema;
  records: Record<string, unknown>[];
  error?: unknown;
  /** Bytes the decoder held at the end that did not make a complete block. */
  leftover: number;
  /** More records were available than were kept. */
  more: boolean;
}

function decode(bytes: Buffer, sampleRows: number): Promise<Decoded> {
  return new Promise((resolve) => {
    const result: Decoded = { records: [], leftover: 0, more: false };
    const codecs = { ...avro.streams.BlockDecoder.defaultCodecs(), snappy: snappyCodec };
    const decoder = new avro.streams.BlockDecoder({ codecs });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      // The decoder keeps unconsumed input on its tap; a whole file leaves nothing there.
      const tap = (decoder as unknown as { _tap?: { buf: Buffer; pos: number } })._tap;
      if (tap && result.schema) result.leftover = Math.max(0, tap.buf.length - tap.pos);
      decoder.destroy();
      resolve(result);
    };
    decoder.on('metadata', (_type: unknown, _codec: string, header: { meta: Record<string, Buffer> }) => {
      try {
        result.schema = JSON.parse(header.meta['avro.schema'].toString()) as AvroSchema;
      } catch (error) {
        result.error = error;
      }
    });
    decoder.on('data', (record: Record<string, unknown>) => {
      if (result.records.length < sampleRows) result.records.push(record);
      else {
        result.more = true;
        finish();
      }
    });
    decoder.on('error', (error: unknown) => {
      result.error ??= error;
      finish();
    });
    decoder.on('end', finish);
    decoder.end(bytes);
  });
}

/** Avro's snappy codec: a snappy block followed by the big-endian CRC-32 of the uncompressed data. */
function snappyCodec(buffer: Buffer, callback: (error: Error | null, data?: Buffer) => void): void {
  try {
    const compressed = buffer.subarray(0, buffer.length - 4);
    let length = 0;
    for (let i = 0, shift = 0; i < 5; i++, shift += 7) {
      length |= (compressed[i] & 0x7f) << shift;
      if (!(compressed[i] & 0x80)) break;
    }
    const output = new Uint8Array(length);
    snappyUncompress(compressed, output);
    const data = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
    if (zlib.crc32(data) !== buffer.readUInt32BE(buffer.length - 4)) throw new Error('snappy block checksum mismatch');
    callback(null, data);
  } catch (error) {
    callback(error as Error);
  }
}

function collectNamed(schema: AvroSchema, named: Map<string, AvroSchema>): void {
  if (Array.isArray(schema)) return schema.forEach((s) => collectNamed(s, named));
  if (typeof schema !== 'object' || schema === null) return;
  if (schema.name) {
    named.set(schema.name, schema);
    if (schema.namespace) named.set(`${schema.namespace}.${schema.name}`, schema);
  }
  schema.fields?.forEach((f) => collectNamed(f.type, named));
  const inner = schema as { items?: AvroSchema; values?: AvroSchema };
  if (inner.items) collectNamed(inner.items, named);
  if (inner.values) collectNamed(inner.values, named);
  if (typeof schema.type === 'object') collectNamed(schema.type, named);
}

/**
 * The type name of a field: its logical type when it has one (`timestamp-millis`, `decimal`…), else its Avro type;
 * a nullable field (a union with null) takes its other branch. `complex:<kind>` for what Purview does not extract.
 */
export function avroTypeName(
  schema: AvroSchema,
  named: ReadonlyMap<string, AvroSchema> = new Map(),
  depth = 0,
): string {
  if (depth > 32) return 'complex:record';
  if (Array.isArray(schema)) {
    const branches = schema.filter((s) => s !== 'null');
    return branches.length === 1
      ? avroTypeName(branches[0], named, depth + 1)
      : branches.length === 0
        ? 'null'
        : 'complex:union';
  }
  if (typeof schema === 'string') {
    if (PRIMITIVES.has(schema)) return schema;
    const ref = named.get(schema);
    return ref ? avroTypeName(ref, named, depth + 1) : 'complex:unknown';
  }
  if (schema.logicalType) return schema.logicalType;
  const type = schema.type;
  if (type === 'record' || type === 'error' || type === 'array' || type === 'map')
    return `complex:${type === 'error' ? 'record' : type}`;
  if (type === 'enum' || type === 'fixed') return type;
  return avroTypeName(type, named, depth + 1);
}
