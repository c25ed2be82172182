import { PassThrough, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { type DelimitedSample, readDelimitedSample } from './delimited.reader';
import { errorMessage, failed, type FileSample, type SampleOptions } from './sample';

/**
 * Reads a GZIP file wrapping one delimited file (`orders.csv.gz`): decompressed as a stream, the delimited sample is
 * taken from the first `sampleBytes` of decompressed text, and no more compressed bytes are pulled than that needs.
 * `bytesRead` counts compressed bytes.
 */
export async function readGzipDelimitedSample(
  input: Readable,
  options: SampleOptions & { delimiter: string },
): Promise<FileSample> {
  let compressed = 0;
  const counter = new PassThrough();
  counter.on('data', (chunk: Buffer) => (compressed += chunk.length));
  const gunzip = zlib.createGunzip();
  let sourceError: Error | undefined;
  input.on('error', (error) => {
    sourceError ??= error;
    gunzip.destroy(error);
  });
  input.pipe(counter).pipe(gunzip);
  try {
    const sample = await readDelimitedSample(gunzip, {
      delimiter: options.delimiter,
      sampleRows: options.sampleRows,
      sampleBytes: options.sampleBytes,
      signal: options.signal,
    });
    return fromDelimited(sample, compressed);
  } catch (error) {
    options.signal?.throwIfAborted();
    if (sourceError) throw sourceError; // the store failed, not the file
    return failed(`Cannot decompress GZIP: ${errorMessage(error)}`, compressed);
  } finally {
    input.unpipe(counter);
    counter.unpipe(gunzip);
    input.destroy();
    counter.destroy();
    gunzip.destroy();
  }
}

/** A delimited sample as every reader reports it: all columns `string`, as Purview has them. */
export function fromDelimited(sample: DelimitedSample, bytesRead = sample.bytesRead): FileSample {
  return {
    status: sample.status,
    ...(sample.reason ? { reason: sample.reason } : {}),
    columns: sample.columns.map((name) => ({ name, type: 'string' })),
    rows: sample.rows,
    sampledRows: sample.sampledRows,
    errorRows: sample.errorRows,
    bytesRead,
    ...(sample.stoppedBy ? { stoppedBy: sample.stoppedBy } : {}),
  };
}
