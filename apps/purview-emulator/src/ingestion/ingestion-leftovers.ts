import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import {
  INGESTION_OPTIONS,
  INGESTION_RESULT_SINK,
  IngestionOptions,
  IngestionResultSink,
} from './ingestion-result-sink';
import { IngestionStorage, RUNS_FOLDER, describeError } from './ingestion-storage';

const DEFAULT_SWEEP_MS = 10_000;
const DEFAULT_GRACE_SECONDS = 30;

/**
 * Deletes the batch blobs a run left under runs/{runId}/ once it has ended: batches of a run that failed or was
 * canceled before they were ingested, a blob whose message never made it, blobs kept by a crash between a message's
 * delete and its blob's. Looks through the container at start-up (runs that ended while the emulator was down, or
 * before it had this sweep) and then every `leftoverSweepMs`; a run's blobs go `leftoverGraceSeconds` after its end.
 * Runs the emulator does not know are left alone. Off with PURVIEW_KEEP_INGESTION_BLOBS.
 */
@Injectable()
export class IngestionLeftoverSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Ingestion');
  private timer?: NodeJS.Timeout;
  private readonly abort = new AbortController();
  private sweeping?: Promise<number>;
  private failing = false;

  constructor(
    private readonly storage: IngestionStorage,
    @Inject(INGESTION_RESULT_SINK) private readonly sink: IngestionResultSink,
    @Inject(INGESTION_OPTIONS) private readonly options: IngestionOptions,
  ) {}

  onModuleInit(): void {
    if (this.options.keepBlobs) return;
    const periodMs = this.options.leftoverSweepMs ?? DEFAULT_SWEEP_MS;
    const tick = () => {
      void this.sweepQuietly().finally(() => {
        if (!this.abort.signal.aborted) this.timer = setTimeout(tick, periodMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.sweeping?.catch(() => undefined);
  }

  /** One pass; returns how many blobs it deleted. Public for tests. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    const signal = this.abort.signal;
    const folders = await this.storage.runFolders(signal);
    if (folders.length === 0) return 0;
    const ended = await this.sink.endedRuns(folders, this.options.leftoverGraceSeconds ?? DEFAULT_GRACE_SECONDS);
    let deleted = 0;
    for (const runId of ended) {
      if (signal.aborted) break;
      const count = await this.storage.deleteRunFolder(runId, signal);
      deleted += count;
      if (count > 0)
        this.logger.log(
          `Deleted ${count} batch blob(s) that run ${runId} left under ${RUNS_FOLDER}${runId}/ after it ended.`,
        );
    }
    return deleted;
  }

  private async sweepQuietly(): Promise<void> {
    try {
      await this.sweep();
      this.failing = false;
    } catch (error) {
      if (this.abort.signal.aborted) return;
      // Storage down: the consumer reports that already; try again next time.
      if (!this.failing)
        this.logger.warn(`Could not look for leftover batch blobs: ${describeError(error)}; trying again later.`);
      this.failing = true;
    }
  }
}
