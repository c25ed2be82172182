import * as zlib from 'node:zlib';
import type { AsyncBuffer } from 'hyparquet';
import { snappyUncompress } from 'hyparquet';
import { decompressZstd } from 'hyparquet-compressors';
import { Root, type Type as MessageType } from 'protobufjs/light';
import { errorMessage, failed, type FileSample, noSchema, type SchemaColumn, uniqueColumnNames } from './sample';

/** Readers of ORC files read the last 16 KiB first, hoping the footer is in it (the ORC specification's advice). */
const TAIL_FETCH_BYTES = 16 * 1024;
/** A footer larger than this is not read: real footers are kilobytes (a schema and per-stripe offsets). */
const MAX_FOOTER_BYTES = 16 * 1024 * 1024;
/** What the specification says a writer uses when the PostScript does not record its compression chunk size. */
const DEFAULT_COMPRESSION_BLOCK_SIZE = 256 * 1024;

/**
 * The parts of the file tail this reader needs, as the ORC v1 specification's Protobuf messages declare them
 * (PostScript, Footer, StripeInformation, Type; field numbers from the specification). Fields left out are skipped.
 */
const TAIL = Root.fromJSON({
  nested: {
    PostScript: {
      fields: {
        footerLength: { type: 'uint64', id: 1 },
        compression: { type: 'uint32', id: 2 },
        compressionBlockSize: { type: 'uint64', id: 3 },
        version: { rule: 'repeated', type: 'uint32', id: 4 },
        magic: { type: 'string', id: 8000 },
      },
    },
    Footer: {
      fields: {
        stripes: { rule: 'repeated', type: 'StripeInformation', id: 3 },
        types: { rule: 'repeated', type: 'Type', id: 4 },
        numberOfRows: { type: 'uint64', id: 6 },
      },
    },
    StripeInformation: { fields: { numberOfRows: { type: 'uint64', id: 5 } } },
    Type: {
      fields: {
        kind: { type: 'uint32', id: 1 },
        subtypes: { rule: 'repeated', type: 'uint32', id: 2 },
        fieldNames: { rule: 'repeated', type: 'string', id: 3 },
        maximumLength: { type: 'uint32', id: 4 },
        precision: { type: 'uint32', id: 5 },
        scale: { type: 'uint32', id: 6 },
      },
    },
  },
});

interface PostScript {
  footerLength: number;
  compression: number;
  compressionBlockSize: number;
  version: number[];
  magic: string;
}

interface OrcType {
  kind: number;
  subtypes: number[];
  fieldNames: string[];
  maximumLength: number;
  precision: number;
  scale: number;
}

interface Footer {
  types: OrcType[];
  numberOfRows: number;
}

function decode<T>(name: string, bytes: Uint8Array): T {
  const type: MessageType = TAIL.lookupType(name);
  return type.toObject(type.decode(bytes), { longs: Number, defaults: true, arrays: true }) as T;
}

const COMPRESSION = ['NONE', 'ZLIB', 'SNAPPY', 'LZO', 'LZ4', 'ZSTD'] as const;

/** Type.Kind of the specification, as Hive (and `orc-tools meta`) names the types. */
const KIND_NAMES = [
  'boolean',
  'tinyint',
  'smallint',
  'int',
  'bigint',
  'float',
  'double',
  'string',
  'binary',
  'timestamp',
  'array',
  'map',
  'struct',
  'uniontype',
  'decimal',
  'date',
  'varchar',
  'char',
  'timestamp with local time zone',
] as const;
const COMPLEX_KINDS = new Set(['array', 'map', 'struct', 'uniontype']);

/** The Hive name of a type, its children's names inside for complex types (`map<string,struct<a:int>>`). */
function typeName(types: readonly OrcType[], id: number, depth = 0): string {
  const type = types[id];
  const kind = KIND_NAMES[type?.kind ?? -1];
  if (!type || !kind) throw new Error(`type ${id} is ${type ? `of unknown kind ${type.kind}` : 'missing'}`);
  // A type tree is flattened in pre-order: a child's id is always greater than its parent's, so no cycle is possible
  // in a valid file; a corrupt one is stopped here.
  if (depth > 100 || type.subtypes.some((s) => s <= id)) throw new Error(`type ${id} has invalid children`);
  const child = (i: number) => typeName(types, type.subtypes[i], depth + 1);
  switch (kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'varchar':
    case 'char':
      return `${kind}(${type.maximumLength})`;
    case 'array':
      return `array<${child(0)}>`;
    case 'map':
      return `map<${child(0)},${child(1)}>`;
    case 'struct':
      return `struct<${type.subtypes.map((_, i) => `${type.fieldNames[i] ?? `_col${i}`}:${child(i)}`).join(',')}>`;
    case 'uniontype':
      return `uniontype<${type.subtypes.map((_, i) => child(i)).join(',')}>`;
    default:
      return kind;
  }
}

/** One compression chunk, inflated: at most `blockSize` bytes, as the specification guarantees. */
function inflateChunk(kind: (typeof COMPRESSION)[number], chunk: Uint8Array, blockSize: number): Uint8Array {
  switch (kind) {
    case 'ZLIB':
      return zlib.inflateRawSync(chunk, { maxOutputLength: blockSize });
    case 'SNAPPY': {
      // Raw Snappy starts with the uncompressed length as a varint.
      let length = 0;
      for (let i = 0, shift = 0; i < 5; i++, shift += 7) {
        length += (chunk[i] & 0x7f) * 2 ** shift;
        if (chunk[i] < 0x80) break;
      }
      if (length > blockSize)
        throw new Error(`a Snappy chunk inflates to ${length} bytes, over the ${blockSize} limit`);
      const output = new Uint8Array(length);
      snappyUncompress(chunk, output);
      return output;
    }
    case 'ZSTD':
      return decompressZstd(chunk);
    default:
      throw new Error(`${kind} chunks are not read`);
  }
}

/** A compressed stream of the file: chunks, each behind a 3-byte little-endian header (length × 2 + isOriginal). */
function decompress(kind: (typeof COMPRESSION)[number], data: Uint8Array, blockSize: number): Uint8Array {
  if (kind === 'NONE') return data;
  const parts: Uint8Array[] = [];
  for (let pos = 0; pos < data.length;) {
    if (pos + 3 > data.length) throw new Error('a compression chunk header is cut short');
    const header = data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16);
    const length = header >>> 1;
    pos += 3;
    if (pos + length > data.length) throw new Error('a compression chunk is cut short');
    const chunk = data.subarray(pos, pos + length);
    parts.push(header & 1 ? chunk : inflateChunk(kind, chunk, blockSize));
    pos += length;
  }
  return Buffer.concat(parts);
}

export interface OrcSample extends FileSample {
  /** From the footer, when it was read. */
  totalRows?: number;
  compression?: string;
  /** The file's whole type, as Hive and `orc-tools meta` write it: `struct<id:int,tags:array<string>>`. */
  schema?: string;
}

/**
 * Reads an ORC file's schema from its footer, by byte ranges: the last 16 KiB (PostScript and, usually, the footer),
 * then the rest of the footer if it is larger. A 1 GB file costs what a 1 MB one does. Files with complex columns
 * (array, map, struct, uniontype) get no schema, as in Purview. Rows are not sampled, so ORC columns get no
 * classifications: no maintained JavaScript library decodes ORC stripes (their run-length and dictionary encodings),
 * and a hand-written decoder of every ORC encoding is out of proportion; the footer gives the schema exactly.
 * Compression: none, ZLIB, Snappy and Zstandard; LZ4 and LZO footers are not read (basic metadata, with the reason).
 */
export async function readOrcSample(
  file: AsyncBuffer & { bytesRead?: number },
  options: { tailBytes?: number } = {},
): Promise<OrcSample> {
  const bytesRead = () => file.bytesRead ?? 0;
  const size = file.byteLength;
  if (size < 4) return failed(`Not an ORC file: ${size} bytes is shorter than the magic number and tail`, bytesRead());
  const tailStart = Math.max(0, size - (options.tailBytes ?? TAIL_FETCH_BYTES));
  const tail = new Uint8Array(await file.slice(tailStart, size));
  const psLength = tail[tail.length - 1];
  if (psLength === 0 || psLength + 1 > tail.length)
    return failed(`Not an ORC file: the PostScript length byte (${psLength}) is impossible here`, bytesRead());

  let postScript: PostScript;
  try {
    postScript = decode<PostScript>('PostScript', tail.subarray(tail.length - 1 - psLength, tail.length - 1));
  } catch (error) {
    return failed(`Not an ORC file: cannot read its PostScript (${errorMessage(error)})`, bytesRead());
  }
  if (postScript.magic !== 'ORC') {
    // Files of Hive 0.11 have no magic in the PostScript, only at the head of the file.
    const head = new Uint8Array(await file.slice(0, 3));
    if (Buffer.from(head).toString('latin1') !== 'ORC')
      return failed('Not an ORC file: no "ORC" magic in its PostScript or at its start', bytesRead());
  }
  const compression = COMPRESSION[postScript.compression];
  if (!compression) return failed(`Unknown ORC compression kind ${postScript.compression}`, bytesRead());
  const footerEnd = size - 1 - psLength;
  const footerStart = footerEnd - postScript.footerLength;
  if (postScript.footerLength > MAX_FOOTER_BYTES || footerStart < 0)
    return failed(`Corrupt ORC file: a footer of ${postScript.footerLength} bytes does not fit`, bytesRead());
  if (compression === 'LZ4' || compression === 'LZO')
    return {
      ...noSchema(`ORC: basic metadata only (the footer is ${compression}-compressed, which is not read)`, bytesRead()),
      compression,
    };

  let footer: Footer;
  try {
    const compressed =
      footerStart >= tailStart
        ? tail.subarray(footerStart - tailStart, footerEnd - tailStart)
        : new Uint8Array(await file.slice(footerStart, footerEnd));
    const blockSize = postScript.compressionBlockSize || DEFAULT_COMPRESSION_BLOCK_SIZE;
    footer = decode<Footer>('Footer', decompress(compression, compressed, blockSize));
  } catch (error) {
    return {
      ...failed(`Cannot read the ORC footer (${compression}): ${errorMessage(error)}`, bytesRead()),
      compression,
    };
  }

  const base = { rows: [] as string[][], sampledRows: 0, errorRows: 0, totalRows: footer.numberOfRows, compression };
  const root = footer.types[0];
  if (!root)
    return { ...base, status: 'empty', columns: [], reason: 'The ORC file declares no schema', bytesRead: bytesRead() };
  let fields: { name: string; type: string; kind: string }[];
  let schema: string;
  try {
    schema = typeName(footer.types, 0);
    fields =
      KIND_NAMES[root.kind] === 'struct'
        ? root.subtypes.map((id, i) => ({
            name: root.fieldNames[i] ?? `_col${i}`,
            type: typeName(footer.types, id),
            kind: KIND_NAMES[footer.types[id].kind],
          }))
        : [{ name: '_col0', type: schema, kind: KIND_NAMES[root.kind] }];
  } catch (error) {
    return { ...failed(`Corrupt ORC schema: ${errorMessage(error)}`, bytesRead()), compression };
  }
  const complex = fields.filter((f) => COMPLEX_KINDS.has(f.kind));
  if (complex.length) {
    const list = complex.map((f) => `${f.name} (${f.kind})`).join(', ');
    return {
      ...noSchema(`Complex types are not supported for schema extraction (as in Purview): ${list}`, bytesRead()),
      totalRows: footer.numberOfRows,
      compression,
      schema,
    };
  }
  const columns: SchemaColumn[] = uniqueColumnNames(fields.map((f) => f.name)).map((name, i) => ({
    name,
    type: fields[i].type,
  }));
  return {
    ...base,
    status: 'ok',
    columns,
    schema,
    bytesRead: bytesRead(),
    ...(footer.numberOfRows > 0
      ? { reason: 'Schema only: ORC rows are not sampled, so ORC columns are not classified' }
      : {}),
  };
}
