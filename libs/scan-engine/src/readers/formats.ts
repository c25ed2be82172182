import { type DelimitedFormat, delimitedFormatOf } from './delimited.reader';

/** The file types Purview's scan rule sets name (`fileExtensions`), as far as this engine tells them apart. */
export type FileFormat = DelimitedFormat | 'PARQUET' | 'AVRO' | 'ORC' | 'JSON' | 'XML' | 'TXT' | 'GZIP';

/** Every format the engine tells apart, in the order Purview's system rule sets list them. */
export const FILE_FORMATS: readonly FileFormat[] = [
  'CSV',
  'JSON',
  'PSV',
  'SSV',
  'TSV',
  'GZIP',
  'TXT',
  'XML',
  'PARQUET',
  'AVRO',
  'ORC',
];

/** The scanning API's `FileExtension` name of a format (GZIP is `GZ` there). */
export function fileExtensionNameOf(format: FileFormat): string {
  return format === 'GZIP' ? 'GZ' : format;
}

export interface FormatInfo {
  format: FileFormat;
  /** For delimited files, and for GZIP wrapping one. */
  delimiter?: string;
  /** What a GZIP file wraps, when its name says (`orders.csv.gz`). */
  inner?: DelimitedFormat;
}

const SINGLE: Record<string, Exclude<FileFormat, DelimitedFormat | 'GZIP'>> = {
  parquet: 'PARQUET',
  avro: 'AVRO',
  orc: 'ORC',
  json: 'JSON',
  xml: 'XML',
  txt: 'TXT',
};

/** The format of a blob by its extension (case-insensitive), or undefined when it is none Purview extracts a schema from. */
export function fileFormatOf(path: string): FormatInfo | undefined {
  const delimited = delimitedFormatOf(path);
  if (delimited) return delimited;
  const extension = /\.([A-Za-z]+)$/.exec(path)?.[1].toLowerCase();
  if (!extension) return undefined;
  if (extension === 'gz') {
    const inner = delimitedFormatOf(path.slice(0, -3));
    return inner ? { format: 'GZIP', delimiter: inner.delimiter, inner: inner.format } : { format: 'GZIP' };
  }
  const format = SINGLE[extension];
  return format ? { format } : undefined;
}
