import type { BlobConnector, BlobInfo } from '../connectors';
import { blobByteSource } from '../connectors';
import {
  type FileSample,
  type FormatInfo,
  fromDelimited,
  noSchema,
  readAvroSample,
  readDelimitedSample,
  readGzipDelimitedSample,
  readJsonSample,
  readOrcSample,
  readParquetSample,
  readXmlSample,
} from '../readers';

export interface ReadFileOptions {
  sampleRows: number;
  sampleBytes: number;
  signal?: AbortSignal;
}

/**
 * Samples one blob with the reader for its format, reading no more than that reader needs: a byte prefix for text
 * formats and Avro, the footer and first row group for Parquet, the footer for ORC, a decompressed prefix for GZIP. Bad content comes
 * back as a `failed` sample; a failure of the store itself throws.
 */
export async function readFileSample(
  connector: BlobConnector,
  container: string,
  blob: BlobInfo,
  format: FormatInfo,
  options: ReadFileOptions,
): Promise<FileSample> {
  const { sampleRows, sampleBytes, signal } = options;
  const prefix = () =>
    connector.openBlob(container, blob.name, { offset: 0, count: Math.min(sampleBytes, blob.size) }, { signal });
  const common = { sampleRows, sampleBytes, totalBytes: blob.size, signal };
  switch (format.format) {
    case 'PARQUET': {
      const file = blobByteSource(connector, container, blob.name, blob.size, { signal });
      return readParquetSample(file, { sampleRows, signal });
    }
    case 'AVRO':
      return readAvroSample(await prefix(), common);
    case 'JSON':
      return readJsonSample(await prefix(), common);
    case 'XML':
      return readXmlSample(await prefix(), common);
    case 'GZIP':
      if (!format.delimiter)
        return noSchema(
          'GZIP: a schema is read only from a single delimited file inside (.csv.gz, .tsv.gz, .psv.gz, .ssv.gz)',
          0,
        );
      // The compressed length needed for a decompressed sample is unknown: the stream is read until the sample is full.
      return readGzipDelimitedSample(await connector.openBlob(container, blob.name, { offset: 0 }, { signal }), {
        delimiter: format.delimiter,
        sampleRows,
        sampleBytes,
        signal,
      });
    case 'TXT':
      return noSchema('TXT: basic metadata only (free text has no schema)', 0);
    case 'ORC':
      return readOrcSample(blobByteSource(connector, container, blob.name, blob.size, { signal }));
    default: {
      const sample = await readDelimitedSample(await prefix(), {
        delimiter: format.delimiter!,
        sampleRows,
        sampleBytes,
        totalBytes: blob.size,
        signal,
      });
      return fromDelimited(sample);
    }
  }
}
