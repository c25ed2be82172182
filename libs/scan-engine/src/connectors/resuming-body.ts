import { Readable } from 'node:stream';

export interface ResumingBodyOptions {
  /** Where the body starts in the blob, and where the range ends (exclusive; undefined: the blob's end). */
  start: number;
  end: number | undefined;
  /** Times a body cut off part way is asked for again. */
  resumes: number;
  /** A body with the blob's bytes from `offset` to `end` (the same blob version). */
  reopen: (offset: number) => Promise<Readable>;
  /** The error the stream fails with, from what failed (e.g. one without the SAS in its message). */
  mapError: (error: unknown) => unknown;
  signal?: AbortSignal;
}

/**
 * A response body that, when the connection drops part way, goes on with a new request for the rest of the range,
 * as the SDK's download stream does (`maxRetryRequests`). Destroying it destroys the body it is reading at once.
 */
export class ResumingBody extends Readable {
  private body: Readable;
  private offset: number;
  private resumes: number;

  constructor(
    first: Readable,
    private readonly options: ResumingBodyOptions,
  ) {
    super();
    this.offset = options.start;
    this.resumes = options.resumes;
    this.body = first;
    this.attach(first);
  }

  override _read(): void {
    this.body.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.body.destroy();
    callback(error);
  }

  private attach(body: Readable): void {
    body.on('data', (chunk: Buffer) => {
      this.offset += chunk.length;
      if (!this.push(chunk)) body.pause();
    });
    body.once('end', () => this.push(null));
    body.once('error', (error) => this.failed(body, error));
  }

  private failed(body: Readable, error: unknown): void {
    if (this.destroyed || body !== this.body) return;
    const { end, signal, mapError } = this.options;
    if (signal?.aborted || this.resumes-- <= 0 || (end !== undefined && this.offset >= end))
      return void this.destroy(mapError(error) as Error);
    this.options.reopen(this.offset).then(
      (next) => {
        if (this.destroyed) return void next.destroy();
        this.body = next;
        this.attach(next);
      },
      (again: unknown) => this.destroy(mapError(again) as Error),
    );
  }
}
