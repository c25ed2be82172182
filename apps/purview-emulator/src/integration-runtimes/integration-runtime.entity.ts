import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IntegrationRuntimeAutoUpdate, IntegrationRuntimeKind } from '@purview-emulator/contracts';

/** A self-hosted integration runtime and the secrets of its two auth keys (the rest of each key is derived). */
@Entity('integration_runtimes')
export class IntegrationRuntimeEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'varchar' }) name!: string;
  @Column({ type: 'varchar' }) kind!: IntegrationRuntimeKind;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ name: 'auth_key1', type: 'varchar' }) authKey1!: string;
  @Column({ name: 'auth_key2', type: 'varchar' }) authKey2!: string;
  @Column({ name: 'auto_update', type: 'varchar', default: 'On' }) autoUpdate!: IntegrationRuntimeAutoUpdate;
  /** The node that holds the dispatcher role; it keeps it while online, so the role does not flap. */
  @Column({ name: 'dispatcher_node_id', type: 'varchar', nullable: true }) dispatcherNodeId!: string | null;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
}
