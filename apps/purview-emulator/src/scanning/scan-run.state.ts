import type { CompleteJobRequest, JobProgressRequest, ScanRunStatus } from '@purview-emulator/contracts';
import type { DataSourceEntity } from './data-source.entity';
import type { ScanEntity } from './scan.entity';
import type { ScanRunEntity } from './scan-run.entity';

/**
 * The scan run state machine, as pure functions over the run entity (no I/O, no clock: callers pass `now`).
 *
 *   Queued ──lease──▶ InProgress (discovery Running) ──complete(Succeeded)──▶ InProgress (discovery Succeeded,
 *     ▲                   │                                ingestion InProgress) ──all batches ingested──▶ Succeeded
 *     └──lease expired────┤ (attempt+1, at most MAX_ATTEMPTS; then Failed)
 *                         ├──complete(Failed)──▶ Failed
 *   any non-final ──cancel──▶ Canceled (discovery Cancelled, ingestion Canceled)
 */

/** Leases a run may lose to unresponsive nodes before it fails. */
export const MAX_ATTEMPTS = 3;

const FINAL: ReadonlySet<ScanRunStatus> = new Set<ScanRunStatus>(['Succeeded', 'Failed', 'Canceled', 'CompletedWithExceptions']);

export function isFinal(run: ScanRunEntity): boolean {
  return FINAL.has(run.status);
}

/** Purview accepts run ids with or without braces, in any case; the emulator keys them in plain lowercase. */
export function normalizeRunId(runId: string): string {
  return runId.replace(/^\{/, '').replace(/\}$/, '').toLowerCase();
}

export function newRun(args: { id: string; seq: number; dataSource: DataSourceEntity; scan: ScanEntity; scanLevel: 'Full' | 'Incremental'; now: string }): ScanRunEntity {
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
    leaseId: null,
    leaseExpiresAt: null,
    leaseNodeId: null,
    leaseNodeName: null,
    completedLeaseId: null,
    nodes: [],
    assetsDiscovered: 0,
    assetsClassified: 0,
    assetsFailed: 0,
    batchesUploaded: 0,
    batchCount: null,
    batchesIngested: 0,
    ingestedAssetsSucceeded: 0,
    ingestedAssetsFailed: 0,
    ingestedRelationships: 0,
    errorCode: null,
    errorMessage: null,
    notifications: [],
  };
}

function clearLease(run: ScanRunEntity): void {
  run.leaseId = null;
  run.leaseExpiresAt = null;
  run.leaseNodeId = null;
  run.leaseNodeName = null;
}

/** A node claims the run. */
export function leaseRun(run: ScanRunEntity, node: { nodeId: string; nodeName: string }, leaseId: string, now: string, expiresAt: string): void {
  run.status = 'InProgress';
  run.discoveryStatus = 'Running';
  run.startTime ??= now;
  run.pipelineStartTime ??= now;
  run.discoveryStartTime ??= now;
  run.leaseId = leaseId;
  run.leaseExpiresAt = expiresAt;
  run.leaseNodeId = node.nodeId;
  run.leaseNodeName = node.nodeName;
  if (!run.nodes.includes(node.nodeName)) run.nodes = [...run.nodes, node.nodeName];
}

/** Ends a run as Failed; the message goes to `errorMessage`, `error` and the notifications. */
export function failRun(run: ScanRunEntity, now: string, code: string, message: string): void {
  if (run.discoveryStatus !== 'Succeeded') {
    if (run.discoveryStatus === 'Running') run.discoveryEndTime ??= now;
    run.discoveryStatus = 'Failed';
  }
  run.ingestionStatus = run.batchesIngested > 0 ? 'PartialSucceeded' : 'None';
  if (run.batchesIngested > 0) run.ingestionEndTime ??= now;
  run.status = 'Failed';
  run.endTime = now;
  run.errorCode = code;
  run.errorMessage = message;
  run.notifications = [...run.notifications, { code, message }];
  clearLease(run);
}

/**
 * The node holding the run stopped renewing its lease: back to the queue for another attempt, or Failed after
 * MAX_ATTEMPTS. Counts stay until the next attempt reports its own (progress reports absolute numbers).
 */
export function expireLease(run: ScanRunEntity, now: string, leaseSeconds: number): 'requeued' | 'failed' {
  const node = run.leaseNodeName ?? 'unknown';
  const expiredAt = run.leaseExpiresAt ?? now;
  if (run.attempt < MAX_ATTEMPTS) {
    run.attempt += 1;
    run.status = 'Queued';
    run.discoveryStatus = 'Queued';
    run.notifications = [
      ...run.notifications,
      {
        code: 'LeaseExpired',
        message: `Node '${node}' stopped renewing its lease on this run (none within ${leaseSeconds} s; it expired at ${expiredAt}). The run went back to the queue as attempt ${run.attempt} of ${MAX_ATTEMPTS}.`,
      },
    ];
    clearLease(run);
    return 'requeued';
  }
  const nodes = run.nodes.length ? run.nodes.map((n) => `'${n}'`).join(', ') : `'${node}'`;
  failRun(
    run,
    now,
    'IntegrationRuntimeNodeUnresponsive',
    `The scan run was abandoned ${MAX_ATTEMPTS} times: node(s) ${nodes} stopped responding (no lease renewal within ${leaseSeconds} s). Check that the integration runtime's nodes are running and can reach the emulator, then run the scan again.`,
  );
  return 'failed';
}

export function applyProgress(run: ScanRunEntity, progress: JobProgressRequest): void {
  run.assetsDiscovered = progress.assetsDiscovered;
  run.assetsClassified = progress.assetsClassified;
  run.batchesUploaded = progress.batchesUploaded;
}

/** The node finished discovery. On success the run waits for its batches to be ingested (or ends, with none). */
export function applyCompletion(run: ScanRunEntity, body: CompleteJobRequest, now: string): void {
  run.assetsDiscovered = body.assetsDiscovered;
  run.assetsClassified = body.assetsClassified;
  run.assetsFailed = body.assetsFailed;
  run.batchCount = body.batchCount;
  run.batchesUploaded = Math.max(run.batchesUploaded, body.batchCount);
  const leaseId = body.leaseId;
  if (body.status === 'Failed') {
    failRun(
      run,
      now,
      body.error?.code ?? 'ScanFailed',
      body.error?.message ?? `Node '${run.leaseNodeName ?? 'unknown'}' reported the scan as failed without giving a reason; see the node's log.`,
    );
    run.completedLeaseId = leaseId;
    return;
  }
  run.discoveryStatus = 'Succeeded';
  run.discoveryEndTime = now;
  run.ingestionStatus = 'InProgress';
  run.ingestionStartTime ??= now;
  run.completedLeaseId = leaseId;
  clearLease(run);
  finishIfIngested(run, now);
}

/**
 * Ends the run as Succeeded once discovery is done and every announced batch has been ingested. Batches are
 * counted once per distinct batchId over the run's life, so a retried attempt should reuse its ids (e.g. one per
 * sequence number, as `batch-0001`): re-sent batches then dedupe instead of counting twice.
 */
export function finishIfIngested(run: ScanRunEntity, now: string): void {
  if (run.status !== 'InProgress' || run.discoveryStatus !== 'Succeeded' || run.batchCount === null) return;
  if (run.batchesIngested < run.batchCount) return;
  run.status = 'Succeeded';
  run.ingestionStatus = 'Succeeded';
  run.ingestionStartTime ??= now;
  run.ingestionEndTime = now;
  run.ingestionUpdatedAt = now;
  run.endTime = now;
}

/** One batch reached the data map. Counted even for a finished run (its assets did land), without changing its status. */
export function applyIngestedBatch(run: ScanRunEntity, result: { assetsSucceeded: number; assetsFailed: number; relationships: number }, now: string): void {
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
    run.notifications = [...run.notifications, { code: 'IngestionFailed', message }];
    return;
  }
  const discovery = run.discoveryStatus;
  failRun(run, now, 'IngestionFailed', message);
  if (discovery !== 'Succeeded') run.discoveryStatus = 'Cancelled';
  run.ingestionStatus = 'Failed';
  run.ingestionEndTime = now;
  run.ingestionUpdatedAt = now;
}

export function applyCancel(run: ScanRunEntity, now: string): void {
  if (run.discoveryStatus !== 'Succeeded') {
    if (run.discoveryStatus === 'Running') run.discoveryEndTime ??= now;
    run.discoveryStatus = 'Cancelled';
  }
  run.ingestionStatus = 'Canceled';
  run.status = 'Canceled';
  run.endTime = now;
  run.notifications = [...run.notifications, { code: 'Canceled', message: `The run was canceled at ${now}.` }];
  clearLease(run);
}

export type LeaseCheck = { ok: true } | { ok: false; expired: boolean; message: string };

/**
 * Is `leaseId` (from `node`) still the live lease on this run? An expired lease is reported with `expired: true`
 * so the caller can re-queue the run (lazily, as the sweeper would) before answering LeaseLost.
 */
export function checkLease(run: ScanRunEntity, node: { nodeId: string }, leaseId: string, now: string): LeaseCheck {
  const job = `Job ${run.id}`;
  if (run.leaseId === leaseId) {
    if (run.leaseNodeId !== node.nodeId) return { ok: false, expired: false, message: `${job} is leased to node '${run.leaseNodeName}', not to this node.` };
    if (run.leaseExpiresAt !== null && run.leaseExpiresAt < now) {
      return { ok: false, expired: true, message: `The lease on ${job.toLowerCase()} expired at ${run.leaseExpiresAt}, before it was renewed.` };
    }
    return { ok: true };
  }
  if (run.status === 'Canceled') return { ok: false, expired: false, message: `${job} was canceled (its scan run was canceled); stop working on it.` };
  if (run.completedLeaseId === leaseId) return { ok: false, expired: false, message: `${job} was already completed with this lease; nothing more to do (the run is now ${run.status}).` };
  if (isFinal(run)) return { ok: false, expired: false, message: `${job} has already finished (run status ${run.status}).` };
  if (run.leaseId !== null) {
    return { ok: false, expired: false, message: `The lease '${leaseId}' on ${job.toLowerCase()} is no longer valid: after it expired the job was leased again (attempt ${run.attempt}, node '${run.leaseNodeName}').` };
  }
  return { ok: false, expired: false, message: `The lease '${leaseId}' on ${job.toLowerCase()} is no longer valid: it expired and the run is queued again (attempt ${run.attempt}).` };
}
