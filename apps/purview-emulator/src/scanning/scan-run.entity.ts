import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type {
  DiscoveryStatus,
  IngestionStatus,
  RunType,
  ScanLevel,
  ScanRulesetType,
  ScanJobFilter,
  ScanJobRuleset,
  ScanRunStatus,
} from '@purview-emulator/contracts';

/**
 * One `diagnostics.notifications` entry as stored: `code` is a ScanNotificationCode. Rows written before codes were
 * numbers hold the name instead (`code: 'LeaseExpired'`); the mapper turns those into numbers on the way out.
 */
export interface RunNotification {
  code: number | string;
  message: string;
}

/**
 * One scan run (table `scan_runs`). Nodes lease its parts (`scan_run_jobs`), never the run itself: the run's status
 * and counts are aggregated from its parts (scan-run-job.state.ts).
 *
 * The run keeps a snapshot of what it scans (data source kind and endpoint, ruleset, integration runtime) taken when
 * it was queued, so editing the scan later does not change a run in flight. Every timestamp is an ISO-8601 UTC
 * string from `Clock.iso()` (they sort and compare as text). `seq` orders runs (history is newest first; leasing
 * is oldest first).
 */
@Entity('scan_runs')
@Index('ux_scan_runs_seq', ['seq'], { unique: true })
@Index('ix_scan_runs_scan_id_seq', ['scanId', 'seq'])
@Index('ix_scan_runs_queue', ['integrationRuntimeName', 'status', 'seq'])
export class ScanRunEntity {
  @PrimaryColumn({ type: 'varchar' }) id!: string;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ name: 'scan_id', type: 'varchar' }) scanId!: string;
  @Column({ name: 'data_source_name', type: 'varchar' }) dataSourceName!: string;
  @Column({ name: 'scan_name', type: 'varchar' }) scanName!: string;
  @Column({ name: 'data_source_kind', type: 'varchar' }) dataSourceKind!: string;
  @Column({ type: 'varchar', nullable: true }) endpoint!: string | null;
  @Column({ name: 'scan_ruleset_name', type: 'varchar' }) scanRulesetName!: string;
  @Column({ name: 'scan_ruleset_type', type: 'varchar' }) scanRulesetType!: ScanRulesetType;
  @Column({ name: 'scan_level', type: 'varchar' }) scanLevel!: ScanLevel;
  /** `runType`: Manual (the run routes) or Scheduled (the scan's trigger). */
  @Column({ name: 'run_type', type: 'varchar', default: 'Manual' }) runType!: RunType;
  @Column({ name: 'integration_runtime_name', type: 'varchar', collation: 'NOCASE', nullable: true })
  integrationRuntimeName!: string | null;

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

  /** The highest attempt of its parts: 1, +1 each time an expired lease puts a part back in the queue. */
  @Column({ type: 'integer' }) attempt!: number;
  /** Names of the nodes that leased a part of this run, in order, without repeats (JSON). */
  @Column({ type: 'simple-json' }) nodes!: string[];

  /** Sums over the run's parts (scan_run_jobs), kept here so reads never join. */
  @Column({ name: 'assets_discovered', type: 'integer' }) assetsDiscovered!: number;
  @Column({ name: 'assets_classified', type: 'integer' }) assetsClassified!: number;
  @Column({ name: 'assets_failed', type: 'integer' }) assetsFailed!: number;
  @Column({ name: 'batches_uploaded', type: 'integer' }) batchesUploaded!: number;
  /**
   * Assets this run found gone and soft-deleted (`statistics.assets.deleted`); null until the run succeeded and
   * deleted-asset detection settled it (0 for an Incremental run: only a Full run detects deletions).
   */
  @Column({ name: 'assets_deleted', type: 'integer', nullable: true }) assetsDeleted!: number | null;
  /** Batches the nodes say they uploaded, over all parts; null until discovery of every part completes. */
  @Column({ name: 'batch_count', type: 'integer', nullable: true }) batchCount!: number | null;
  @Column({ name: 'batches_ingested', type: 'integer' }) batchesIngested!: number;
  @Column({ name: 'ingested_assets_succeeded', type: 'integer' }) ingestedAssetsSucceeded!: number;
  @Column({ name: 'ingested_assets_failed', type: 'integer' }) ingestedAssetsFailed!: number;
  @Column({ name: 'ingested_relationships', type: 'integer' }) ingestedRelationships!: number;

  @Column({ name: 'error_code', type: 'varchar', nullable: true }) errorCode!: string | null;
  @Column({ name: 'error_message', type: 'text', nullable: true }) errorMessage!: string | null;
  /** `diagnostics.notifications` (JSON). */
  @Column({ type: 'simple-json' }) notifications!: RunNotification[];
  /** The rule set and filter the run scans with, resolved when it was queued (null: runs queued before issue 12). */
  @Column({ name: 'scan_rules', type: 'simple-json', nullable: true }) scanRules!: ScanRunRules | null;
}

/** What a run scans with (see ScanJob.scanRuleset and ScanJob.filter). */
export interface ScanRunRules {
  ruleset: ScanJobRuleset;
  filter?: ScanJobFilter;
}

/**
 * One asset a scan ingested (table `scan_asset_sightings`), with the seq of the last run of the scan that ingested
 * it: what a Full run compares against to find the assets that are gone.
 */
@Entity('scan_asset_sightings')
@Index('ix_scan_asset_sightings_scan_seq', ['scanId', 'lastRunSeq'])
export class ScanAssetSightingEntity {
  @PrimaryColumn({ name: 'scan_id', type: 'varchar' }) scanId!: string;
  @PrimaryColumn({ name: 'type_name', type: 'varchar' }) typeName!: string;
  @PrimaryColumn({ name: 'qualified_name', type: 'varchar' }) qualifiedName!: string;
  @Column({ name: 'last_run_seq', type: 'integer' }) lastRunSeq!: number;
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
