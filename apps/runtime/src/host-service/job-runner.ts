import {
  type CompleteJobRequest,
  type IngestionMessage,
  MAX_REPORTED_FILE_FAILURES,
  type ScanJob,
} from '@purview-emulator/contracts';
import { isTransientStorageFailure } from '@purview-emulator/scan-engine';
import { isCredentialRejected, isLeaseLost, isTransient } from '../client/errors';
import type { RuntimeClient } from '../client/runtime-client';
import type { Logger } from '../log';
import { describeError } from '../redact';
import { Backoff } from './backoff';
import { type AssetBatch, AssetBatcher, batchBody, type BatchLimits, DEFAULT_BATCH_LIMITS } from './batcher';
import { batchBlobName, batchIdFor } from './batch-names';
import { IngestionError, type IngestionSink, type IngestionSinkFactory } from './ingestion-sink';
import type { Scanner, ScannerRun } from './scanner';
import { sleep } from './sleep';
import { databaseFailureOf } from './database-failure';

export interface JobRunnerDeps {
  client: RuntimeClient;
  scanner: Scanner;
  ingestion: IngestionSinkFactory;
  logger: Logger;
  batchLimits?: BatchLimits;
  /** Progress is reported at most this often (default 1 s). */
  progressIntervalMs?: number;
  /** Waits between attempts to complete a job while the service is unreachable. */
  retry?: { initialMs: number; maxMs: number };
}

/** Why a job failed; `retryable`: another attempt may succeed (storage was unreachable), so the emulator re-queues it. */
export type JobError = NonNullable<CompleteJobRequest['error']>;

/** How a job ended on this node. `Abandoned`: the node stopped working on it (lease lost, or shutting down). */
export type JobOutcome =
  | {
      status: CompleteJobRequest['status'];
      assetsDiscovered: number;
      assetsClassified: number;
      assetsFailed: number;
      batchCount: number;
      error?: JobError;
    }
  | { status: 'Abandoned'; reason: 'LeaseLost' | 'Stopped'; message: string };

/** Runs one leased scan job to its end. Never rejects. */
export function runScanJob(job: ScanJob, deps: JobRunnerDeps, signal: AbortSignal): Promise<JobOutcome> {
  return new ScanJobRun(job, deps, signal).run();
}

/**
 * One job: keeps the lease renewed (every leaseSeconds/3), runs the scanner over the source, uploads its assets in
 * batches (blob, then queue message), reports progress at most once a second, and completes the job. A lost lease
 * (renew/progress/complete answer 404, 409 or 410) or a shutdown stops the work without completing: the emulator
 * gives the run to a node again once the lease expires.
 */
class ScanJobRun {
  private readonly abort = new AbortController();
  private sink?: IngestionSink;
  private readonly secrets: string[];
  private leaseLost?: string;
  private scan?: ScannerRun;
  private sequence = 0;
  private batchesUploaded = 0;
  /** The blob of the batch being uploaded until its message is on the queue: an orphan if the upload fails. */
  private unannouncedBlob?: string;
  private lastProgressAt = 0;
  private progressInFlight = false;
  private finished = false;

  constructor(
    private readonly job: ScanJob,
    private readonly deps: JobRunnerDeps,
    private readonly stopSignal: AbortSignal,
  ) {
    // Never logged nor reported: the SAS of a storage job, the password of a database job.
    const sourceSecret = job.source.kind === 'Database' ? job.source.password : job.source.sasToken;
    this.secrets = [sourceSecret, query(job.ingestion.containerSasUrl), query(job.ingestion.queueSasUrl)].filter(
      (s) => s.length > 0,
    );
    if (stopSignal.aborted) this.abort.abort(stopSignal.reason);
    else stopSignal.addEventListener('abort', this.onStop, { once: true });
  }

  private readonly onStop = () => this.abort.abort(this.stopSignal.reason);

  private get runId(): string {
    return this.job.scanRun.runId;
  }

  /** "Scan run <id>", plus "part 2/3" when the run is spread over nodes (two parts may run on the same node). */
  private get label(): string {
    const partition = this.job.source.kind === 'AzureStorage' ? this.job.source.partition : undefined;
    return `Scan run ${this.runId}${partition && partition.count > 1 ? ` part ${partition.index + 1}/${partition.count}` : ''}`;
  }

  async run(): Promise<JobOutcome> {
    const { dataSourceName, scanName } = this.job.scanRun;
    this.deps.logger.info(
      `${this.label} started (${dataSourceName}/${scanName})${this.job.attempt > 1 ? `, attempt ${this.job.attempt}` : ''}`,
      { runId: this.runId, jobId: this.job.jobId },
    );
    const renewing = this.keepLeaseRenewed();
    try {
      let error: JobError | undefined;
      try {
        await this.scanAndUpload();
      } catch (thrown) {
        if (!this.abort.signal.aborted) error = this.failureOf(thrown);
      }
      if (this.abort.signal.aborted) return this.abandoned();
      // Before completing: once the emulator hears of the failure, another attempt may reuse the blob's name.
      if (error) await this.removeUnannouncedBlob();
      return await this.complete(error);
    } catch (unexpected) {
      if (this.abort.signal.aborted) return this.abandoned();
      const message = `Unexpected error: ${describeError(unexpected, this.secrets)}`;
      this.deps.logger.error(`${this.label}: ${message}`, { runId: this.runId });
      return { status: 'Abandoned', reason: 'Stopped', message };
    } finally {
      this.finished = true;
      this.abort.abort();
      this.stopSignal.removeEventListener('abort', this.onStop);
      await renewing;
    }
  }

  private async scanAndUpload(): Promise<void> {
    const signal = this.abort.signal;
    try {
      this.sink = this.deps.ingestion(this.job.ingestion);
    } catch (error) {
      throw new IngestionError(`The job's ingestion storage cannot be used: ${describeError(error, this.secrets)}`);
    }
    const batcher = new AssetBatcher(this.deps.batchLimits ?? DEFAULT_BATCH_LIMITS);
    // ETags reported between two assets ride with the next batch (flushed at the end at the latest).
    const versions: AssetBatch[] = [];
    const scan = this.deps.scanner(this.job.source, {
      signal,
      scanRuleset: this.job.scanRuleset,
      filter: this.job.filter,
      onProgress: () => this.reportProgressSoon(),
      knownEtags: async (qualifiedNames) =>
        new Map(
          Object.entries(
            (
              await this.deps.client.knownEtags(
                this.job.jobId,
                { leaseId: this.job.leaseId, qualifiedNames },
                { signal },
              )
            ).etags,
          ),
        ),
      onBlobVersion: (blob) => versions.push(...batcher.addBlob(blob)),
    });
    this.scan = scan;
    // One upload runs while the scanner prepares the next batch.
    let uploading: Promise<void> | undefined;
    const submit = async (batch: AssetBatch) => {
      if (uploading) await uploading;
      uploading = this.upload(batch);
      uploading.catch(() => undefined);
    };
    try {
      for await (const asset of scan) {
        signal.throwIfAborted();
        for (const batch of versions.splice(0)) await submit(batch);
        for (const batch of batcher.add(asset)) await submit(batch);
      }
      for (const batch of versions.splice(0)) await submit(batch);
      const last = batcher.flush();
      if (last) await submit(last);
      if (uploading) await uploading;
    } finally {
      // On failure, let an upload in flight settle so batchCount matches what was sent.
      if (uploading) await uploading.catch(() => undefined);
    }
  }

  private async upload(batch: AssetBatch): Promise<void> {
    const sequence = ++this.sequence;
    const batchId = batchIdFor(this.job.jobId, sequence);
    const blobName = batchBlobName(this.job, sequence);
    const header = { version: 1 as const, runId: this.runId, jobId: this.job.jobId, batchId, sequence };
    const sink = this.sink!;
    this.unannouncedBlob = blobName;
    await sink.uploadBatch(blobName, batchBody(header, batch.assets, batch.blobs), this.abort.signal);
    const message: IngestionMessage = { ...header, blobName, assetCount: batch.assets.length };
    await sink.sendMessage(message, this.abort.signal);
    this.unannouncedBlob = undefined;
    this.batchesUploaded++;
    this.reportProgressSoon();
  }

  /** Sends progress unless one was sent less than a second ago (or is still on its way). */
  private reportProgressSoon(): void {
    const interval = this.deps.progressIntervalMs ?? 1000;
    if (this.progressInFlight || this.finished || Date.now() - this.lastProgressAt < interval) return;
    this.progressInFlight = true;
    this.lastProgressAt = Date.now();
    const stats = this.stats();
    this.deps.client
      .reportProgress(
        this.job.jobId,
        {
          leaseId: this.job.leaseId,
          assetsDiscovered: stats.assetsDiscovered,
          assetsClassified: stats.assetsClassified,
          batchesUploaded: this.batchesUploaded,
        },
        { signal: this.abort.signal },
      )
      .catch((error: unknown) => {
        if (isLeaseLost(error)) this.loseLease(error);
        // Anything else: the next report or the completion carries the numbers.
      })
      .finally(() => {
        this.progressInFlight = false;
      });
  }

  private async keepLeaseRenewed(): Promise<void> {
    // Whole ms: timers and request deadlines refuse fractions (a 10 s lease gave 3333.33 and every renewal failed).
    const periodMs = Math.max(100, Math.round((this.job.leaseSeconds * 1000) / 3));
    let waitMs = periodMs;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      await sleep(waitMs, signal);
      if (signal.aborted) return;
      try {
        await this.deps.client.renewLease(
          this.job.jobId,
          { leaseId: this.job.leaseId },
          { signal, timeoutMs: periodMs },
        );
        waitMs = periodMs;
      } catch (error) {
        if (signal.aborted) return;
        if (isLeaseLost(error) || isCredentialRejected(error)) return this.loseLease(error);
        // The lease stays valid until it expires: log, and try again sooner when the service is only unreachable.
        this.deps.logger.warn(`${this.label}: could not renew the lease: ${describeError(error, this.secrets)}`, {
          runId: this.runId,
        });
        waitMs = isTransient(error) ? Math.min(periodMs, 1000) : periodMs;
      }
    }
  }

  private loseLease(error: unknown): void {
    if (this.leaseLost !== undefined || this.finished) return;
    this.leaseLost = describeError(error, this.secrets);
    this.abort.abort(new Error('lease lost'));
  }

  /** Best effort: a blob whose message never made it would stay in the ingestion container for nobody. */
  private async removeUnannouncedBlob(): Promise<void> {
    const blobName = this.unannouncedBlob;
    if (!blobName || !this.sink) return;
    try {
      await this.sink.deleteBatch(blobName, this.abort.signal);
      this.unannouncedBlob = undefined;
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.deps.logger.warn(
        `${this.label}: could not remove the batch blob it could not announce (the next attempt overwrites it): ${describeError(error, this.secrets)}`,
        { runId: this.runId },
      );
    }
  }

  private async complete(error?: JobError): Promise<JobOutcome> {
    const stats = this.stats();
    const failures = error ? [] : this.fileFailures();
    const body: CompleteJobRequest = {
      leaseId: this.job.leaseId,
      status: error ? 'Failed' : 'Succeeded',
      assetsDiscovered: stats.assetsDiscovered,
      assetsClassified: stats.assetsClassified,
      assetsFailed: stats.assetsFailed,
      batchCount: this.batchesUploaded,
      ...(error ? { error } : {}),
      ...(failures.length > 0 ? { failures } : {}),
    };
    const backoff = new Backoff(this.deps.retry ?? { initialMs: 500, maxMs: 10_000 });
    for (;;) {
      try {
        await this.deps.client.completeJob(this.job.jobId, body, { signal: this.abort.signal });
        break;
      } catch (thrown) {
        if (this.abort.signal.aborted) return this.abandoned();
        if (isLeaseLost(thrown)) {
          this.loseLease(thrown);
          return this.abandoned();
        }
        if (!isTransient(thrown)) {
          const message = `the service refused its completion: ${describeError(thrown, this.secrets)}`;
          this.deps.logger.error(`${this.label}: ${message}`, { runId: this.runId });
          return { status: 'Abandoned', reason: 'Stopped', message };
        }
        this.deps.logger.warn(
          `${this.label}: could not report completion yet (${describeError(thrown, this.secrets)}); retrying`,
          { runId: this.runId },
        );
        await sleep(backoff.next(), this.abort.signal);
        if (this.abort.signal.aborted) return this.abandoned();
      }
    }
    const outcome = {
      status: body.status,
      assetsDiscovered: body.assetsDiscovered,
      assetsClassified: body.assetsClassified,
      assetsFailed: body.assetsFailed,
      batchCount: body.batchCount,
      ...(error ? { error } : {}),
    };
    if (error) {
      const retry = error.retryable
        ? ` (attempt ${this.job.attempt}; the emulator queues it again unless that was the last)`
        : '';
      this.deps.logger.error(`${this.label} Failed${retry}: ${error.message}`, { runId: this.runId, code: error.code });
    } else {
      const failed = body.assetsFailed > 0 ? `, ${body.assetsFailed} failed` : '';
      this.deps.logger.info(
        `${this.label} Succeeded: ${plural(body.assetsDiscovered, 'asset')} discovered, ${body.assetsClassified} classified${failed}, ${plural(body.batchCount, 'batch', 'batches')}`,
        { runId: this.runId },
      );
      this.logFileFailures();
    }
    return outcome;
  }

  private abandoned(): JobOutcome {
    if (this.leaseLost !== undefined) {
      const message = `lost its lease (${this.leaseLost}); stopped working on it`;
      this.deps.logger.warn(`${this.label} ${message}`, { runId: this.runId });
      return { status: 'Abandoned', reason: 'LeaseLost', message };
    }
    const message = 'stopped by the host service shutting down; its lease will expire and the run will be queued again';
    this.deps.logger.info(`${this.label} ${message}`, { runId: this.runId });
    return { status: 'Abandoned', reason: 'Stopped', message };
  }

  private failureOf(error: unknown): JobError {
    const detail = describeError(error, this.secrets);
    // Storage stayed unreachable through every retry: another attempt (with a fresh SAS) may well succeed.
    if (error instanceof IngestionError)
      return {
        code: 'IngestionUploadFailed',
        message: `The scan results could not be uploaded for ingestion: ${detail}`,
        retryable: true,
      };
    if (this.job.source.kind === 'Database') return databaseFailureOf(this.job.source, error, detail);
    // The source stayed unreachable through the listing's retries (not refused): so may a later attempt succeed.
    return {
      code: 'ScanFailed',
      message: `The scan of ${this.job.source.endpoint} failed: ${detail}`,
      ...(isTransientStorageFailure(error) ? { retryable: true } : {}),
    };
  }

  private stats(): { assetsDiscovered: number; assetsClassified: number; assetsFailed: number } {
    const stats = this.scan?.stats;
    return {
      assetsDiscovered: stats?.assetsDiscovered ?? 0,
      assetsClassified: stats?.assetsClassified ?? 0,
      assetsFailed: stats?.assetsFailed ?? 0,
    };
  }

  /** The first files that could not be read, for the run's notifications (reasons without secrets, bounded). */
  private fileFailures(): { qualifiedName: string; reason: string }[] {
    return (this.scan?.failures ?? []).slice(0, MAX_REPORTED_FILE_FAILURES).map((f) => ({
      qualifiedName: f.qualifiedName.slice(0, 4096),
      reason: describeError(f.reason, this.secrets).slice(0, 2000),
    }));
  }

  private logFileFailures(): void {
    const failures = this.scan?.failures ?? [];
    for (const failure of failures.slice(0, 5)) {
      this.deps.logger.warn(
        `${this.label}: could not read ${failure.qualifiedName}: ${describeError(failure.reason, this.secrets)}`,
        { runId: this.runId },
      );
    }
    if (failures.length > 5)
      this.deps.logger.warn(`${this.label}: ${failures.length - 5} more files could not be read`, {
        runId: this.runId,
      });
  }
}

function query(url: string): string {
  const index = url.indexOf('?');
  return index >= 0 ? url.slice(index + 1) : '';
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
