// Longer than most files: every transition of a scan run's parts (lease, progress, complete, expire, cancel) is
// here as a pure function beside the others, so the state machine is read, and unit-tested, in one place.
import { type CompleteJobRequest, type JobProgressRequest, ScanNotificationCode } from '@purview-emulator/contracts';
import type { RunNotification, ScanRunEntity } from './scan-run.entity';
import type { ScanRunJobEntity } from './scan-run-job.entity';
import {
  MAX_ATTEMPTS,
  NO_DISCOVERY_YET,
  applyCancel,
  failRun,
  finishIfIngested,
  isDiscoveryDone,
  isFinal,
} from './scan-run.state';

/**
 * The parts of a run and their leases, as pure functions over the run and all its parts (no I/O, no clock).
 * Every change to a part re-aggregates the run (`aggregate`), so the run is always a function of its parts:
 *
 *   part: Queued ──lease──▶ Leased ──complete(Succeeded)──▶ Completed
 *           ▲                 ├──lease expired, or complete(Failed, retryable)──┘ (attempt+1, at most MAX_ATTEMPTS;
 *           └─────────────────┤                                     then Failed, and the run fails; a retryable
 *                             │                                     failure waits retryDelaySeconds first)
 *                             └──complete(Failed)──▶ Failed (the run fails; its other open parts are Canceled)
 *   run: Queued while no part is Leased or Completed; InProgress otherwise; discovery Succeeded (batchCount = sum)
 *   once every part completed — CompletedWithExceptions when files could not be read; counts are sums; `nodes`
 *   lists every node that leased a part.
 */

/** A run with all its parts, in part order: the unit every transition works on. */
export interface RunParts {
  run: ScanRunEntity;
  jobs: ScanRunJobEntity[];
}

/** Failed files a run names in its notifications (one each); beyond that, parts only say how many more failed. */
export const MAX_FILE_NOTIFICATIONS = 10;

/**
 * How long a part re-queued after a retryable failure (its node could not reach storage through ~31 s of retries)
 * waits before a node may lease it again: 15 s before attempt 2, 30 s before attempt 3. With the node's own retries,
 * the attempts then span about two and a half minutes of outage instead of a minute and a half back to back.
 */
export function retryDelaySeconds(nextAttempt: number): number {
  return 15 * 2 ** Math.max(0, nextAttempt - 2);
}

/** Storage scans are spread over at most this many parts (an IR has at most four nodes). */
export const MAX_PARTS = 4;

const FINAL_PARTS = new Set(['Completed', 'Failed', 'Canceled']);

export function isPartFinal(job: ScanRunJobEntity): boolean {
  return FINAL_PARTS.has(job.status);
}

/** Data source kinds whose scans are spread across the IR's nodes (blob listings split by name). */
export function isSpreadKind(dataSourceKind: string): boolean {
  return dataSourceKind === 'AzureStorage' || dataSourceKind === 'AdlsGen2';
}

/** Parts of a new run: one per node that accepts jobs now, 1 to MAX_PARTS, for storage scans; otherwise one. */
export function partCountFor(dataSourceKind: string, acceptingNodes: number): number {
  return isSpreadKind(dataSourceKind) ? Math.min(MAX_PARTS, Math.max(1, acceptingNodes)) : 1;
}

/** The Queued parts of a new run. `ids` gives each its job id (one per part). */
export function newJobs(run: ScanRunEntity, ids: readonly string[], now: string): ScanRunJobEntity[] {
  return ids.map((id, index) => ({
    id,
    runId: run.id,
    runSeq: run.seq,
    integrationRuntimeName: run.integrationRuntimeName ?? '',
    partIndex: index,
    partCount: ids.length,
    status: 'Queued',
    attempt: 1,
    leaseId: null,
    leaseExpiresAt: null,
    leaseNodeId: null,
    leaseNodeName: null,
    notBefore: null,
    completedLeaseId: null,
    ...NO_DISCOVERY_YET,
    nodes: [], // a fresh array per row: it grows as nodes take part
    createdAt: now,
    updatedAt: now,
  }));
}

/** "part 2 of 3 of this run" for a spread run, "this run" otherwise: the words every message uses. */
export function partOfRun(job: ScanRunJobEntity): string {
  return job.partCount > 1 ? `part ${job.partIndex + 1} of ${job.partCount} of this run` : 'this run';
}

function clearLease(job: ScanRunJobEntity): void {
  job.leaseId = null;
  job.leaseExpiresAt = null;
  job.leaseNodeId = null;
  job.leaseNodeName = null;
}

/** The run as a function of its parts: counts, attempt and, while discovery runs, status. */
function aggregate(parts: RunParts, now: string): void {
  const { run, jobs } = parts;
  run.assetsDiscovered = sum(jobs, (j) => j.assetsDiscovered);
  run.assetsClassified = sum(jobs, (j) => j.assetsClassified);
  run.assetsFailed = sum(jobs, (j) => j.assetsFailed);
  run.batchesUploaded = sum(jobs, (j) => j.batchesUploaded);
  run.attempt = Math.max(1, ...jobs.map((j) => j.attempt));
  if (isFinal(run) || isDiscoveryDone(run)) return;
  if (jobs.length > 0 && jobs.every((j) => j.status === 'Completed')) {
    run.status = 'InProgress';
    // The run still ends Succeeded (the top-level status has no partial value); discovery says some files failed.
    run.discoveryStatus = run.assetsFailed > 0 ? 'CompletedWithExceptions' : 'Succeeded';
    run.discoveryEndTime = now;
    run.batchCount = sum(jobs, (j) => j.batchCount ?? 0);
    run.ingestionStatus = 'InProgress';
    run.ingestionStartTime ??= now;
    finishIfIngested(run, now);
    return;
  }
  const started = jobs.some((j) => j.status === 'Leased' || j.status === 'Completed');
  run.status = started ? 'InProgress' : 'Queued';
  run.discoveryStatus = started ? 'Running' : 'Queued';
}

function sum(jobs: readonly ScanRunJobEntity[], of: (job: ScanRunJobEntity) => number): number {
  return jobs.reduce((total, job) => total + of(job), 0);
}

/** A node claims a Queued part. */
export function leasePart(
  parts: RunParts,
  job: ScanRunJobEntity,
  node: { nodeId: string; nodeName: string },
  leaseId: string,
  now: string,
  expiresAt: string,
): void {
  const { run } = parts;
  job.status = 'Leased';
  job.leaseId = leaseId;
  job.leaseExpiresAt = expiresAt;
  job.leaseNodeId = node.nodeId;
  job.leaseNodeName = node.nodeName;
  job.notBefore = null;
  job.updatedAt = now;
  if (!job.nodes.includes(node.nodeName)) job.nodes = [...job.nodes, node.nodeName];
  if (!run.nodes.includes(node.nodeName)) run.nodes = [...run.nodes, node.nodeName];
  run.startTime ??= now;
  run.pipelineStartTime ??= now;
  run.discoveryStartTime ??= now;
  aggregate(parts, now);
}

export function renewPart(job: ScanRunJobEntity, expiresAt: string, now: string): void {
  job.leaseExpiresAt = expiresAt;
  job.updatedAt = now;
}

export function applyPartProgress(
  parts: RunParts,
  job: ScanRunJobEntity,
  progress: JobProgressRequest,
  now: string,
): void {
  job.assetsDiscovered = progress.assetsDiscovered;
  job.assetsClassified = progress.assetsClassified;
  job.batchesUploaded = progress.batchesUploaded;
  job.updatedAt = now;
  aggregate(parts, now);
}

/** The node finished discovery of its part. A failed part fails the run; the last completed part ends discovery. */
export function applyPartCompletion(
  parts: RunParts,
  job: ScanRunJobEntity,
  body: CompleteJobRequest,
  now: string,
): void {
  job.assetsDiscovered = body.assetsDiscovered;
  job.assetsClassified = body.assetsClassified;
  job.assetsFailed = body.assetsFailed;
  job.batchCount = body.batchCount;
  job.batchesUploaded = Math.max(job.batchesUploaded, body.batchCount);
  job.completedLeaseId = body.leaseId;
  job.updatedAt = now;
  const node = job.leaseNodeName ?? 'unknown';
  if (body.status === 'Failed') {
    const code = body.error?.code ?? 'ScanFailed';
    const message =
      body.error?.message ??
      `Node '${node}' reported the scan of ${partOfRun(job)} as failed without giving a reason; see the node's log.`;
    if (body.error?.retryable && job.attempt < MAX_ATTEMPTS) {
      requeuePart(
        parts,
        job,
        now,
        ScanNotificationCode.JobRetried,
        `Node '${node}' could not finish ${partOfRun(job)}: ${message}`,
      );
      // Storage was unreachable for half a minute already: give it time before the next attempt starts.
      job.notBefore = new Date(Date.parse(now) + retryDelaySeconds(job.attempt) * 1000).toISOString();
      return;
    }
    failPart(parts, job, now, code, message);
    return;
  }
  job.status = 'Completed';
  clearLease(job);
  noteFailedFiles(parts, job, node, body);
  aggregate(parts, now);
}

/**
 * Files the node could not read (they are in the data map with basic metadata only): one notification per file,
 * at most MAX_FILE_NOTIFICATIONS per run, then one saying how many more of this part failed.
 */
function noteFailedFiles(parts: RunParts, job: ScanRunJobEntity, node: string, body: CompleteJobRequest): void {
  if (body.assetsFailed <= 0) return;
  const { run } = parts;
  const named = run.notifications.filter((n) => n.code === ScanNotificationCode.FileNotRead).length;
  const listed = (body.failures ?? []).slice(0, Math.max(0, MAX_FILE_NOTIFICATIONS - named));
  const where =
    job.partCount > 1 ? ` (part ${job.partIndex + 1} of ${job.partCount}, node '${node}')` : ` (node '${node}')`;
  const added: RunNotification[] = listed.map((f) => ({
    code: ScanNotificationCode.FileNotRead,
    message: `Could not read ${f.qualifiedName}${where}: ${f.reason}`,
  }));
  const rest = body.assetsFailed - listed.length;
  if (rest > 0) {
    added.push({
      code: ScanNotificationCode.MoreFilesNotRead,
      message: `${listed.length > 0 ? `${rest} more` : rest} file(s) of ${partOfRun(job)} could not be read${where}; node '${node}' logs the reasons. Such files are in the data map with basic metadata only.`,
    });
  }
  run.notifications = [...run.notifications, ...added];
}

/** `job` failed for good: it takes the run with it, and the run's other open parts are Canceled. */
function failPart(parts: RunParts, job: ScanRunJobEntity, now: string, code: string, message: string): void {
  job.status = 'Failed';
  job.errorCode = code;
  job.errorMessage = message;
  clearLease(job);
  aggregate(parts, now);
  failRun(parts.run, now, code, message);
  closeOpenParts(parts, now);
}

/**
 * The node holding the part stopped renewing its lease: back to the queue for another attempt (any node of the IR
 * may take it), or, after MAX_ATTEMPTS, the part fails and the run with it. Counts stay until the next attempt
 * reports its own (progress reports absolute numbers).
 */
export function expirePartLease(
  parts: RunParts,
  job: ScanRunJobEntity,
  now: string,
  leaseSeconds: number,
): 'requeued' | 'failed' {
  const node = job.leaseNodeName ?? 'unknown';
  const expiredAt = job.leaseExpiresAt ?? now;
  const part = partOfRun(job);
  if (job.attempt < MAX_ATTEMPTS) {
    requeuePart(
      parts,
      job,
      now,
      ScanNotificationCode.LeaseExpired,
      `Node '${node}' stopped renewing its lease on ${part} (none within ${leaseSeconds} s; it expired at ${expiredAt}).`,
    );
    return 'requeued';
  }
  const nodes = job.nodes.length ? job.nodes.map((n) => `'${n}'`).join(', ') : `'${node}'`;
  const abandoned =
    job.partCount > 1
      ? `Part ${job.partIndex + 1} of ${job.partCount} of the scan run was abandoned`
      : 'The scan run was abandoned';
  failPart(
    parts,
    job,
    now,
    'IntegrationRuntimeNodeUnresponsive',
    `${abandoned} ${MAX_ATTEMPTS} times: node(s) ${nodes} stopped responding (no lease renewal within ${leaseSeconds} s). Check that the integration runtime's nodes are running and can reach the emulator, then run the scan again.`,
  );
  return 'failed';
}

/** Back to the queue for the next attempt (any node of the IR may take it), with a notification saying why. */
function requeuePart(parts: RunParts, job: ScanRunJobEntity, now: string, code: number, why: string): void {
  job.attempt += 1;
  job.status = 'Queued';
  job.updatedAt = now;
  clearLease(job);
  const requeued =
    job.partCount > 1
      ? `Part ${job.partIndex + 1} of ${job.partCount} went back to the queue`
      : 'The run went back to the queue';
  parts.run.notifications = [
    ...parts.run.notifications,
    { code, message: `${why} ${requeued} as attempt ${job.attempt} of ${MAX_ATTEMPTS}.` },
  ];
  aggregate(parts, now);
}

/** The run fails for a reason outside its parts (a source that cannot be resolved, a poison batch): every open part stops. */
export function failRunParts(parts: RunParts, now: string, code: string, message: string): void {
  failRun(parts.run, now, code, message);
  closeOpenParts(parts, now);
}

/** Cancel: the run and every part still open; the nodes holding them learn it at their next call. */
export function cancelRunParts(parts: RunParts, now: string): void {
  applyCancel(parts.run, now);
  closeOpenParts(parts, now);
}

/** After the run ended (failed, canceled, ingestion failure): open parts are Canceled so their nodes stop. */
export function closeOpenParts(parts: RunParts, now: string): void {
  for (const job of parts.jobs) {
    if (isPartFinal(job)) continue;
    job.status = 'Canceled';
    job.updatedAt = now;
    clearLease(job);
  }
}

export type LeaseCheck = { ok: true } | { ok: false; expired: boolean; message: string };

/**
 * Is `leaseId` (from `node`) still the live lease on this part? An expired lease is reported with `expired: true`
 * so the caller can re-queue the part (lazily, as the sweeper would) before answering LeaseLost.
 */
export function checkPartLease(
  parts: RunParts,
  job: ScanRunJobEntity,
  node: { nodeId: string },
  leaseId: string,
  now: string,
): LeaseCheck {
  const { run } = parts;
  const name = `Job ${job.id}`;
  if (job.leaseId === leaseId && job.status === 'Leased') {
    if (job.leaseNodeId !== node.nodeId)
      return {
        ok: false,
        expired: false,
        message: `${name} is leased to node '${job.leaseNodeName}', not to this node.`,
      };
    if (job.leaseExpiresAt !== null && job.leaseExpiresAt < now) {
      return {
        ok: false,
        expired: true,
        message: `The lease on ${name.toLowerCase()} expired at ${job.leaseExpiresAt}, before it was renewed.`,
      };
    }
    return { ok: true };
  }
  if (job.completedLeaseId === leaseId)
    return {
      ok: false,
      expired: false,
      message: `${name} was already completed with this lease; nothing more to do (the run is now ${run.status}).`,
    };
  if (job.status === 'Canceled') {
    if (run.status === 'Canceled')
      return {
        ok: false,
        expired: false,
        message: `${name} was canceled (its scan run was canceled); stop working on it.`,
      };
    return {
      ok: false,
      expired: false,
      message: `${name} was stopped because its scan run ended as ${run.status}${run.errorMessage ? ` (${run.errorMessage})` : ''}; stop working on it.`,
    };
  }
  if (isPartFinal(job) || isFinal(run))
    return { ok: false, expired: false, message: `${name} has already finished (run status ${run.status}).` };
  if (job.leaseId !== null) {
    return {
      ok: false,
      expired: false,
      message: `The lease '${leaseId}' on ${name.toLowerCase()} is no longer valid: after it expired the job was leased again (attempt ${job.attempt}, node '${job.leaseNodeName}').`,
    };
  }
  return {
    ok: false,
    expired: false,
    message: `The lease '${leaseId}' on ${name.toLowerCase()} is no longer valid: it expired and the job is queued again (attempt ${job.attempt}).`,
  };
}

/** What the scheduler needs to know of a node of the IR. */
export interface NodeCapacity {
  nodeId: string;
  acceptsJobs: boolean;
  concurrentJobsLimit: number;
}

/**
 * The Queued parts (oldest run first, then part order) node `nodeId` takes in one lease call. It never holds more
 * parts than its concurrentJobsLimit, whatever `maxJobs` it asks for; a node that does not accept jobs takes none.
 * Spreading: while other accepting nodes have room, a node holds at most ceil(parts / nodes with room) parts of one
 * run, so the rest stays for them (a node alone with room may take every part).
 */
export function pickParts(args: {
  nodeId: string;
  maxJobs: number;
  nodes: readonly NodeCapacity[];
  leased: readonly Pick<ScanRunJobEntity, 'leaseNodeId' | 'runId'>[];
  queued: readonly ScanRunJobEntity[];
}): ScanRunJobEntity[] {
  const held = (nodeId: string) => args.leased.filter((j) => j.leaseNodeId === nodeId).length;
  const self = args.nodes.find((n) => n.nodeId === args.nodeId);
  if (!self?.acceptsJobs) return [];
  const capacity = Math.min(args.maxJobs, self.concurrentJobsLimit - held(self.nodeId));
  const withRoom = Math.max(
    1,
    args.nodes.filter((n) => n.acceptsJobs && held(n.nodeId) < n.concurrentJobsLimit).length,
  );
  const picked: ScanRunJobEntity[] = [];
  for (const job of args.queued) {
    if (picked.length >= capacity) break;
    const share = Math.ceil(job.partCount / withRoom);
    const mine =
      args.leased.filter((j) => j.leaseNodeId === self.nodeId && j.runId === job.runId).length +
      picked.filter((j) => j.runId === job.runId).length;
    if (mine < share) picked.push(job);
  }
  return picked;
}
