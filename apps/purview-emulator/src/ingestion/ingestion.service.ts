import { ResetHooks } from '../common/reset-hooks';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { IngestionProcessor } from './ingestion.processor';
import { INGESTION_OPTIONS, IngestionOptions } from './ingestion-result-sink';
import { IngestionStorage, ReceivedIngestionMessage, describeError } from './ingestion-storage';

/** `receiveMessages` allows at most 32 per call. */
export const RECEIVE_BATCH = 32;
/**
 * How long a received message stays invisible. Short, and renewed every third of it while the consumer still works
 * on the message: if the emulator dies holding messages, they come back within this long (not a minute).
 */
export const VISIBILITY_TIMEOUT_SECONDS = 10;
const BACKOFF_MAX_MS = 10_000;
/** While storage has never been reachable, health says Starting for this long, then Unavailable. */
const STARTUP_GRACE_MS = 30_000;

export interface IngestionHealth {
  state: 'Starting' | 'Ready' | 'Unavailable';
  detail: string;
  ingestedBatches: number;
  lastError?: string;
}

/**
 * The ingestion consumer: started in the background when the module initializes (boot never waits for Azurite),
 * it creates the container and queues (retrying with backoff until Azurite answers), then polls the queue:
 * right away again after a non-empty receive, every `storage.ingestionPollMs` when idle. Stopped on module destroy.
 */
@Injectable()
export class IngestionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Ingestion');
  private loop?: Promise<void>;
  private abort = new AbortController();
  private wake?: () => void;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private ready = false;
  private everReady = false;
  private failing = false;
  private startedAt = performance.now();
  private ingested = 0;
  private poisoned = 0;
  private readonly lagObservers: ((lagSeconds: number) => void)[] = [];
  private lastError?: string;

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly storage: IngestionStorage,
    private readonly processor: IngestionProcessor,
    @Inject(INGESTION_OPTIONS) private readonly options: IngestionOptions,
    @Optional() private readonly resets?: ResetHooks,
  ) {}

  private get visibilitySeconds(): number {
    return this.options.visibilityTimeoutSeconds ?? VISIBILITY_TIMEOUT_SECONDS;
  }

  onModuleInit(): void {
    // Batches still queued belong to runs a reset deleted: ingested later, they would bring their assets back.
    this.resets?.register('ingestion storage', async () => {
      await this.storage.clearQueue();
      for (const runId of await this.storage.runFolders()) await this.storage.deleteRunFolder(runId);
    });
    this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.loop) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.startedAt = performance.now();
    this.loop = this.run().catch((error: unknown) => {
      this.logger.error(`Ingestion consumer stopped unexpectedly: ${describeError(error)}`);
    });
  }

  /** Stops polling, aborts storage calls in flight and waits for the current message to settle. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  health(): IngestionHealth {
    const where = this.storage.describe();
    const base = { ingestedBatches: this.ingested, ...(this.lastError ? { lastError: this.lastError } : {}) };
    if (this.ready)
      return {
        state: 'Ready',
        detail: `Consuming ${where}; ${this.poisoned} message(s) moved to the poison queue.`,
        ...base,
      };
    if (!this.everReady && performance.now() - this.startedAt < STARTUP_GRACE_MS)
      return { state: 'Starting', detail: `Waiting for Azurite: ${where}.`, ...base };
    return {
      state: 'Unavailable',
      detail: `Ingestion storage is not reachable: ${where}. Is Azurite running?`,
      ...base,
    };
  }

  /**
   * Calls `observer` with each ingested batch's lag: seconds from the runtime queueing it to its assets being in the
   * data map (for `/_emulator/metrics`). Real time on both ends, as the queue stamps it, whatever the emulator clock says.
   */
  onIngested(observer: (lagSeconds: number) => void): void {
    this.lagObservers.push(observer);
  }

  /** Batches ingested and messages moved to the poison queue since start, for `/_emulator/metrics`. */
  counts(): { ingested: number; poisoned: number } {
    return { ingested: this.ingested, poisoned: this.poisoned };
  }

  private async run(): Promise<void> {
    const initialBackoff = Math.min(this.config.storage.ingestionPollMs, 500);
    let backoff = initialBackoff;
    let ensured = false;
    while (!this.stopped) {
      try {
        if (!ensured) {
          await this.storage.ensure(this.abort.signal);
          ensured = true;
          this.logger.log(`Ingestion consumer ready: ${this.storage.describe()}.`);
        }
        const messages = await this.storage.receive(RECEIVE_BATCH, this.visibilitySeconds, this.abort.signal);
        this.markReady();
        backoff = initialBackoff;
        const held = new Set(messages);
        const keeper = this.keepInvisible(held);
        try {
          for (const message of messages) {
            if (this.stopped) break;
            await this.processOne(message);
            held.delete(message);
          }
        } finally {
          clearInterval(keeper);
        }
        if (messages.length === 0) await this.sleep(this.config.storage.ingestionPollMs);
      } catch (error) {
        if (this.stopped) break;
        this.markFailed(error, backoff);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      }
    }
  }

  /** Renews the visibility of the messages still held, every third of the timeout, until cleared. */
  private keepInvisible(held: Set<ReceivedIngestionMessage>): NodeJS.Timeout {
    const timer = setInterval(
      () => {
        for (const message of held) {
          this.storage.renewVisibility(message, this.visibilitySeconds, this.abort.signal).catch((error: unknown) => {
            // It may come back before we are done: a redelivery is harmless (batches count once), just slower.
            if (!this.stopped)
              this.logger.debug(
                `Could not renew the visibility of ingestion message ${message.messageId}: ${describeError(error)}`,
              );
          });
        }
      },
      (this.visibilitySeconds * 1000) / 3,
    );
    timer.unref();
    return timer;
  }

  private async processOne(message: ReceivedIngestionMessage): Promise<void> {
    try {
      const outcome = await this.processor.process(message, this.abort.signal);
      if (outcome.kind === 'ingested') {
        this.ingested++;
        const lagSeconds = Math.max(0, (Date.now() - message.insertedOn.getTime()) / 1000);
        for (const observer of this.lagObservers) observer(lagSeconds);
      } else if (outcome.kind === 'poisoned') this.poisoned++;
    } catch (error) {
      if (this.stopped) return;
      // Left on the queue: it becomes visible again after the visibility timeout and is retried (then poisoned).
      this.lastError = describeError(error);
      this.logger.warn(
        `Ingestion message ${message.messageId} failed (delivery ${message.dequeueCount}); it will be retried: ${this.lastError}`,
      );
    }
  }

  private markReady(): void {
    if (this.failing && this.everReady)
      this.logger.log(`Ingestion storage reachable again: ${this.storage.describe()}.`);
    this.failing = false;
    this.ready = true;
    this.everReady = true;
  }

  private markFailed(error: unknown, backoff: number): void {
    const text = describeError(error);
    const firstFailure = !this.failing;
    this.failing = true;
    this.ready = false;
    this.lastError = text;
    const message = `Ingestion storage not reachable (${this.storage.describe()}): ${text}; retrying in ${backoff} ms.`;
    if (firstFailure) this.logger.warn(message);
    else this.logger.debug(message);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      };
      this.timer = setTimeout(() => this.wake?.(), ms);
    });
  }
}
