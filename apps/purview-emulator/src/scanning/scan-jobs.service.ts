import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  CompleteJobRequest,
  INGESTION_CONTAINER,
  JobProgressRequest,
  KnownEtagsRequest,
  KnownEtagsResponse,
  ScanJob,
} from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { StorageAccountsService } from '../storage/storage-accounts.service';
import { IntegrationRuntimeDirectory, SchedulingNode } from '../integration-runtimes/integration-runtime-directory';
import { ScanJobSignals } from './scan-job-signals';
import { ScanRunEntity } from './scan-run.entity';
import { ScanRunJobEntity } from './scan-run-job.entity';
import {
  RunParts,
  applyPartCompletion,
  applyPartProgress,
  checkPartLease,
  expirePartLease,
  failRunParts,
  leasePart,
  pickParts,
  renewPart,
} from './scan-run-job.state';
import { incrementalSinceOf, isFinal } from './scan-run.state';
import { ScanRunsRepository } from './scan-runs.repository';
import { type ResolvedStorageAccess, isCredentialFailure } from '../scan-credentials/credential-secrets.service';
import { ScanCredentialUse } from './scan-credential-use';
import { DatabaseScanJobs, isStorageRun } from './database-scan-jobs';
import { ScanBlobEtags } from './scan-blob-etags';

/** The node calling, as the runtime gateway authenticated it. */
export interface JobNode {
  nodeId: string;
  nodeName: string;
  integrationRuntimeName: string;
}

/**
 * SAS lifetime handed to a node with each job. Renewing a lease does not refresh the SAS, so it must outlast long
 * scans: at least 4 hours, and never less than ten lease periods.
 */
export function sasLifetimeSeconds(jobLeaseSeconds: number): number {
  return Math.max(4 * 3600, 10 * jobLeaseSeconds);
}

/** What a lease-guarded call decided inside its transaction; errors are thrown after it commits. */
type Guarded<T> = { ok: true; value: T; wake?: string } | { ok: false; error: PurviewError; wake?: string };

/** A part a node just leased, with its run, ready to be turned into a ScanJob outside the transaction. */
interface Claimed {
  run: ScanRunEntity;
  job: ScanRunJobEntity;
}

/** How many Queued parts one lease call looks at (oldest first); more than any node may take at once. */
const QUEUE_WINDOW = 256;

/**
 * The node side of scan runs: leasing parts of runs as jobs (job id = the part's row id), renewing, progress,
 * completion, and the lease sweeper. A node gets at most its concurrentJobsLimit of parts at once, and parts of a
 * spread run go to different nodes while they have room (pickParts). Leases are claimed atomically inside one
 * transaction; the nodes' state is read before it and SAS tokens are built after it. An expired lease sends the part
 * back to the queue for any node (attempt + 1, at most MAX_ATTEMPTS, then the run fails); expiry is checked lazily
 * on every lease call and by a timer. A part failed as retryable is queued again too, but not leased before its
 * `notBefore` (retryDelaySeconds).
 */
@Injectable()
export class ScanJobsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ScanJobs');
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: ScanRunsRepository,
    private readonly runtimes: IntegrationRuntimeDirectory,
    private readonly storage: StorageAccountsService,
    private readonly signals: ScanJobSignals,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly credentialUse: ScanCredentialUse,
    private readonly databaseJobs: DatabaseScanJobs,
    private readonly blobEtags: ScanBlobEtags,
  ) {}

  onModuleInit(): void {
    const periodMs = Math.min(5000, Math.max(250, this.config.jobLeaseSeconds * 250));
    this.sweeper = setInterval(() => void this.sweepQuietly(), periodMs);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /**
   * Claims Queued parts of the node's integration runtime, oldest run first: at most `maxJobs`, and never more than
   * the node's concurrentJobsLimit minus the parts it holds. With none, waits up to `waitSeconds` (long poll), woken
   * at once when work is queued or capacity frees up on that runtime; `[]` on timeout. A node whose version has
   * expired is refused (403 NodeVersionExpired); a node that takes no jobs for another reason just gets none.
   */
  async leaseJobs(node: JobNode, maxJobs: number, waitSeconds: number): Promise<ScanJob[]> {
    const deadline = Date.now() + Math.max(0, waitSeconds) * 1000;
    const ir = node.integrationRuntimeName;
    for (;;) {
      this.signals.recordPoll(ir);
      const seen = this.signals.version(ir);
      // Read before the transaction: the node table is another module's, and transactions stay short.
      const nodes = await this.runtimes.schedulingNodes(ir);
      const self = nodes.find((n) => n.nodeId === node.nodeId);
      if (self && !self.acceptsJobs && self.expired) {
        throw PurviewError.forbidden(
          self.reason ?? `The version of node '${node.nodeName}' has expired; update the node to take jobs again.`,
          'NodeVersionExpired',
        );
      }
      const claimed = await this.transactions.run(async (manager) => {
        const requeued = await this.expireIn(manager);
        return { claimed: await this.claimIn(manager, node, maxJobs, nodes), requeued };
      });
      this.wake(claimed.requeued.runtimes);
      const jobs = await this.buildJobs(claimed.claimed);
      if (jobs.length > 0) return jobs;
      if (claimed.claimed.length > 0) continue; // every claimed part failed to build: look again at once
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.signals.isClosed) return [];
      // A part waiting to be retried becomes leasable without anyone signalling it: look again by then.
      const nextRetry = await this.repository.nextNotBefore(ir, this.clock.iso());
      const untilRetry = nextRetry ? Math.max(10, Date.parse(nextRetry) - this.clock.nowMs()) : Infinity;
      await this.signals.waitForWork(ir, seen, Math.min(remaining, untilRetry));
      if (this.signals.isClosed) return [];
    }
  }

  private async claimIn(
    manager: EntityManager,
    node: JobNode,
    maxJobs: number,
    nodes: SchedulingNode[],
  ): Promise<Claimed[]> {
    const ir = node.integrationRuntimeName;
    const leased = await this.repository.leasedJobsOf(ir, manager);
    const queued = await this.repository.queuedJobsFor(ir, this.clock.iso(), QUEUE_WINDOW, manager);
    const picked = pickParts({ nodeId: node.nodeId, maxJobs, nodes, leased, queued });
    if (picked.length === 0) return [];
    const runs = new Map(
      (
        await this.repository.findByIds(
          picked.map((j) => j.runId),
          manager,
        )
      ).map((r) => [r.id, r]),
    );
    const jobsByRun = groupBy(await this.repository.jobsOfRuns([...runs.keys()], manager), (j) => j.runId);
    const now = this.clock.iso();
    const expiresAt = this.leaseExpiry();
    const claimed: Claimed[] = [];
    const touched = new Map<string, RunParts>();
    for (const pick of picked) {
      const run = runs.get(pick.runId);
      const parts: RunParts | undefined = run
        ? (touched.get(run.id) ?? { run, jobs: jobsByRun.get(run.id) ?? [] })
        : undefined;
      const job = parts?.jobs.find((j) => j.id === pick.id);
      if (!parts || !job || job.status !== 'Queued' || isFinal(parts.run)) continue;
      leasePart(parts, job, node, randomUUID(), now, expiresAt);
      touched.set(parts.run.id, parts);
      claimed.push({ run: parts.run, job });
    }
    for (const parts of touched.values()) await this.repository.saveParts(parts, manager);
    return claimed;
  }

  /** Extends the lease by `jobLeaseSeconds`. 404 for an unknown job; 409 LeaseLost when the lease is no longer this one. */
  async renewLease(node: JobNode, jobId: string, leaseId: string): Promise<{ leaseExpiresAt: string }> {
    return this.guarded(node, jobId, leaseId, async (_parts, job, manager) => {
      renewPart(job, this.leaseExpiry(), this.clock.iso());
      await this.repository.saveJob(job, manager);
      return { leaseExpiresAt: job.leaseExpiresAt! };
    });
  }

  /** The ETags the job's scan recorded for these blobs (an incremental part compares them with the listing's). */
  async knownEtags(node: JobNode, jobId: string, body: KnownEtagsRequest): Promise<KnownEtagsResponse> {
    return this.guarded(node, jobId, body.leaseId, async (parts, _job, manager) => ({
      etags: await this.blobEtags.lookup(parts.run.scanId, body.qualifiedNames, manager),
    }));
  }

  async reportProgress(node: JobNode, jobId: string, body: JobProgressRequest): Promise<void> {
    await this.guarded(node, jobId, body.leaseId, async (parts, job, manager) => {
      applyPartProgress(parts, job, body, this.clock.iso());
      await this.repository.saveParts({ run: parts.run, jobs: [job] }, manager);
    });
  }

  /**
   * Ends discovery of the part. Idempotent: completing again with the same lease id changes nothing. A failed part
   * fails the run (its other parts are canceled); the node's slot frees up, so waiting lease calls are woken.
   */
  async completeJob(node: JobNode, jobId: string, completion: CompleteJobRequest): Promise<void> {
    const body = await this.credentialUse.namedInFailure(jobId, completion);
    await this.guarded(
      node,
      jobId,
      body.leaseId,
      async (parts, job, manager) => {
        applyPartCompletion(parts, job, body, this.clock.iso());
        await this.repository.saveParts(parts, manager);
      },
      (job) => job.completedLeaseId === body.leaseId,
      true,
    );
  }

  /** Re-queues (or fails) every part whose lease has expired. Returns how many. Public for the timer and tests. */
  async expireLeases(): Promise<number> {
    const requeued = await this.transactions.run((manager) => this.expireIn(manager));
    this.wake(requeued.runtimes);
    return requeued.count;
  }

  private async expireIn(manager: EntityManager): Promise<{ count: number; runtimes: string[] }> {
    const now = this.clock.iso();
    const expired = await this.repository.expiredJobLeases(now, manager);
    if (expired.length === 0) return { count: 0, runtimes: [] };
    const runs = new Map(
      (
        await this.repository.findByIds(
          expired.map((j) => j.runId),
          manager,
        )
      ).map((r) => [r.id, r]),
    );
    const jobsByRun = groupBy(await this.repository.jobsOfRuns([...runs.keys()], manager), (j) => j.runId);
    const runtimes: string[] = [];
    const outcomes: string[] = [];
    for (const [runId, run] of runs) {
      const parts: RunParts = { run, jobs: jobsByRun.get(runId) ?? [] };
      for (const stale of expired.filter((j) => j.runId === runId)) {
        const job = parts.jobs.find((j) => j.id === stale.id);
        if (!job || job.status !== 'Leased') continue;
        const result = expirePartLease(parts, job, now, this.config.jobLeaseSeconds);
        runtimes.push(job.integrationRuntimeName);
        outcomes.push(
          `${run.id}${job.partCount > 1 ? ` part ${job.partIndex + 1}/${job.partCount}` : ''} (${result === 'requeued' ? `re-queued, attempt ${job.attempt}` : 'failed'})`,
        );
      }
      await this.repository.saveParts(parts, manager);
    }
    this.logger.warn(`Lease expired on ${outcomes.length} scan job(s): ${outcomes.join(', ')}`);
    return { count: outcomes.length, runtimes };
  }

  private wake(runtimes: string[]): void {
    for (const name of new Set(runtimes.map((r) => r.toLowerCase()))) this.signals.notify(name);
  }

  private async sweepQuietly(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.expireLeases();
    } catch (error) {
      if (this.sweeper) this.logger.error(`Lease sweep failed: ${(error as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  /**
   * Runs `work` on the part if `leaseId` is its live lease; otherwise answers 404 / 409 LeaseLost after the
   * transaction (an expired lease is applied first, so the part is re-queued before the node hears about it).
   * `wakeAfter`: the call frees a slot of the node, so lease calls waiting on its IR look again.
   */
  private async guarded<T>(
    node: JobNode,
    jobId: string,
    leaseId: string,
    work: (parts: RunParts, job: ScanRunJobEntity, manager: EntityManager) => Promise<T>,
    alreadyDone?: (job: ScanRunJobEntity) => boolean,
    wakeAfter = false,
  ): Promise<T> {
    const outcome = await this.transactions.run(async (manager): Promise<Guarded<T | undefined>> => {
      const found = await this.repository.findJob(jobId, manager);
      const parts = found ? await this.repository.parts(found.runId, manager) : null;
      const job = parts?.jobs.find((j) => j.id === found?.id);
      if (!parts || !job) return { ok: false, error: PurviewError.notFound('Job', jobId, 'JobNotFound') };
      if (alreadyDone?.(job)) return { ok: true, value: undefined };
      const now = this.clock.iso();
      const check = checkPartLease(parts, job, node, leaseId, now);
      if (check.ok)
        return {
          ok: true,
          value: await work(parts, job, manager),
          wake: wakeAfter ? job.integrationRuntimeName : undefined,
        };
      if (!check.expired) return { ok: false, error: PurviewError.conflict(check.message, 'LeaseLost') };
      const result = expirePartLease(parts, job, now, this.config.jobLeaseSeconds);
      await this.repository.saveParts(parts, manager);
      const next =
        result === 'requeued'
          ? `the job went back to the queue as attempt ${job.attempt}`
          : `the run failed after ${job.attempt} attempts`;
      return {
        ok: false,
        error: PurviewError.conflict(
          `${check.message} ${next[0].toUpperCase()}${next.slice(1)}; stop working on this job.`,
          'LeaseLost',
        ),
        wake: job.integrationRuntimeName,
      };
    });
    if (outcome.wake) this.signals.notify(outcome.wake);
    if (!outcome.ok) throw outcome.error;
    return outcome.value as T;
  }

  private leaseExpiry(): string {
    return new Date(this.clock.nowMs() + this.config.jobLeaseSeconds * 1000).toISOString();
  }

  /** Builds jobs outside the transaction; a run whose source cannot be resolved any more fails with the reason. */
  private async buildJobs(claimed: Claimed[]): Promise<ScanJob[]> {
    const jobs: ScanJob[] = [];
    const broken: { claim: Claimed; message: string; code: string }[] = [];
    const lifetime = sasLifetimeSeconds(this.config.jobLeaseSeconds);
    for (const claim of claimed) {
      try {
        if (!isStorageRun(claim.run)) {
          const source = await this.databaseJobs.sourceOf(claim.run);
          jobs.push({ ...this.jobEnvelope(claim, lifetime), source });
          continue;
        }
        const accountKey = await this.credentialUse.storageAccessOf(claim.run);
        jobs.push(this.buildJob(claim, lifetime, await this.modifiedSinceOf(claim.run), accountKey));
      } catch (error) {
        // A credential that does not resolve fails with its own code, and so does a database job that cannot be
        // built (no connector, no database name); anything else here: the source is unreachable.
        const code =
          isCredentialFailure(error) || (error instanceof PurviewError && !isStorageRun(claim.run))
            ? error.code
            : 'DataSourceUnreachable';
        broken.push({ claim, message: (error as Error).message, code });
      }
    }
    if (broken.length > 0) {
      await this.transactions.run(async (manager) => {
        for (const { claim, message, code } of broken) {
          const parts = await this.repository.parts(claim.run.id, manager);
          const job = parts?.jobs.find((j) => j.id === claim.job.id);
          if (!parts || !job || isFinal(parts.run) || job.leaseId !== claim.job.leaseId) continue;
          failRunParts(parts, this.clock.iso(), code, `The run cannot start: ${message}`);
          await this.repository.saveParts(parts, manager);
        }
      });
    }
    return jobs;
  }

  /** An incremental run reads the blobs modified since its baseline started; none left (deleted): it reads all. */
  private async modifiedSinceOf(run: ScanRunEntity): Promise<string | undefined> {
    if (run.scanLevel !== 'Incremental') return undefined;
    const baseline = await this.repository.lastSucceededRunOf(run.scanId, run.seq);
    return baseline ? incrementalSinceOf(baseline) : undefined;
  }

  private buildJob(
    { run, job }: Claimed,
    sasSeconds: number,
    modifiedSince: string | undefined,
    accountKey: ResolvedStorageAccess | undefined,
  ): ScanJob {
    if (!run.endpoint)
      throw PurviewError.badRequest(`data source '${run.dataSourceName}' has no endpoint.`, 'InvalidEndpoint');
    const resolved = this.storage.resolveBlobEndpoint(run.endpoint);
    return {
      ...this.jobEnvelope({ run, job }, sasSeconds),
      source: {
        kind: 'AzureStorage',
        endpoint: run.endpoint,
        accountName: resolved.accountName,
        qualifiedNameBase: resolved.qualifiedNameBase,
        serviceUrl: resolved.serviceUrl,
        sasToken: this.storage.sourceSas(resolved.accountName, sasSeconds, accountKey?.accountKey),
        ...(resolved.accountName === this.config.storage.ingestionAccount
          ? { excludeContainers: [INGESTION_CONTAINER] }
          : {}),
        ...(job.partCount > 1 ? { partition: { index: job.partIndex, count: job.partCount } } : {}),
        ...(modifiedSince ? { modifiedSince } : {}),
      },
    };
  }

  /** Everything of a job but its source: the lease, the run, the rules and where to upload the results. */
  private jobEnvelope({ run, job }: Claimed, sasSeconds: number): Omit<ScanJob, 'source'> {
    return {
      jobId: job.id,
      leaseId: job.leaseId!,
      leaseExpiresAt: job.leaseExpiresAt!,
      leaseSeconds: this.config.jobLeaseSeconds,
      attempt: job.attempt,
      scanRun: {
        runId: run.id,
        dataSourceName: run.dataSourceName,
        scanName: run.scanName,
        scanLevel: run.scanLevel,
        scanRulesetName: run.scanRulesetName,
      },
      ...(run.scanRules ? { scanRuleset: run.scanRules.ruleset } : {}),
      ...(run.scanRules?.filter ? { filter: run.scanRules.filter } : {}),
      ingestion: {
        containerSasUrl: this.storage.ingestionContainerSasUrl(sasSeconds),
        queueSasUrl: this.storage.ingestionQueueSasUrl(sasSeconds),
        // One folder per part: parts upload side by side, and batch ids derive from the (per-part) job id.
        blobPrefix: `runs/${run.id}/parts/${job.partIndex}/`,
      },
    };
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
