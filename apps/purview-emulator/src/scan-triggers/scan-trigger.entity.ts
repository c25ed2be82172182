import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ScanLevel, TriggerRecurrence, TriggerState } from '@purview-emulator/contracts';

/**
 * A scan's trigger (table `scan_triggers`): one per scan (`default`), deleted with the scan (ON DELETE CASCADE).
 * `nextRunAt` is the next occurrence the scheduler waits for (null: disabled, or past endTime); every timestamp is
 * an ISO-8601 UTC string from the emulator clock, so they compare as text.
 */
@Entity('scan_triggers')
@Index('ix_scan_triggers_due', ['state', 'nextRunAt'])
export class ScanTriggerEntity {
  @PrimaryColumn({ name: 'scan_id', type: 'varchar' }) scanId!: string;
  /** `TriggerRecurrence`, normalized (timeZone as the client spelled the zone's name, interval defaulted). */
  @Column({ type: 'simple-json' }) recurrence!: TriggerRecurrence;
  @Column({ name: 'recurrence_interval', type: 'varchar', nullable: true }) recurrenceInterval!: string | null;
  @Column({ name: 'scan_level', type: 'varchar' }) scanLevel!: ScanLevel;
  @Column({ name: 'incremental_scan_start_time', type: 'varchar', nullable: true })
  incrementalScanStartTime!: string | null;
  @Column({ type: 'varchar' }) state!: TriggerState;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
  /** The occurrence the last scheduled run was started for. */
  @Column({ name: 'last_scheduled', type: 'varchar', nullable: true }) lastScheduled!: string | null;
  @Column({ name: 'next_run_at', type: 'varchar', nullable: true }) nextRunAt!: string | null;
}
