import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SelfHostedIntegrationRuntimeNode } from '@purview-emulator/contracts';

/** A registered node. Its credential is kept only as a hash; liveness is derived from `lastConnectMs`. */
@Entity('integration_runtime_nodes')
export class IntegrationRuntimeNodeEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ name: 'integration_runtime_id', type: 'varchar' }) integrationRuntimeId!: string;
  @Column({ name: 'node_name', type: 'varchar' }) nodeName!: string;
  @Column({ name: 'machine_name', type: 'varchar' }) machineName!: string;
  @Column({ name: 'credential_hash', type: 'varchar' }) credentialHash!: string;
  @Column({ name: 'registered_with', type: 'varchar' }) registeredWith!: string;
  @Column({ type: 'varchar' }) version!: string;
  @Column({ type: 'varchar', nullable: true }) os!: string | null;
  @Column({ type: 'integer' }) cores!: number;
  @Column({ name: 'memory_mb', type: 'integer' }) memoryMb!: number;
  @Column({ name: 'register_time', type: 'varchar' }) registerTime!: string;
  @Column({ name: 'last_connect_ms', type: 'integer', nullable: true }) lastConnectMs!: number | null;
  @Column({ name: 'last_start_time', type: 'varchar', nullable: true }) lastStartTime!: string | null;
  @Column({ name: 'running_jobs', type: 'integer', default: 0 }) runningJobs!: number;
  @Column({ name: 'available_memory_mb', type: 'real', nullable: true }) availableMemoryMb!: number | null;
  @Column({ name: 'cpu_utilization', type: 'real', nullable: true }) cpuUtilization!: number | null;
  @Column({ name: 'relay_connected', type: 'boolean', nullable: true }) relayConnected!: boolean | null;
  @Column({ name: 'concurrent_jobs_limit', type: 'integer', nullable: true }) concurrentJobsLimit!: number | null;
  @Column({ name: 'max_concurrent_jobs', type: 'integer' }) maxConcurrentJobs!: number;
  /** "Remote access from intranet": needed on an existing node before another node may join. */
  @Column({ name: 'remote_access_enabled', type: 'boolean', default: false }) remoteAccessEnabled!: boolean;
  @Column({ name: 'remote_access_port', type: 'integer', nullable: true }) remoteAccessPort!: number | null;
  @Column({ type: 'boolean', default: false }) upgrading!: boolean;
  @Column({ name: 'last_stop_time', type: 'varchar', nullable: true }) lastStopTime!: string | null;
  @Column({ name: 'last_update_result', type: 'varchar', default: 'None' })
  lastUpdateResult!: SelfHostedIntegrationRuntimeNode['lastUpdateResult'];
}
