import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The hybrid connection of one integration runtime and the secrets of its two SAS rules: a manage rule (Listen and
 * Send; handed to tools through the emulator extension) and a listen-only rule that signs the nodes' short-lived tokens.
 */
@Entity('relay_hybrid_connections')
@Index('ux_relay_hybrid_connections_path', ['path'], { unique: true })
export class HybridConnectionEntity {
  @PrimaryColumn({ name: 'integration_runtime_id', type: 'varchar' }) integrationRuntimeId!: string;
  @Column({ type: 'varchar' }) path!: string;
  @Column({ type: 'boolean', default: true }) enabled!: boolean;
  @Column({ name: 'manage_key', type: 'varchar' }) manageKey!: string;
  @Column({ name: 'listen_key', type: 'varchar' }) listenKey!: string;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
}
