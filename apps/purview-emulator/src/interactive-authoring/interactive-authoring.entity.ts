import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Interactive authoring of one integration runtime (table `interactive_authoring`). A row that is `enabled` counts
 * as on only until `expiresAt` on the emulator clock: it switches itself off by being read, with no timer to miss.
 */
@Entity('interactive_authoring')
export class InteractiveAuthoringEntity {
  @PrimaryColumn({ name: 'integration_runtime_id', type: 'varchar' }) integrationRuntimeId!: string;
  @Column({ type: 'boolean' }) enabled!: boolean;
  @Column({ name: 'auto_termination_minutes', type: 'integer' }) autoTerminationMinutes!: number;
  @Column({ name: 'enabled_at', type: 'varchar' }) enabledAt!: string;
  @Column({ name: 'expires_at', type: 'varchar' }) expiresAt!: string;
  @Column({ name: 'disabled_at', type: 'varchar', nullable: true }) disabledAt!: string | null;
}
