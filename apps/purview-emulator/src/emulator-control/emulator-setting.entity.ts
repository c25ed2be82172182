import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One emulator-wide setting that survives restarts (today: the clock offset). */
@Entity('emulator_settings')
export class EmulatorSettingEntity {
  @PrimaryColumn({ type: 'varchar' }) key!: string;
  @Column({ type: 'text' }) value!: string;
}
