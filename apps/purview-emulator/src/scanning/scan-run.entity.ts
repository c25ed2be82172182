import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DiscoveryStatus, IngestionStatus, ScanRunStatus } from '@purview-emulator/contracts';

export interface RunNotification {
  code: string;
  message: string;
}

/**
 * One scan run, which is also the one job a runtime node leases for it (jobId = run id). Table `scan_runs`.
 *
 * The run keeps a snapshot of what it scans (data source kind and endpoint, ruleset, integration runtime) taken when
 * it was queued, so editing the scan later does not change a run in flight. Every timestamp is an ISO-8601 UTC
 * string from `Clock.iso()` (they sort and compare as text). `seq` orders runs (history is newest first; leasing
 * is oldest first). Lease columns are set only while a node holds the job.
 */
@Entity('scan_runs')
@Index('ux_scan_runs_seq', ['seq'], { unique: true })
@Index('ix_scan_runs_scan_id_seq', ['scanId', 'seq'])
@Index('ix_scan_runs_queue', ['integrationRuntimeName', 'status', 'seq'])
@Index('ix_scan_runs_lease_expires_at', ['status', 'leaseExpiresAt'])
export class ScanRunEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ name: 'scan_id', type: 'varchar' }) scanId!: string;
  @Column({ name: 'data_source_name', type: 'varchar' }) dataSourceName!: string;
  @Column({ name: 'scan_name', type: 'varchar' }) scanName!: string;
  @Column({ name: 'data_source_kind', type: 'varchar' }) dataSourceKind!: string;
  @Column({ type: 'varchar', nullable: true }) endpoint!: string | null;
  @Column({ name: 'scan_ruleset_name', type: 'varchar' }) scanRulesetName!: string;
  @Column({ name: 'scan_ruleset_type', type: 'varchar' }) scanRulesetType!: 'Custom' | 'System';
  @Column({ name: 'scan_level', type: 'varchar' }) scanLevel!: 'Full' | 'Incremental';
  @Column({ name: 'integration_runtime_name', type: 'varchar', collation: 'NOCASE', nullable: true }) integrationRuntimeName!: string | null;

  @Column({ type: 'varchar' }) status!: ScanRunStatus;
  @Column({ name: 'discovery_status', type: 'varchar' }) discoveryStatus!: DiscoveryStatus;
  @Column({ name: 'ingestion_status', type: 'varchar' }) ingestionStatus!: IngestionStatus;

  @Column({ name: 'queued_time', type: 'varchar' }) queuedTime!: string;
  @Column({ name: 'start_time', type: 'varchar', nullable: true }) startTime!: string | null;
  @Column({ name: 'pipeline_start_time', type: 'varchar', nullable: true }) pipelineStartTime!: string | null;
  @Column({ name: 'end_time', type: 'varchar', nullable: true }) endTime!: string | null;
  @Column({ name: 'discovery_start_time', type: 'varchar', nullable: true }) discoveryStartTime!: string | null;
  @Column({ name: 'discovery_end_time', type: 'varchar', nullable: true }) discoveryEndTime!: string | null;
  @Column({ name: 'ingestion_start_time', type: 'varchar', nullable: true }) ingestionStartTime!: string | null;
  @Column({ name: 'ingestion_end_time', type: 'varchar', nullable: true }) ingestionEndTime!: string | null;
  @Column({ name: 'ingestion_updated_at', type: 'varchar', nullable: true }) ingestionUpdatedAt!: string | null;

  /** 1 for the first lease; +1 each time an expired lease puts the run back in the queue. */
  @Column({ type: 'integer' }) attempt!: number;
  @Column({ name: 'lease_id', type: 'varchar', nullable: true }) leaseId!: string | null;
  @Column({ name: 'lease_expires_at', type: 'varchar', nullable: true }) leaseExpiresAt!: string | null;
  @Column({ name: 'lease_node_id', type: 'varchar', nullable: true }) leaseNodeId!: string | null;
  @Column({ name: 'lease_node_name', type: 'varchar', nullable: true }) leaseNodeName!: string | null;
  /** The lease that completed the job, so a repeated complete call is recognised and changes nothing. */
  @Column({ name: 'completed_lease_id', type: 'varchar', nullable: true }) completedLeaseId!: string | null;
  /** Names of the nodes that leased this run, in order, without repeats (JSON). */
  @Column({ type: 'simple-json' }) nodes!: string[];

  @Column({ name: 'assets_discovered', type: 'integer' }) assetsDiscovered!: number;
  @Column({ name: 'assets_classified', type: 'integer' }) assetsClassified!: number;
  @Column({ name: 'assets_failed', type: 'integer' }) assetsFailed!: number;
  @Column({ name: 'batches_uploaded', type: 'integer' }) batchesUploaded!: number;
  /** Batches the runtime says it uploaded in total; null until discovery completes. */
  @Column({ name: 'batch_count', type: 'integer', nullable: true }) batchCount!: number | null;
  @Column({ name: 'batches_ingested', type: 'integer' }) batchesIngested!: number;
  @Column({ name: 'ingested_assets_succeeded', type: 'integer' }) ingestedAssetsSucceeded!: number;
  @Column({ name: 'ingested_assets_failed', type: 'integer' }) ingestedAssetsFailed!: number;
  @Column({ name: 'ingested_relationships', type: 'integer' }) ingestedRelationships!: number;

  @Column({ name: 'error_code', type: 'varchar', nullable: true }) errorCode!: string | null;
  @Column({ name: 'error_message', type: 'text', nullable: true }) errorMessage!: string | null;
  /** `diagnostics.notifications` (JSON). */
  @Column({ type: 'simple-json' }) notifications!: RunNotification[];
}

/** An ingested batch of a run (table `scan_run_batches`): the key that makes at-least-once delivery count once. */
@Entity('scan_run_batches')
export class ScanRunBatchEntity {
  @PrimaryColumn({ name: 'run_id', type: 'varchar' }) runId!: string;
  @PrimaryColumn({ name: 'batch_id', type: 'varchar' }) batchId!: string;
  @Column({ name: 'assets_succeeded', type: 'integer' }) assetsSucceeded!: number;
  @Column({ name: 'assets_failed', type: 'integer' }) assetsFailed!: number;
  @Column({ type: 'integer' }) relationships!: number;
  @Column({ name: 'recorded_at', type: 'varchar' }) recordedAt!: string;
}
