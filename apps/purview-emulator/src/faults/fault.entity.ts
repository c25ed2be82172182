import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FaultSpec } from '@purview-emulator/contracts';

/** One injected fault (table `emulator_faults`): faults survive a restart, like everything else accepted. */
@Entity('emulator_faults')
export class FaultEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'simple-json' }) spec!: FaultSpec;
  /** Occurrences left; null without a count. */
  @Column({ type: 'integer', nullable: true }) remaining!: number | null;
  /** End on the emulator clock; null without a duration. */
  @Column({ name: 'expires_at', type: 'varchar', nullable: true }) expiresAt!: string | null;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ type: 'integer' }) fired!: number;
}
