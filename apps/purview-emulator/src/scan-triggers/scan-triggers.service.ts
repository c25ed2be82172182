import { Injectable } from '@nestjs/common';
import type { TriggerState } from '@purview-emulator/contracts';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { ScansService } from '../scanning/scans.service';
import { ScanTriggerEntity } from './scan-trigger.entity';
import { ScanTriggersRepository } from './scan-triggers.repository';
import { TriggerInput } from './trigger-input';
import { RecurrencePlan } from './trigger-recurrence';
import { TriggerSchedulerService } from './trigger-scheduler.service';

/** A trigger with the canonical names of its data source and scan (for its `id`). */
export interface TriggerOfScan {
  trigger: ScanTriggerEntity;
  dataSourceName: string;
  scanName: string;
}

/**
 * Scan triggers (Triggers_*): one `default` trigger per scan. Saving, enabling or disabling one computes its next
 * occurrence from now (a trigger does not fire for occurrences before it was saved or enabled) and wakes the
 * scheduler, which starts the runs.
 */
@Injectable()
export class ScanTriggersService {
  constructor(
    private readonly scans: ScansService,
    private readonly repository: ScanTriggersRepository,
    private readonly scheduler: TriggerSchedulerService,
    private readonly clock: Clock,
  ) {}

  async get(dataSourceName: string, scanName: string): Promise<TriggerOfScan> {
    const { dataSource, scan } = await this.scans.require(dataSourceName, scanName);
    const trigger = await this.repository.findByScan(scan.id);
    if (!trigger) throw notFound(scan.name);
    return { trigger, dataSourceName: dataSource.name, scanName: scan.name };
  }

  /** Creates (201) or replaces (200) the scan's trigger; createdAt and lastScheduled survive a replace. */
  async createOrReplace(
    dataSourceName: string,
    scanName: string,
    input: TriggerInput,
  ): Promise<TriggerOfScan & { created: boolean }> {
    const { dataSource, scan } = await this.scans.require(dataSourceName, scanName);
    const existing = await this.repository.findByScan(scan.id);
    const now = this.clock.iso();
    const trigger: ScanTriggerEntity = {
      scanId: scan.id,
      ...input,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      lastScheduled: existing?.lastScheduled ?? null,
      nextRunAt: null,
    };
    trigger.nextRunAt = this.nextRunOf(trigger);
    await this.repository.save(trigger);
    this.scheduler.wake();
    return { trigger, dataSourceName: dataSource.name, scanName: scan.name, created: !existing };
  }

  async delete(dataSourceName: string, scanName: string): Promise<void> {
    const { trigger } = await this.get(dataSourceName, scanName);
    await this.repository.delete(trigger.scanId);
    this.scheduler.wake();
  }

  /** `:enable` / `:disable`: sets `state` and answers the trigger. */
  async setState(dataSourceName: string, scanName: string, state: TriggerState): Promise<TriggerOfScan> {
    const found = await this.get(dataSourceName, scanName);
    const trigger = { ...found.trigger, state };
    if (found.trigger.state !== state) trigger.updatedAt = this.clock.iso();
    trigger.nextRunAt = this.nextRunOf(trigger);
    await this.repository.save(trigger);
    this.scheduler.wake();
    return { ...found, trigger };
  }

  /** The first occurrence after now of an enabled trigger; null when disabled or past its endTime. */
  private nextRunOf(trigger: ScanTriggerEntity): string | null {
    if (trigger.state !== 'Enabled') return null;
    return new RecurrencePlan(trigger.recurrence, trigger.createdAt).nextAfter(this.clock.now())?.toISOString() ?? null;
  }
}

function notFound(scanName: string): PurviewError {
  return PurviewError.notFound(`The trigger of scan '${scanName}'`, 'default', 'TriggerNotFound');
}
