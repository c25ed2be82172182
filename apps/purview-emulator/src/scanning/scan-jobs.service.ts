import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CompleteJobRequest, INGESTION_CONTAINER, JobProgressRequest, ScanJob } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';
import { TransactionRunner } from '../database/transaction-runner';
import { StorageAccountsService } from '../storage/storage-accounts.service';
import { ScanJobSignals } from './scan-job-signals';
import { ScanRunEntity } from './scan-run.entity';
import { applyCompletion, applyProgress, checkLease, expireLease, failRun, isFinal, leaseRun, normalizeRunId } from './scan-run.state';
import { ScanRunsRepository } from './scan-runs.repository';

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
type Guarded<T> = { ok: true; value: T } | { ok: false; error: PurviewError; requeued?: string };

/**
 * The node side of scan runs: leasing jobs (one job per run, jobId = run id), renewing, progress, completion,
 * and the lease sweeper. Leases are claimed atomically inside one transaction; SAS tokens are built after it.
 * An expired lease sends the run back to the queue (attempt + 1, at most MAX_ATTEMPTS, then Failed); expiry is
 * checked lazily on every lease call and by a timer.
 */
@Injectable()
export class ScanJobsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ScanJobs');
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly repository: ScanRunsRepository,
    private readonly storage: StorageAccountsService,
    private readonly signals: ScanJobSignals,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
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
   * Claims up to `maxJobs` Queued runs of the node's integration runtime, oldest first. With none, waits up to
   * `waitSeconds` (long poll), woken at once when a run is queued for that runtime; `[]` on timeout.
   */
  async leaseJobs(node: JobNode, maxJobs: number, waitSeconds: number): Promise<ScanJob[]> {
    const deadline = Date.now() + Math.max(0, waitSeconds) * 1000;
    for (;;) {
      this.signals.recordPoll(node.integrationRuntimeName);
      const seen = this.signals.version(node.integrationRuntimeName);
      const claimed = await this.transactions.run(async (manager) => {
        const requeued = await this.expireIn(manager);
        const runs = await this.repository.queuedFor(node.integrationRuntimeName, maxJobs, manager);
        const now = this.clock.iso();
        const expiresAt = this.leaseExpiry();
        for (const run of runs) {
          leaseRun(run, node, randomUUID(), now, expiresAt);
          await this.repository.save(run, manager);
        }
        return { runs, requeued };
      });
      this.wake(claimed.requeued.runtimes);
      const jobs = await this.buildJobs(claimed.runs);
      if (jobs.length > 0) return jobs;
      if (claimed.runs.length > 0) continue; // every claimed run failed to build: look again at once
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.signals.isClosed) return [];
      await this.signals.waitForWork(node.integrationRuntimeName, seen, remaining);
      if (this.signals.isClosed) return [];
    }
  }

  /** Extends the lease by `jobLeaseSeconds`. 404 for an unknown job; 409 LeaseLost when the lease is no longer this one. */
  async renewLease(node: JobNode, jobId: string, leaseId: string): Promise<{ leaseExpiresAt: string }> {
    return this.guarded(node, jobId, leaseId, async (run, manager) => {
      run.leaseExpiresAt = this.leaseExpiry();
      await this.repository.save(run, manager);
      return { leaseExpiresAt: run.leaseExpiresAt };
    });
  }

  async reportProgress(node: JobNode, jobId: string, body: JobProgressRequest): Promise<void> {
    await this.guarded(node, jobId, body.leaseId, async (run, manager) => {
      applyProgress(run, body);
      await this.repository.save(run, manager);
    });
  }

  /** Ends discovery. Idempotent: completing again with the same lease id changes nothing. */
  async completeJob(node: JobNode, jobId: string, body: CompleteJobRequest): Promise<void> {
    await this.guarded(
      node,
      jobId,
      body.leaseId,
      async (run, manager) => {
        applyCompletion(run, body, this.clock.iso());
        await this.repository.save(run, manager);
      },
      (run) => run.completedLeaseId === body.leaseId,
    );
  }

  /** Re-queues (or fails) every run whose lease has expired. Returns how many. Public for the timer and tests. */
  async expireLeases(): Promise<number> {
    const requeued = await this.transactions.run((manager) => this.expireIn(manager));
    this.wake(requeued.runtimes);
    return requeued.count;
  }

  private async expireIn(manager: EntityManager): Promise<{ count: number; runtimes: string[] }> {
    const expired = await this.repository.expiredLeases(this.clock.iso(), manager);
    const runtimes: string[] = [];
    for (const run of expired) {
      if (expireLease(run, this.clock.iso(), this.config.jobLeaseSeconds) === 'requeued' && run.integrationRuntimeName) runtimes.push(run.integrationRuntimeName);
      await this.repository.save(run, manager);
    }
    if (expired.length > 0) this.logger.warn(`Lease expired on ${expired.length} scan run(s): ${expired.map((r) => `${r.id} (${r.status === 'Queued' ? `re-queued, attempt ${r.attempt}` : 'failed'})`).join(', ')}`);
    return { count: expired.length, runtimes };
  }

  private wake(runtimes: string[]): void {
    for (const name of new Set(runtimes)) this.signals.notify(name);
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
   * Runs `work` on the job if `leaseId` is its live lease; otherwise answers 404 / 409 LeaseLost after the
   * transaction (an expired lease is applied first, so the run is re-queued before the node hears about it).
   */
  private async guarded<T>(node: JobNode, jobId: string, leaseId: string, work: (run: ScanRunEntity, manager: EntityManager) => Promise<T>, alreadyDone?: (run: ScanRunEntity) => boolean): Promise<T> {
    const outcome = await this.transactions.run(async (manager): Promise<Guarded<T | undefined>> => {
      const run = await this.repository.findById(normalizeRunId(jobId), manager);
      if (!run) return { ok: false, error: PurviewError.notFound('Job', jobId, 'JobNotFound') };
      if (alreadyDone?.(run)) return { ok: true, value: undefined };
      const now = this.clock.iso();
      const check = checkLease(run, node, leaseId, now);
      if (check.ok) return { ok: true, value: await work(run, manager) };
      if (!check.expired) return { ok: false, error: PurviewError.conflict(check.message, 'LeaseLost') };
      const result = expireLease(run, now, this.config.jobLeaseSeconds);
      await this.repository.save(run, manager);
      const next = result === 'requeued' ? `the run went back to the queue as attempt ${run.attempt}` : `the run failed after ${run.attempt} attempts`;
      return { ok: false, error: PurviewError.conflict(`${check.message} ${next[0].toUpperCase()}${next.slice(1)}; stop working on this job.`, 'LeaseLost'), requeued: result === 'requeued' ? (run.integrationRuntimeName ?? undefined) : undefined };
    });
    if (!outcome.ok) {
      if (outcome.requeued) this.signals.notify(outcome.requeued);
      throw outcome.error;
    }
    return outcome.value as T;
  }

  private leaseExpiry(): string {
    return new Date(this.clock.nowMs() + this.config.jobLeaseSeconds * 1000).toISOString();
  }

  /** Builds jobs outside the transaction; a run whose source cannot be resolved any more fails with the reason. */
  private async buildJobs(runs: ScanRunEntity[]): Promise<ScanJob[]> {
    const jobs: ScanJob[] = [];
    const broken: { run: ScanRunEntity; message: string }[] = [];
    const lifetime = sasLifetimeSeconds(this.config.jobLeaseSeconds);
    for (const run of runs) {
      try {
        jobs.push(this.buildJob(run, lifetime));
      } catch (error) {
        broken.push({ run, message: (error as Error).message });
      }
    }
    if (broken.length > 0) {
      await this.transactions.run(async (manager) => {
        for (const { run, message } of broken) {
          const current = await this.repository.findById(run.id, manager);
          if (!current || isFinal(current) || current.leaseId !== run.leaseId) continue;
          failRun(current, this.clock.iso(), 'DataSourceUnreachable', `The run cannot start: ${message}`);
          await this.repository.save(current, manager);
        }
      });
    }
    return jobs;
  }

  private buildJob(run: ScanRunEntity, sasSeconds: number): ScanJob {
    if (!run.endpoint) throw PurviewError.badRequest(`data source '${run.dataSourceName}' has no endpoint.`, 'InvalidEndpoint');
    const resolved = this.storage.resolveBlobEndpoint(run.endpoint);
    return {
      jobId: run.id,
      leaseId: run.leaseId!,
      leaseExpiresAt: run.leaseExpiresAt!,
      leaseSeconds: this.config.jobLeaseSeconds,
      attempt: run.attempt,
      scanRun: { runId: run.id, dataSourceName: run.dataSourceName, scanName: run.scanName, scanLevel: run.scanLevel, scanRulesetName: run.scanRulesetName },
      source: {
        kind: 'AzureStorage',
        endpoint: run.endpoint,
        accountName: resolved.accountName,
        qualifiedNameBase: resolved.qualifiedNameBase,
        serviceUrl: resolved.serviceUrl,
        sasToken: this.storage.sourceSas(resolved.accountName, sasSeconds),
        ...(resolved.accountName === this.config.storage.ingestionAccount ? { excludeContainers: [INGESTION_CONTAINER] } : {}),
      },
      ingestion: {
        containerSasUrl: this.storage.ingestionContainerSasUrl(sasSeconds),
        queueSasUrl: this.storage.ingestionQueueSasUrl(sasSeconds),
        blobPrefix: `runs/${run.id}/`,
      },
    };
  }
}
