import {
  type RunType,
  type ScanLevel,
  ScanNotificationCode,
  type ScanRunStatus,
  scanNotificationCodeOf,
} from '@purview-emulator/contracts';
import type { DataSourceEntity } from './data-source.entity';
import type { ScanEntity } from './scan.entity';
import type { ScanRunEntity, ScanRunRules } from './scan-run.entity';

/**
 * The scan run state machine, as pure functions over the run entity (no I/O, no clock: callers pass `now`).
 * Discovery (leases, progress, completion) is driven by the run's parts: scan-run-job.state.ts.
 *
 *   Queued ──a part leased──▶ InProgress (discovery Running) ──every part completed──▶ InProgress (discovery
 *     ▲                           │          Succeeded, ingestion InProgress) ──all batches ingested──▶ Succeeded
 *     └──every lease expired──────┤ (a part is re-queued: attempt+1, at most MAX_ATTEMPTS; then Failed)
 *                                 ├──a part failed──▶ Failed
 *   any non-final ──cancel──▶ Canceled (discovery Cancelled, ingestion Canceled)
 */

/** Leases a part may lose to unresponsive nodes before its run fails. */
export const MAX_ATTEMPTS = 3;

const FINAL: ReadonlySet<ScanRunStatus> = new Set<ScanRunStatus>([
  'Succeeded',
  'Failed',
  'Canceled',
  'CompletedWithExceptions',
]);

export function isFinal(run: ScanRunEntity): boolean {
  return FINAL.has(run.status);
}

/** Discovery of every part is done: Succeeded, or CompletedWithExceptions when some files could not be read. */
export function isDiscoveryDone(run: ScanRunEntity): boolean {
  return run.discoveryStatus === 'Succeeded' || run.discoveryStatus === 'CompletedWithExceptions';
}

/** Purview accepts run ids with or without braces, in any case; the emulator keys them in plain lowercase. */
export function normalizeRunId(runId: string): string {
  return runId.replace(/^\{/, '').replace(/\}$/, '').toLowerCase();
}

/** What discovery has counted, on a run and on each of its parts (the run's figures are the sums of its parts'). */
export const NO_DISCOVERY_YET = {
  assetsDiscovered: 0,
  assetsClassified: 0,
  assetsFailed: 0,
  batchesUploaded: 0,
  batchCount: null,
  errorCode: null,
  errorMessage: null,
} as const;

export function newRun(args: {
  id: string;
  seq: number;
  dataSource: DataSourceEntity;
  scan: ScanEntity;
  scanLevel: ScanLevel;
  now: string;
  runType?: RunType;
  /** The rule set and filter resolved for this run (absent: the system rule set, no filter). */
  scanRules?: ScanRunRules | null;
}): ScanRunEntity {
  const { dataSource, scan } = args;
  const endpoint = dataSource.properties.endpoint;
  return {
    id: args.id,
    seq: args.seq,
    scanId: scan.id,
    dataSourceName: dataSource.name,
    scanName: scan.name,
    dataSourceKind: dataSource.kind,
    endpoint: typeof endpoint === 'string' ? endpoint : null,
    scanRulesetName: scan.scanRulesetName,
    scanRulesetType: scan.scanRulesetType,
    scanLevel: args.scanLevel,
    runType: args.runType ?? 'Manual',
    integrationRuntimeName: scan.integrationRuntimeName,
    status: 'Queued',
    discoveryStatus: 'Queued',
    ingestionStatus: 'Queued',
    queuedTime: args.now,
    startTime: null,
    pipelineStartTime: null,
    endTime: null,
    discoveryStartTime: null,
    discoveryEndTime: null,
    ingestionStartTime: null,
    ingestionEndTime: null,
    ingestionUpdatedAt: null,
    attempt: 1,
    ...NO_DISCOVERY_YET,
    nodes: [], // a fresh array per row: it grows as nodes take part
    batchesIngested: 0,
    assetsDeleted: null,
    ingestedAssetsSucceeded: 0,
    ingestedAssetsFailed: 0,
    ingestedRelationships: 0,
    notifications: [],
    scanRules: args.scanRules ?? null,
  };
}

/**
 * The level a run really scans at. Incremental needs a baseline: the scan's last Succeeded run, with the same scan
 * rule set. Without one (the first run, or the rule set changed since), the run is Full whatever was asked, as in
 * Purview ("Initial scan is a full scan"; "If you modify the ... scan rule set, a full scan is triggered").
 */
export function effectiveScanLevel(
  asked: ScanLevel,
  scan: Pick<ScanEntity, 'scanRulesetName' | 'scanRulesetType'>,
  lastSucceeded:
    (Pick<ScanRunEntity, 'scanRulesetName' | 'scanRulesetType'> & Partial<Pick<ScanRunEntity, 'scanRules'>>) | null,
  rulesetVersion?: number,
): ScanLevel {
  if (asked === 'Full' || !lastSucceeded) return 'Full';
  const baselineVersion = lastSucceeded.scanRules?.ruleset.version;
  const sameRuleset =
    lastSucceeded.scanRulesetName.toLowerCase() === scan.scanRulesetName.toLowerCase() &&
    lastSucceeded.scanRulesetType === scan.scanRulesetType &&
    (rulesetVersion === undefined || baselineVersion === undefined || baselineVersion === rulesetVersion);
  return sameRuleset ? 'Incremental' : 'Full';
}

/** Where an incremental run reads from: when its baseline run started (anything changed since then is read again). */
export function incrementalSinceOf(baseline: Pick<ScanRunEntity, 'startTime' | 'queuedTime'>): string {
  return baseline.startTime ?? baseline.queuedTime;
}

/** Ends a run as Failed; the message goes to `errorMessage`, `error` and the notifications. */
export function failRun(run: ScanRunEntity, now: string, code: string, message: string): void {
  if (!isDiscoveryDone(run)) {
    if (run.discoveryStatus === 'Running') run.discoveryEndTime ??= now;
    run.discoveryStatus = 'Failed';
  }
  run.ingestionStatus = run.batchesIngested > 0 ? 'PartialSucceeded' : 'None';
  if (run.batchesIngested > 0) run.ingestionEndTime ??= now;
  run.status = 'Failed';
  run.endTime = now;
  run.errorCode = code;
  run.errorMessage = message;
  run.notifications = [...run.notifications, { code: scanNotificationCodeOf(code), message }];
}

/**
 * Ends the run as Succeeded once discovery is done and every announced batch has been ingested. Batches are
 * counted once per distinct batchId over the run's life, so a retried attempt should reuse its ids (e.g. one per
 * sequence number, as `batch-0001`): re-sent batches then dedupe instead of counting twice.
 */
export function finishIfIngested(run: ScanRunEntity, now: string): void {
  if (run.status !== 'InProgress' || !isDiscoveryDone(run) || run.batchCount === null) return;
  if (run.batchesIngested < run.batchCount) return;
  run.status = 'Succeeded';
  run.ingestionStatus = 'Succeeded';
  run.ingestionStartTime ??= now;
  run.ingestionEndTime = now;
  run.ingestionUpdatedAt = now;
  run.endTime = now;
}

/** One batch reached the data map. Counted even for a finished run (its assets did land), without changing its status. */
export function applyIngestedBatch(
  run: ScanRunEntity,
  result: { assetsSucceeded: number; assetsFailed: number; relationships: number },
  now: string,
): void {
  run.batchesIngested += 1;
  run.ingestedAssetsSucceeded += result.assetsSucceeded;
  run.ingestedAssetsFailed += result.assetsFailed;
  run.ingestedRelationships += result.relationships;
  run.ingestionStartTime ??= now;
  run.ingestionUpdatedAt = now;
  if (isFinal(run)) return;
  run.ingestionStatus = 'InProgress';
  finishIfIngested(run, now);
}

/** A batch of the run can never be ingested. */
export function applyIngestionFailure(run: ScanRunEntity, message: string, now: string): void {
  if (isFinal(run)) {
    run.notifications = [...run.notifications, { code: ScanNotificationCode.IngestionFailed, message }];
    return;
  }
  const discoveryDone = isDiscoveryDone(run);
  failRun(run, now, 'IngestionFailed', message);
  if (!discoveryDone) run.discoveryStatus = 'Cancelled';
  run.ingestionStatus = 'Failed';
  run.ingestionEndTime = now;
  run.ingestionUpdatedAt = now;
}

export function applyCancel(run: ScanRunEntity, now: string): void {
  if (!isDiscoveryDone(run)) {
    if (run.discoveryStatus === 'Running') run.discoveryEndTime ??= now;
    run.discoveryStatus = 'Cancelled';
  }
  run.ingestionStatus = 'Canceled';
  run.status = 'Canceled';
  run.endTime = now;
  run.notifications = [
    ...run.notifications,
    { code: ScanNotificationCode.Canceled, message: `The run was canceled at ${now}.` },
  ];
}
