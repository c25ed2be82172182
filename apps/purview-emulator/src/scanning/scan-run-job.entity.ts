import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Where a part of a run is: `Queued` for any node of the IR, `Leased` by one node, `Completed` (discovery of the
 * part done, its batches announced), `Failed` (the run failed because of it) or `Canceled` (the run ended otherwise).
 */
export type ScanRunJobStatus = 'Queued' | 'Leased' | 'Completed' | 'Failed' | 'Canceled';

/**
 * One part of a scan run, which is what a runtime node leases (table `scan_run_jobs`). A run has one part, or, for a
 * storage scan spread across the nodes of its integration runtime, up to four: part `partIndex` of `partCount` scans
 * the blobs whose `blobPartitionOf(name, partCount)` is `partIndex`. The job id is this row's id (opaque to nodes).
 *
 * `integrationRuntimeName` and `runSeq` repeat the run's, so the queue (oldest run first, then part order) is one
 * indexed query. Lease columns are set only while a node holds the part. Counts are the part's last report.
 */
@Entity('scan_run_jobs')
@Index('ux_scan_run_jobs_run_part', ['runId', 'partIndex'], { unique: true })
@Index('ix_scan_run_jobs_queue', ['integrationRuntimeName', 'status', 'runSeq', 'partIndex'])
@Index('ix_scan_run_jobs_lease_expires_at', ['status', 'leaseExpiresAt'])
@Index('ix_scan_run_jobs_lease_node', ['leaseNodeId', 'status'])
export class ScanRunJobEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ name: 'run_id', type: 'varchar' }) runId!: string;
  @Column({ name: 'run_seq', type: 'integer' }) runSeq!: number;
  @Column({ name: 'integration_runtime_name', type: 'varchar', collation: 'NOCASE' }) integrationRuntimeName!: string;
  @Column({ name: 'part_index', type: 'integer' }) partIndex!: number;
  @Column({ name: 'part_count', type: 'integer' }) partCount!: number;

  @Column({ type: 'varchar' }) status!: ScanRunJobStatus;
  /** 1 for the first lease; +1 each time an expired lease puts the part back in the queue. */
  @Column({ type: 'integer' }) attempt!: number;
  @Column({ name: 'lease_id', type: 'varchar', nullable: true }) leaseId!: string | null;
  @Column({ name: 'lease_expires_at', type: 'varchar', nullable: true }) leaseExpiresAt!: string | null;
  @Column({ name: 'lease_node_id', type: 'varchar', nullable: true }) leaseNodeId!: string | null;
  @Column({ name: 'lease_node_name', type: 'varchar', nullable: true }) leaseNodeName!: string | null;
  /** The lease that completed the part, so a repeated complete call is recognised and changes nothing. */
  @Column({ name: 'completed_lease_id', type: 'varchar', nullable: true }) completedLeaseId!: string | null;
  /** Names of the nodes that leased this part, in order, without repeats (JSON). */
  @Column({ type: 'simple-json' }) nodes!: string[];

  @Column({ name: 'assets_discovered', type: 'integer' }) assetsDiscovered!: number;
  @Column({ name: 'assets_classified', type: 'integer' }) assetsClassified!: number;
  @Column({ name: 'assets_failed', type: 'integer' }) assetsFailed!: number;
  @Column({ name: 'batches_uploaded', type: 'integer' }) batchesUploaded!: number;
  /** Batches the node says it uploaded for this part; null until the part completes. */
  @Column({ name: 'batch_count', type: 'integer', nullable: true }) batchCount!: number | null;

  @Column({ name: 'error_code', type: 'varchar', nullable: true }) errorCode!: string | null;
  @Column({ name: 'error_message', type: 'text', nullable: true }) errorMessage!: string | null;
  @Column({ name: 'created_at', type: 'varchar' }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar' }) updatedAt!: string;
  /** A part re-queued after its node could not reach storage is not leased before this time (ISO); null: at once. */
  @Column({ name: 'not_before', type: 'varchar', nullable: true }) notBefore!: string | null;
}
