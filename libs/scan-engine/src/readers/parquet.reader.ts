import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type SchemaElement,
  type SchemaTree,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import {
  DEFAULT_SAMPLE_ROWS,
  errorMessage,
  failed,
  type FileSample,
  noSchema,
  type SampleOptions,
  type SchemaColumn,
  uniqueColumnNames,
  valueText,
} from './sample';

/** The footer is fetched with this first read (the tail of the file); a larger footer costs one more read. */
const FOOTER_FETCH_BYTES = 64 * 1024;
/** A first row group larger than this (compressed) is not sampled: the schema alone is returned. */
export const DEFAULT_MAX_SAMPLED_ROW_GROUP_BYTES = 64 * 1024 * 1024;

export interface ParquetReadOptions extends Pick<SampleOptions, 'sampleRows' | 'signal'> {
  maxRowGroupBytes?: number;
}

/**
 * Reads a Parquet file's schema from its footer and samples its first rows, by byte ranges: the footer, then the
 * column chunks of the row group(s) holding the sampled rows. A 1 GB file costs what a 1 MB one does.
 * Files with complex columns (LIST, MAP, STRUCT) get no schema, as in Purview.
 */
export async function readParquetSample(
  file: AsyncBuffer & { bytesRead?: number },
  options: ParquetReadOptions = {},
): Promise<FileSample> {
  const sampleRows = Math.max(0, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const maxGroupBytes = options.maxRowGroupBytes ?? DEFAULT_MAX_SAMPLED_ROW_GROUP_BYTES;
  const bytesRead = () => file.bytesRead ?? 0;
  options.signal?.throwIfAborted();
  if (file.byteLength < 12)
    return failed(
      `Not a Parquet file: ${file.byteLength} bytes is shorter than the magic numbers and footer length`,
      bytesRead(),
    );

  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file, { initialFetchSize: Math.min(FOOTER_FETCH_BYTES, file.byteLength) });
  } catch (error) {
    options.signal?.throwIfAborted();
    return failed(`Cannot read the Parquet footer: ${errorMessage(error)}`, bytesRead());
  }
  let tree: SchemaTree;
  try {
    tree = parquetSchema(metadata);
  } catch (error) {
    return failed(`Invalid Parquet schema: ${errorMessage(error)}`, bytesRead());
  }
  const complex = tree.children.filter((c) => c.children.length > 0 || c.element.repetition_type === 'REPEATED');
  if (complex.length) {
    const list = complex.map((c) => `${c.element.name} (${complexKind(c)})`).join(', ');
    return noSchema(`Complex types are not supported for schema extraction (as in Purview): ${list}`, bytesRead());
  }
  const names = tree.children.map((c) => c.element.name);
  const columns: SchemaColumn[] = uniqueColumnNames(names).map((name, i) => ({
    name,
    type: parquetTypeName(tree.children[i].element),
  }));
  const totalRows = Number(metadata.num_rows);
  const rowEnd = Math.min(sampleRows, totalRows);
  const base = { columns, rows: [] as string[][], errorRows: 0 };
  if (rowEnd === 0 || columns.length === 0) return { ...base, status: 'ok', sampledRows: 0, bytesRead: bytesRead() };

  const groupBytes = sampledGroupBytes(metadata, rowEnd);
  if (groupBytes > maxGroupBytes) {
    return {
      ...base,
      status: 'ok',
      reason: `Schema only: the sampled row group holds ${groupBytes} compressed bytes (limit ${maxGroupBytes})`,
      sampledRows: 0,
      bytesRead: bytesRead(),
      stoppedBy: 'bytes',
    };
  }
  try {
    const records = await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd, compressors, rowFormat: 'object' });
    options.signal?.throwIfAborted();
    const rows = records.slice(0, rowEnd).map((record) => names.map((n) => valueText(record[n])));
    return {
      ...base,
      status: 'ok',
      rows,
      sampledRows: rows.length,
      bytesRead: bytesRead(),
      ...(totalRows > rowEnd ? { stoppedBy: 'rows' as const } : {}),
    };
  } catch (error) {
    options.signal?.throwIfAborted();
    return failed(`Cannot read Parquet rows: ${errorMessage(error)}`, bytesRead(), { columns });
  }
}

/** Compressed bytes of the row groups that hold rows [0, rowEnd). */
function sampledGroupBytes(metadata: FileMetaData, rowEnd: number): number {
  let rows = 0;
  let bytes = 0;
  for (const group of metadata.row_groups) {
    if (rows >= rowEnd) break;
    rows += Number(group.num_rows);
    bytes += group.columns.reduce((sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0n), 0);
  }
  return bytes;
}

function complexKind(node: SchemaTree): string {
  const e = node.element;
  const kind = e.logical_type?.type ?? e.converted_type;
  if (kind === 'LIST' || kind === 'MAP') return kind;
  if (kind === 'MAP_KEY_VALUE') return 'MAP';
  if (e.repetition_type === 'REPEATED') return 'LIST';
  return 'STRUCT';
}

/**
 * The type name Purview shows for a Parquet column: the converted type when there is one (strings are `UTF8`),
 * the logical type otherwise, else the physical type (`INT64`, `DOUBLE`, `BOOLEAN`, `BYTE_ARRAY`…).
 */
export function parquetTypeName(element: SchemaElement): string {
  if (element.converted_type) return element.converted_type;
  const logical = element.logical_type;
  if (logical) {
    switch (logical.type) {
      case 'STRING':
        return 'UTF8';
      case 'INTEGER':
        return `${logical.isSigned ? 'INT' : 'UINT'}_${logical.bitWidth}`;
      case 'TIMESTAMP':
      case 'TIME':
        return `${logical.type}_${logical.unit}`;
      default:
        return logical.type;
    }
  }
  return element.type ?? 'BYTE_ARRAY';
}
