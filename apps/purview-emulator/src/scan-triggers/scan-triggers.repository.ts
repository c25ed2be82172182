import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { ScanTriggerEntity } from './scan-trigger.entity';

/** A due trigger with the names of its scan and data source (to start the run through the scanning module). */
export interface DueTrigger {
  trigger: ScanTriggerEntity;
  dataSourceName: string;
  scanName: string;
}

/** All SQL for scan triggers. */
@Injectable()
export class ScanTriggersRepository {
  constructor(@InjectRepository(ScanTriggerEntity) private readonly triggers: Repository<ScanTriggerEntity>) {}

  findByScan(scanId: string): Promise<ScanTriggerEntity | null> {
    return this.triggers.findOneBy({ scanId });
  }

  async save(entity: ScanTriggerEntity): Promise<void> {
    await this.triggers.save(entity);
  }

  async delete(scanId: string): Promise<void> {
    await this.triggers.delete({ scanId });
  }

  /** Enabled triggers whose next occurrence is at or before `now`, oldest first. */
  async due(now: string): Promise<DueTrigger[]> {
    const rows = await this.triggers.query<{ scan_id: string; data_source_name: string; scan_name: string }[]>(
      `SELECT t."scan_id", ds."name" AS "data_source_name", s."name" AS "scan_name"
         FROM "scan_triggers" t JOIN "scans" s ON s."id" = t."scan_id" JOIN "data_sources" ds ON ds."id" = s."data_source_id"
        WHERE t."state" = 'Enabled' AND t."next_run_at" IS NOT NULL AND t."next_run_at" <= ?
        ORDER BY t."next_run_at"`,
      [now],
    );
    const result: DueTrigger[] = [];
    for (const row of rows) {
      const trigger = await this.triggers.findOneBy({ scanId: row.scan_id });
      if (trigger) result.push({ trigger, dataSourceName: row.data_source_name, scanName: row.scan_name });
    }
    return result;
  }

  /** The earliest next occurrence of an enabled trigger, if any. */
  async earliestNextRun(): Promise<string | null> {
    const next = await this.triggers.findOne({
      where: { state: 'Enabled', nextRunAt: Not(IsNull()) },
      order: { nextRunAt: 'ASC' },
    });
    return next?.nextRunAt ?? null;
  }

  /** Records a fired occurrence, unless the trigger was replaced or re-enabled meanwhile (its nextRunAt moved). */
  async markFired(
    scanId: string,
    firedNextRunAt: string,
    lastScheduled: string,
    nextRunAt: string | null,
  ): Promise<void> {
    await this.triggers.update({ scanId, nextRunAt: firedNextRunAt }, { lastScheduled, nextRunAt });
  }
}
