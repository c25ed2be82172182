import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { ScanRunsService } from '../scanning/scan-runs.service';
import { DueTrigger, ScanTriggersRepository } from './scan-triggers.repository';
import { RecurrencePlan } from './trigger-recurrence';

/** The longest the scheduler sleeps between looks at the triggers (a real-time safety net; the clock hook is exact). */
const MAX_SLEEP_MS = 60_000;
/** The shortest: a timer for an occurrence that has just come still lets other work run first. */
const MIN_SLEEP_MS = 50;

/**
 * Fires due triggers on the emulator clock. It looks for enabled triggers whose next occurrence has come at start
 * (so occurrences missed while the emulator was down fire once), when a trigger changes, when the emulator clock is
 * moved (`PUT /_emulator/clock`: the run starts before that call answers), and on a timer set for the next
 * occurrence. A due trigger starts one run (`runType: Scheduled`, the trigger's scanLevel) for the latest occurrence
 * that has come, records it as `lastScheduled`, and waits for the next one. When the scan already has a run queued or
 * in progress, that occurrence is skipped, as a scan runs one run at a time.
 */
@Injectable()
export class TriggerSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TriggerScheduler');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly repository: ScanTriggersRepository,
    private readonly runs: ScanRunsService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    this.stopped = false;
    this.unsubscribe = this.clock.onChange(() => this.tick());
    return this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Looks for due triggers soon (after a trigger was saved, enabled or deleted). */
  wake(): void {
    void this.tick();
  }

  /** One look at the due triggers; calls while one runs make it look once more, then resolve. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        // A call that comes while this one runs (a clock move, a saved trigger) makes it look again before it resolves.
        do {
          this.again = false;
          await this.fireDue();
          await this.sleepUntilNext();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.logger.error(`Could not fire the due triggers: ${(error as Error).message}`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async fireDue(): Promise<void> {
    const now = this.clock.now();
    for (const due of await this.repository.due(now.toISOString())) {
      if (this.stopped) return;
      await this.fire(due, now);
    }
  }

  private async fire({ trigger, dataSourceName, scanName }: DueTrigger, now: Date): Promise<void> {
    const due = new Date(trigger.nextRunAt!);
    let latest = due;
    let next: Date | null = null;
    try {
      ({ latest, next } = new RecurrencePlan(trigger.recurrence, trigger.createdAt).catchUp(due, now));
      const run = await this.runs.start(dataSourceName, scanName, undefined, trigger.scanLevel, 'Scheduled');
      this.logger.log(
        `Trigger of scan ${dataSourceName}/${scanName} started run ${run.runId} for ${latest.toISOString()}.`,
      );
    } catch (error) {
      // A scan with a run in progress (409) skips the occurrence; anything else is logged and skipped too, so one
      // trigger never keeps the others from firing. A recurrence that cannot be computed stops (next is null).
      const reason = error instanceof PurviewError ? error.message : `${(error as Error).message} (unexpected)`;
      this.logger.warn(`Trigger of scan ${dataSourceName}/${scanName} skipped ${latest.toISOString()}: ${reason}`);
    }
    await this.repository.markFired(
      trigger.scanId,
      trigger.nextRunAt!,
      latest.toISOString(),
      next?.toISOString() ?? null,
    );
  }

  private async sleepUntilNext(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const next = await this.repository.earliestNextRun();
    const wait =
      next === null
        ? MAX_SLEEP_MS
        : Math.min(MAX_SLEEP_MS, Math.max(MIN_SLEEP_MS, Date.parse(next) - this.clock.nowMs()));
    this.timer = setTimeout(() => void this.tick(), wait);
    this.timer.unref();
  }
}
